"""Errors of the trust capability."""

from app.core.errors import MihanError


class TrustError(MihanError):
    """An anticipated trust failure: a bad or spent invite code, not an admin, not a seller."""

"""Errors of the payments capability."""

from app.core.errors import MihanError


class PaymentError(MihanError):
    """An anticipated payment failure: a refused card, an unknown payment, a forged webhook."""

"""Errors of the buyer-requests capability."""

from app.core.errors import MihanError


class RequestError(MihanError):
    """An anticipated request failure: bad input, not yours, closed, answered already, too many."""

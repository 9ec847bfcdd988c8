"""Errors of the reviews capability."""

from app.core.errors import MihanError


class ReviewError(MihanError):
    """An anticipated review failure: not a party, wrong state, too late, a second review, bad input."""

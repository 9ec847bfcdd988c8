"""Errors of the orders capability."""

from app.core.errors import MihanError


class OrderError(MihanError):
    """An anticipated order failure: not a party, wrong state, bad input, nothing left to do."""

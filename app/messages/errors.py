"""Errors of the messages capability."""

from app.core.errors import MihanError


class MessageError(MihanError):
    """An anticipated messaging failure: not a party, bad input, too many messages, a refused file."""

"""Errors of the custom-offers capability."""

from app.core.errors import MihanError


class OfferError(MihanError):
    """An anticipated offer failure: not the seller or buyer, bad terms, already decided, expired."""

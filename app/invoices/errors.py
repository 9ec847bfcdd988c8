"""Errors of the invoicing capability."""

from app.core.errors import MihanError


class InvoiceError(MihanError):
    """An anticipated invoicing failure: no such invoice, a credit above what is left."""

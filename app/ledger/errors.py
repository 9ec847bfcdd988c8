"""Errors of the ledger capability."""

from app.core.errors import MihanError


class LedgerError(MihanError):
    """A refused posting: not enough money in an account, or an idempotency key reused for other money."""

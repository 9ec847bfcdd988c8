"""Errors of the wallets capability."""

from app.core.errors import MihanError


class WalletError(MihanError):
    """An anticipated wallet failure: a bad amount or IBAN, too soon, not enough money."""

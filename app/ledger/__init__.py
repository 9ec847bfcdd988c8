"""The double-entry ledger: post balanced, idempotent transactions; audit and rebuild balances.

Callers (orders, payments, withdrawals) build legs with ``debit``/``credit`` on the account
codes of ``app.ledger.chart`` and ``post`` them inside their own ``db.transaction()``. The
ledger knows nothing of orders or commission: it moves the amounts it is given, refuses to
overdraw, and never moves the same key twice.
"""

from app.ledger import chart
from app.ledger.audit import Breach, LedgerStats, Rule, check, get_stats, rebuild_balances
from app.ledger.errors import LedgerError
from app.ledger.posting import Leg, account, balance, credit, debit, post

__all__ = [
    "Breach",
    "LedgerError",
    "LedgerStats",
    "Leg",
    "Rule",
    "account",
    "balance",
    "chart",
    "check",
    "credit",
    "debit",
    "get_stats",
    "post",
    "rebuild_balances",
]

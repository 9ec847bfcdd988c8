"""Audit: verify every invariant of the ledger, and rebuild the balance cache from the entries.

The invariants are those of payments.md §7.4. Each rule is one SQL statement, so on Postgres
every rule sees one consistent snapshot even while workers keep posting. ``check`` reports;
it never repairs: a breach is evidence to keep, and the only repair that is always safe,
recomputing cached balances, is ``rebuild_balances``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass
from enum import StrEnum

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.ledger.chart import describe, escrow
from app.ledger.errors import LedgerError
from models.ledger import AccountKind, LedgerAccount, LedgerEntry, LedgerTransaction


class Rule(StrEnum):
    UNBALANCED = "unbalanced_transaction"  # a transaction's entries do not sum to zero per currency
    TOO_FEW_ENTRIES = "too_few_entries"  # a transaction with fewer than two entries
    ORPHAN_ENTRY = "orphan_entry"  # an entry whose transaction or account is gone
    CURRENCY_MISMATCH = "currency_mismatch"  # an entry in another currency than its account
    ACCOUNT_ALTERED = "account_altered"  # kind, owner or overdraft flag differ from the chart
    STALE_BALANCE = "stale_balance"  # cached balance differs from the sum of the entries
    NEGATIVE_BALANCE = "negative_balance"  # an account that may not go negative did
    OPEN_ESCROW = "open_escrow"  # a closed order still holds money in escrow
    ESCROW_MISMATCH = "escrow_mismatch"  # an open order's escrow is not what was paid less refunds
    TIP_MISMATCH = "tip_mismatch"  # a tip's state and its postings disagree (the orders' audit)
    DEEMED_VAT = "deemed_vat"  # a deemed order's booked VAT differs from its full-price invoices' (the orders' audit)
    CARD_REFUND = "card_refund"  # a card refund's state and its bookings disagree, or it exceeds its payment (the orders' audit)


@dataclass(frozen=True)
class Breach:
    """One broken invariant: which rule, on what (an account code or a transaction), and how."""

    rule: Rule
    subject: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {key: str(value) for key, value in asdict(self).items()}


@dataclass(frozen=True)
class LedgerStats:
    accounts: int
    transactions: int
    entries: int


def check(session: Session, *, closed_order_ids: Collection[int] = ()) -> list[Breach]:
    """Return every breach of the ledger's invariants (an empty list when all hold).

    ``closed_order_ids`` are the orders completed, cancelled or refunded: their escrow must be
    exactly zero. The ledger does not know order states; the orders capability passes them.
    """
    breaches = _unbalanced(session) + _too_few_entries(session) + _orphans(session) + _currency_mismatches(session)
    closed_escrows = {escrow(order_id) for order_id in closed_order_ids}
    for row, total in _account_totals(session):
        breaches += _account_breaches(row, total, closed_escrows)
    return breaches


def _account_totals(session: Session) -> list[tuple[LedgerAccount, int]]:
    """Every account with the balance its entries add up to, on its normal side, in code order."""
    raw = func.coalesce(func.sum(LedgerEntry.amount_minor), 0)
    rows = session.exec(
        select(LedgerAccount, raw)
        .outerjoin(LedgerEntry, col(LedgerEntry.account_id) == col(LedgerAccount.id))
        .group_by(col(LedgerAccount.id))
        .order_by(col(LedgerAccount.code))
    ).all()
    return [(row, _sign(row) * int(total)) for row, total in rows]


def rebuild_balances(session: Session) -> list[str]:
    """Recompute every cached balance from the entries; return the codes that were wrong.

    All accounts are locked first (in code order, like ``post``), so no posting changes them
    between the sum and the write.

    Raises:
        LedgerError: ``ledger.rebuild_negative``: the entries of an account that may not go
            negative add up below zero; the cache cannot hide that (run ``mihan ledger check``).
    """
    session.exec(select(LedgerAccount.id).order_by(col(LedgerAccount.code)).with_for_update()).all()
    totals = _account_totals(session)
    for row, total in totals:
        if total < 0 and not _may_go_negative(row):
            raise LedgerError("ledger.rebuild_negative", account=row.code)
    corrected = []
    for row, total in totals:
        if row.balance_minor != total:
            row.balance_minor = total
            corrected.append(row.code)
    session.flush()
    return corrected


def get_stats(session: Session) -> LedgerStats:
    """How many accounts, transactions and entries the ledger holds."""

    def count(model: type[LedgerAccount] | type[LedgerTransaction] | type[LedgerEntry]) -> int:
        return session.exec(select(func.count()).select_from(model)).one()

    return LedgerStats(count(LedgerAccount), count(LedgerTransaction), count(LedgerEntry))


def _sign(row: LedgerAccount) -> int:
    try:
        return AccountKind(row.kind).sign
    except ValueError:  # an altered kind is reported by _account_breaches; sum it as stored
        return 1


def _transaction_label(transaction_id: int, key: str | None) -> str:
    return f"transaction {transaction_id} ({key})" if key else f"transaction {transaction_id}"


def _unbalanced(session: Session) -> list[Breach]:
    total = func.sum(LedgerEntry.amount_minor)
    rows = session.exec(
        select(LedgerEntry.transaction_id, LedgerTransaction.idempotency_key, LedgerEntry.currency, total)
        .outerjoin(LedgerTransaction, col(LedgerTransaction.id) == col(LedgerEntry.transaction_id))
        .group_by(col(LedgerEntry.transaction_id), col(LedgerTransaction.idempotency_key), col(LedgerEntry.currency))
        .having(total != 0)
        .order_by(col(LedgerEntry.transaction_id))
    ).all()
    return [
        Breach(Rule.UNBALANCED, _transaction_label(txn, key), f"{currency} entries sum to {amount}, not 0")
        for txn, key, currency, amount in rows
    ]


def _too_few_entries(session: Session) -> list[Breach]:
    entries = func.count(col(LedgerEntry.id))
    rows = session.exec(
        select(LedgerTransaction.id, LedgerTransaction.idempotency_key, entries)
        .outerjoin(LedgerEntry, col(LedgerEntry.transaction_id) == col(LedgerTransaction.id))
        .group_by(col(LedgerTransaction.id), col(LedgerTransaction.idempotency_key))
        .having(entries < 2)
        .order_by(col(LedgerTransaction.id))
    ).all()
    return [
        Breach(Rule.TOO_FEW_ENTRIES, _transaction_label(txn, key), f"{count} entries, at least 2 needed")
        for txn, key, count in rows
    ]


def _orphans(session: Session) -> list[Breach]:
    rows = session.exec(
        select(LedgerEntry.id, LedgerEntry.transaction_id, LedgerEntry.account_id)
        .outerjoin(LedgerTransaction, col(LedgerTransaction.id) == col(LedgerEntry.transaction_id))
        .outerjoin(LedgerAccount, col(LedgerAccount.id) == col(LedgerEntry.account_id))
        .where(col(LedgerTransaction.id).is_(None) | col(LedgerAccount.id).is_(None))
        .order_by(col(LedgerEntry.id))
    ).all()
    return [
        Breach(Rule.ORPHAN_ENTRY, f"entry {entry}", f"transaction {txn} or account {account} does not exist")
        for entry, txn, account in rows
    ]


def _currency_mismatches(session: Session) -> list[Breach]:
    rows = session.exec(
        select(LedgerEntry.id, LedgerAccount.code, LedgerEntry.currency, LedgerAccount.currency)
        .join(LedgerAccount, col(LedgerAccount.id) == col(LedgerEntry.account_id))
        .where(col(LedgerEntry.currency) != col(LedgerAccount.currency))
        .order_by(col(LedgerEntry.id))
    ).all()
    return [
        Breach(Rule.CURRENCY_MISMATCH, code, f"entry {entry} is in {entry_currency}, the account in {account_currency}")
        for entry, code, entry_currency, account_currency in rows
    ]


def _may_go_negative(row: LedgerAccount) -> bool:
    """The chart's rule for the code; the stored flag only for a code outside the chart."""
    try:
        return describe(row.code).may_go_negative
    except ValueError:
        return bool(row.may_go_negative)


def _account_breaches(row: LedgerAccount, total: int, closed_escrows: set[str]) -> list[Breach]:
    breaches = []
    try:
        nature = describe(row.code)
    except ValueError:
        breaches.append(Breach(Rule.ACCOUNT_ALTERED, row.code, "the code is not an account of the chart"))
    else:
        stored = (row.kind, bool(row.may_go_negative), row.owner_id)
        expected = (nature.kind.value, nature.may_go_negative, nature.owner_id)
        if stored != expected:
            breaches.append(Breach(Rule.ACCOUNT_ALTERED, row.code, f"kind, overdraft, owner are {stored}, the chart says {expected}"))
    if row.balance_minor != total:
        breaches.append(Breach(Rule.STALE_BALANCE, row.code, f"cached {row.balance_minor}, entries sum to {total}"))
    if total < 0 and not _may_go_negative(row):
        breaches.append(Breach(Rule.NEGATIVE_BALANCE, row.code, f"entries sum to {total}"))
    if row.code in closed_escrows and total != 0:
        breaches.append(Breach(Rule.OPEN_ESCROW, row.code, f"the order is closed but {total} is still held"))
    return breaches

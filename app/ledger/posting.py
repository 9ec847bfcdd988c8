"""Posting: the one way money moves, atomically, once per idempotency key.

``post`` runs inside a savepoint, so a refused posting leaves nothing behind even when the
caller catches the error and commits other work. It locks every account it touches in code
order (``SELECT … FOR UPDATE`` on Postgres; SQLite's ``BEGIN IMMEDIATE`` from
``db.transaction()`` already makes the writer exclusive), so two workers touching the same
accounts queue instead of deadlocking, and a balance is read and written under its lock.

Idempotency has two layers. After the locks are held, the key is looked up: a second worker
posting the same key waited on the first one's locks and now sees its transaction. Behind
that, the unique index on ``idempotency_key`` catches the rest (a key reused with other
accounts, which the locks do not serialise); its ``IntegrityError`` is turned into the same
replay check.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.core import clock
from app.core.db import is_sqlite
from app.core.money import Money
from app.ledger.chart import describe
from app.ledger.errors import LedgerError
from models.ledger import AccountKind, LedgerAccount, LedgerEntry, LedgerTransaction, TransactionKind


@dataclass(frozen=True, slots=True)
class Leg:
    """One side of a transaction: a debit (``amount`` > 0) or a credit (``amount`` < 0)."""

    account: str
    amount: Money

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Money):
            raise TypeError("a leg's amount must be Money (integer minor units)")


def debit(account: str, amount: Money) -> Leg:
    """A debit of ``amount`` (not negative) on ``account``."""
    if amount.minor < 0:
        raise ValueError("debit a non-negative amount; use credit() for the other side")
    return Leg(account, amount)


def credit(account: str, amount: Money) -> Leg:
    """A credit of ``amount`` (not negative) on ``account``."""
    if amount.minor < 0:
        raise ValueError("credit a non-negative amount; use debit() for the other side")
    return Leg(account, -amount)


def post(
    session: Session,
    key: str,
    legs: Iterable[Leg],
    *,
    kind: TransactionKind,
    memo: str = "",
    order_id: int | None = None,
) -> LedgerTransaction:
    """Post ``legs`` as one transaction under ``key``, or return the transaction already posted.

    Legs on the same account are netted and zero legs dropped, so callers can write a split
    as it is (a founding seller's 0.00 commission) and get one entry per account.

    Raises:
        LedgerError: ``ledger.insufficient_funds`` (an account that may not go negative would),
            ``ledger.key_reused`` (``key`` was posted before with other money, kind or order).
        ValueError: legs that do not sum to zero per currency, fewer than two accounts, an
            account outside the chart or in another currency.
    """
    lines = _net(legs)
    with session.begin_nested():
        accounts = _lock(session, lines)
        existing = _find(session, key)
        if existing is not None:
            return _replayed(session, existing, lines, kind=kind, order_id=order_id)
        for code, amount in lines.items():
            _ensure_funds(accounts[code], amount)
        transaction = LedgerTransaction(
            idempotency_key=key, kind=kind.value, memo=memo, order_id=order_id, created_at=clock.now()
        )
        try:
            with session.begin_nested():
                session.add(transaction)
                session.flush()
        except IntegrityError:
            winner = _find(session, key)
            if winner is None:
                raise
            return _replayed(session, winner, lines, kind=kind, order_id=order_id)
        assert transaction.id is not None
        for code, amount in lines.items():
            row = accounts[code]
            assert row.id is not None
            session.add(
                LedgerEntry(transaction_id=transaction.id, account_id=row.id, amount_minor=amount.minor, currency=amount.currency)
            )
            row.balance_minor += AccountKind(row.kind).sign * amount.minor
        session.flush()
    return transaction


def account(session: Session, code: str, currency: str = "SAR") -> LedgerAccount:
    """Return the account ``code``, opening it (empty, in ``currency``) if it does not exist yet.

    Raises:
        ValueError: ``code`` is outside the chart, or the account exists in another currency.
    """
    _open(session, {code: currency})
    row = session.exec(select(LedgerAccount).where(LedgerAccount.code == code)).one()
    if row.currency != currency:
        raise ValueError(f"{code} is kept in {row.currency}, not {currency}")
    return row


def balance(session: Session, code: str, currency: str = "SAR") -> Money:
    """The cached balance of ``code`` on its normal side; zero for an account not opened yet.

    Raises:
        ValueError: the account exists in another currency.
    """
    query = select(LedgerAccount).where(LedgerAccount.code == code).execution_options(populate_existing=True)
    row = session.exec(query).first()
    if row is None:
        return Money(0, currency)
    if row.currency != currency:
        raise ValueError(f"{code} is kept in {row.currency}, not {currency}")
    return Money(row.balance_minor, row.currency)


def _net(legs: Iterable[Leg]) -> dict[str, Money]:
    """Net the legs per account in code order, drop zeros, and refuse what cannot balance."""
    lines: dict[str, Money] = {}
    for leg in legs:
        if not isinstance(leg, Leg):
            raise TypeError("post() takes Leg values: use debit() and credit()")
        describe(leg.account)
        lines[leg.account] = lines[leg.account] + leg.amount if leg.account in lines else leg.amount
    lines = {code: lines[code] for code in sorted(lines) if not lines[code].is_zero}
    if len(lines) < 2:
        raise ValueError("a ledger transaction moves money between at least two accounts")
    totals: dict[str, int] = {}
    for amount in lines.values():
        totals[amount.currency] = totals.get(amount.currency, 0) + amount.minor
    unbalanced = {currency: total for currency, total in totals.items() if total}
    if unbalanced:
        raise ValueError(f"debits and credits differ: {unbalanced}")
    return lines


def _open(session: Session, currencies: Mapping[str, str]) -> None:
    """Create the accounts of ``currencies`` (code -> currency) that do not exist yet.

    ``ON CONFLICT DO NOTHING`` lets two workers open the same account at once: the second
    waits for the first and then inserts nothing.
    """
    found = set(session.exec(select(LedgerAccount.code).where(col(LedgerAccount.code).in_(list(currencies)))).all())
    missing = [code for code in currencies if code not in found]
    if not missing:
        return
    now = clock.now()
    rows = []
    for code in missing:
        nature = describe(code)
        rows.append(
            {
                "code": code,
                "kind": nature.kind.value,
                "currency": currencies[code],
                "owner_id": nature.owner_id,
                "may_go_negative": nature.may_go_negative,
                "balance_minor": 0,
                "created_at": now,
            }
        )
    insert = sqlite_insert if is_sqlite(session) else postgres_insert
    session.execute(insert(LedgerAccount).values(rows).on_conflict_do_nothing(index_elements=["code"]))


def _lock(session: Session, lines: Mapping[str, Money]) -> dict[str, LedgerAccount]:
    """Open and lock the accounts of ``lines`` in code order; their balances are read fresh."""
    _open(session, {code: amount.currency for code, amount in lines.items()})
    rows = session.exec(
        select(LedgerAccount)
        .where(col(LedgerAccount.code).in_(list(lines)))
        .order_by(col(LedgerAccount.code))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    accounts = {row.code: row for row in rows}
    for code, amount in lines.items():
        if accounts[code].currency != amount.currency:
            raise ValueError(f"{code} is kept in {accounts[code].currency}, not {amount.currency}")
    return accounts


def _ensure_funds(row: LedgerAccount, amount: Money) -> None:
    after = row.balance_minor + AccountKind(row.kind).sign * amount.minor
    if after < 0 and not row.may_go_negative:
        raise LedgerError(
            "ledger.insufficient_funds",
            account=row.code,
            balance=Money(row.balance_minor, row.currency),
            needed=Money(row.balance_minor - after, row.currency),
        )


def _find(session: Session, key: str) -> LedgerTransaction | None:
    return session.exec(select(LedgerTransaction).where(LedgerTransaction.idempotency_key == key)).first()


def _replayed(
    session: Session,
    existing: LedgerTransaction,
    lines: Mapping[str, Money],
    *,
    kind: TransactionKind,
    order_id: int | None,
) -> LedgerTransaction:
    """Return ``existing`` when it moved exactly ``lines``; a key reused for other money is a bug."""
    rows = session.exec(
        select(LedgerAccount.code, LedgerEntry.amount_minor, LedgerEntry.currency)
        .join(LedgerAccount, col(LedgerAccount.id) == col(LedgerEntry.account_id))
        .where(LedgerEntry.transaction_id == existing.id)
    ).all()
    posted = {code: Money(minor, currency) for code, minor, currency in rows}
    if posted != dict(lines) or existing.kind != kind.value or existing.order_id != order_id:
        raise LedgerError("ledger.key_reused", idempotency_key=existing.idempotency_key)
    return existing

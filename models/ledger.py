"""Design overview: the double-entry ledger (accounts, transactions, entries).

A ``LedgerTransaction`` moves money between ``LedgerAccount`` rows through two or more
``LedgerEntry`` rows whose signed amounts sum to zero per currency. It carries a unique
``idempotency_key`` derived from the event that caused it (``order:12:complete``), so a replayed
webhook or job finds the first posting instead of moving money twice.

Entries hold one signed ``amount_minor``: positive is a debit, negative a credit. One column
makes "the legs sum to zero" a plain ``SUM`` and leaves no row that is both or neither side;
a CHECK refuses zero. Entries and transactions are append-only (database triggers refuse UPDATE
and DELETE); a mistake is corrected by a reversing transaction.

An account's ``kind`` fixes its normal side (assets and expenses grow with debits, liabilities
and income with credits). ``balance_minor`` is a cache of its entries on the normal side, so a
seller's 77.00 SAR reads as +7700 whichever way the money came in; it is rebuilt from the
entries by ``mihan ledger rebuild`` and verified by ``mihan ledger check``. Accounts that hold
other people's money (escrow, wallets, seller balances, VAT owed) have ``may_go_negative``
false, enforced by a CHECK on the cached balance as well as by the posting code.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class AccountKind(StrEnum):
    ASSET = "asset"
    LIABILITY = "liability"
    INCOME = "income"
    EXPENSE = "expense"

    @property
    def sign(self) -> int:
        """+1 where debits raise the balance (assets, expenses), -1 where credits do."""
        return 1 if self in (AccountKind.ASSET, AccountKind.EXPENSE) else -1


class TransactionKind(StrEnum):
    """Why money moved: the flows of ../shared/reference/payments.md §7.3."""

    PAYMENT = "payment"  # buyer pays an order: gateway clearing or wallet -> escrow
    COMPLETION = "completion"  # escrow -> seller pending + commission + VAT (+ buyer fee)
    TIP = "tip"
    CLEARANCE = "clearance"  # seller pending -> available after the clearance days
    WITHDRAWAL = "withdrawal"  # seller available -> withdrawing
    PAYOUT = "payout"  # withdrawing -> bank, the bank transfer went out
    PAYOUT_RETURNED = "payout_returned"  # withdrawing -> available, the transfer failed
    REFUND = "refund"  # escrow -> gateway clearing or buyer wallet
    REVERSAL = "reversal"  # undo a completion after the fact (refund after completion)
    SETTLEMENT = "settlement"  # gateway clearing -> bank + gateway fees
    ADJUSTMENT = "adjustment"  # an admin's correcting transaction


class LedgerAccount(SQLModel, table=True):
    __tablename__ = "ledger_account"
    __table_args__ = (sa.CheckConstraint("may_go_negative OR balance_minor >= 0", name="non_negative"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=120, sa_column_kwargs={"unique": True})
    kind: str = Field(max_length=16)
    currency: str = Field(max_length=3)
    owner_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    may_go_negative: bool
    balance_minor: int = Field(default=0, sa_type=sa.BigInteger)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class LedgerTransaction(SQLModel, table=True):
    __tablename__ = "ledger_transaction"

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(max_length=200, sa_column_kwargs={"unique": True})
    kind: str = Field(max_length=24)
    memo: str = Field(default="", max_length=300)
    # a plain column, not a foreign key: the ledger must not depend on the orders' schema
    order_id: int | None = Field(default=None, index=True)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class LedgerEntry(SQLModel, table=True):
    __tablename__ = "ledger_entry"
    __table_args__ = (sa.CheckConstraint("amount_minor <> 0", name="non_zero"),)

    id: int | None = Field(default=None, primary_key=True)
    transaction_id: int = Field(foreign_key="ledger_transaction.id", index=True)
    account_id: int = Field(foreign_key="ledger_account.id", index=True)
    amount_minor: int = Field(sa_type=sa.BigInteger)  # debit > 0, credit < 0
    currency: str = Field(max_length=3)

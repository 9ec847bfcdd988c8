"""Ledger test helpers: people to own accounts, the flows of payments.md §7.3 as postings, tampering.

The flows here are the tests' own spelling of the worked example (the order services post the
same legs); each returns the transaction so tests can compare replays.
"""

from __future__ import annotations

from itertools import count

from sqlalchemy import text
from sqlmodel import Session

from app import ledger
from app.core import clock
from app.core.db import get_engine, transaction
from app.core.money import Money
from app.ledger import Leg, chart, credit, debit
from app.pricing import Quote
from models.accounts import User
from models.ledger import LedgerTransaction, TransactionKind

CARD = chart.psp_clearing("sandbox")
_emails = count(1)


def add_users(number: int) -> list[int]:
    """Commit ``number`` users (sellers and buyers own accounts; the owner is a foreign key)."""
    with transaction() as session:
        now = clock.now()
        users = [
            User(email=f"ledger{next(_emails)}@example.com", name="حساب", password_hash="-", created_at=now, updated_at=now)
            for _ in range(number)
        ]
        session.add_all(users)
        session.flush()
        return [user.id for user in users if user.id is not None]


def pay(session: Session, order_id: int, amount: Money) -> LedgerTransaction:
    """The buyer's card payment lands in the order's escrow."""
    legs = [debit(CARD, amount), credit(chart.escrow(order_id), amount)]
    return ledger.post(session, f"order:{order_id}:pay", legs, kind=TransactionKind.PAYMENT, order_id=order_id)


def completion_legs(order_id: int, seller_id: int, quote: Quote) -> list[Leg]:
    """Split the escrow into the seller's pending balance, commission, buyer fee and their VAT."""
    vat = chart.vat_output(quote.vat_country)
    return [
        debit(chart.escrow(order_id), quote.total),
        credit(chart.seller_pending(seller_id), quote.seller_net),
        credit(chart.COMMISSION, quote.commission),
        credit(vat, quote.commission_vat),
        credit(chart.BUYER_FEE, quote.buyer_fee),
        credit(vat, quote.buyer_fee_vat),
    ]


def complete(session: Session, order_id: int, seller_id: int, quote: Quote) -> LedgerTransaction:
    legs = completion_legs(order_id, seller_id, quote)
    return ledger.post(session, f"order:{order_id}:complete", legs, kind=TransactionKind.COMPLETION, order_id=order_id)


def move(session: Session, key: str, source: str, target: str, amount: Money, kind: TransactionKind) -> LedgerTransaction:
    """A two-leg transfer: ``amount`` leaves ``source`` (debit) for ``target`` (credit)."""
    return ledger.post(session, key, [debit(source, amount), credit(target, amount)], kind=kind)


def tamper(url: str, statement: str, **params: object) -> None:
    """Run ``statement`` past the append-only triggers, as someone with database access could."""
    engine = get_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            for trigger in ("ledger_entry_no_update", "ledger_entry_no_delete"):
                connection.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
        else:
            connection.execute(text("ALTER TABLE ledger_entry DISABLE TRIGGER USER"))
        connection.execute(text(statement), params)

"""The order-side half of ``mihan ledger check``: what the ledger cannot know by itself.

The ledger sees accounts, not orders. Given the closed orders' ids it checks their escrow is
empty; only the orders know that an unpaid order holds nothing and an open paid order holds
exactly what was paid less what was refunded. Each is one query (the second joined on the
escrow account's code), so the check stays fast at a hundred thousand orders.

Tips never touch the escrow: they are split from the payer straight to the seller, so the
escrow rules read only the order's own total and refunds (``Order.tip_minor`` is a tip paid
*with* the order, part of its total). A tip's own rule is ``tip_mismatches``: a paid tip was
split exactly once by the ledger and an unpaid one not at all, and a cleared tip was released.
``order_breaches`` gives both as ledger ``Breach`` rows, for ``mihan ledger check``.
"""

from __future__ import annotations

from sqlalchemy import String, cast, func, literal
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.ledger import Breach, Rule
from app.orders.machine import CLOSED
from models.ledger import LedgerAccount, LedgerTransaction
from models.orders import Order, OrderStatus, OrderTip, TipStatus


def closed_order_ids(session: Session) -> list[int]:
    """Orders that are completed, cancelled or refunded (their escrow must be zero)."""
    return [i for i in session.exec(select(Order.id).where(col(Order.status).in_([s.value for s in CLOSED]))) if i is not None]


def escrow_mismatches(session: Session) -> list[str]:
    """Every open order whose escrow differs from what its state says it holds (closed orders
    are the ledger's own ``open_escrow`` rule)."""
    code = literal("order:") + cast(Order.id, String) + literal(":escrow")
    held = func.coalesce(LedgerAccount.balance_minor, 0)
    holds_nothing = col(Order.status) == OrderStatus.PLACED.value
    rows = session.exec(
        select(Order.id, Order.status, held, Order.total_minor, Order.refunded_minor)
        .select_from(Order)
        .join(LedgerAccount, col(LedgerAccount.code) == code, isouter=True)
        .where(
            col(Order.status).not_in([s.value for s in CLOSED]),
            (holds_nothing & (held != 0))
            | (~holds_nothing & (held != col(Order.total_minor) - col(Order.refunded_minor)))
        )
        .order_by(Order.id)
        .limit(1000)
    )
    return [
        f"order {order_id} ({status}) holds {amount} in escrow, expected "
        f"{0 if status == OrderStatus.PLACED.value else total - refunded}"
        for order_id, status, amount, total, refunded in rows
    ]


def tip_mismatches(session: Session) -> list[str]:
    """Every tip whose ledger postings disagree with its state: paid and split (``tip:<id>:pay``)
    go together, and so do cleared and released (``tip:<id>:release``)."""
    paid, released = aliased(LedgerTransaction), aliased(LedgerTransaction)
    prefix = literal("tip:") + cast(OrderTip.id, String)
    is_paid = col(OrderTip.status) == TipStatus.PAID.value
    is_cleared = col(OrderTip.cleared_at).is_not(None)
    rows = session.exec(
        select(OrderTip.id, OrderTip.status, OrderTip.cleared_at, paid.id, released.id)
        .join(paid, col(paid.idempotency_key) == prefix + literal(":pay"), isouter=True)
        .join(released, col(released.idempotency_key) == prefix + literal(":release"), isouter=True)
        .where((is_paid != col(paid.id).is_not(None)) | (is_cleared != col(released.id).is_not(None)))
        .order_by(OrderTip.id)
        .limit(1000)
    )
    return [
        f"tip {tip_id} is {status}{' and cleared' if cleared else ''}, but the ledger "
        f"{'has' if split else 'lacks'} its payment and {'has' if release else 'lacks'} its release"
        for tip_id, status, cleared, split, release in rows
    ]


def order_breaches(session: Session) -> list[Breach]:
    """The order-side audit as ledger breaches: escrows that differ from their orders, and tips."""
    return [Breach(Rule.ESCROW_MISMATCH, "orders", detail) for detail in escrow_mismatches(session)] + [
        Breach(Rule.TIP_MISMATCH, "tips", detail) for detail in tip_mismatches(session)
    ]

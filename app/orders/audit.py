"""The order-side half of ``mihan ledger check``: what the ledger cannot know by itself.

The ledger sees accounts, not orders. Given the closed orders' ids it checks their escrow is
empty; only the orders know that an unpaid order holds nothing and an open paid order holds
exactly what was paid less what was refunded. Each is one query (the second joined on the
escrow account's code), so the check stays fast at a hundred thousand orders.
"""

from __future__ import annotations

from sqlalchemy import String, cast, func, literal
from sqlmodel import Session, col, select

from app.orders.machine import CLOSED
from models.ledger import LedgerAccount
from models.orders import Order, OrderStatus


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

"""The ``reviews`` job: reveal the reviews still hidden once the reveal period after completion
is over. ``app.orders.jobs.run_all`` runs it with the order jobs (``mihan jobs run``, and every
minute inside ``mihan run``): one indexed query finds the orders, then each is handled in its
own transaction by ``services.reveal_due``, which re-checks under the row lock, so a second run
(or a second worker) reveals nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import ColumnElement
from sqlmodel import col, select

from app.reviews.policy import POLICY
from app.reviews.services import reveal_due
from models.orders import Order, OrderStatus
from models.reviews import Review


def candidates(now: datetime) -> dict[str, tuple[ColumnElement[bool], Callable[..., bool]]]:
    """The job as ``app.orders.jobs`` runs its own: the orders that may be due, and the step."""
    hidden = select(Review.order_id).where(col(Review.revealed_at).is_(None))
    due = (
        (col(Order.status) == OrderStatus.COMPLETED.value)
        & (col(Order.closed_at) <= now - POLICY.reveal_after)
        & col(Order.id).in_(hidden)
    )
    return {"reviews": (due, reveal_due)}

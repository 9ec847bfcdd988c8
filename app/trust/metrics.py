"""A seller measured in SQL: what the level ladder and the public trust signals are made of.

Every figure is an aggregate over the seller's orders and public reviews (through
``app.reviews``, so no hidden or removed score is read), so a measurement costs a handful of indexed queries whatever the seller's history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.core.clock import as_utc
from app.reviews.queries import seller_stars
from app.trust.policy import get_level_policy
from models.accounts import User
from models.messages import Conversation, Message
from models.orders import Order, OrderStatus

CLOSED = (OrderStatus.COMPLETED.value, OrderStatus.CANCELLED.value, OrderStatus.REFUNDED.value)
QUEUED = (OrderStatus.AWAITING_REQUIREMENTS.value, OrderStatus.IN_PROGRESS.value)


@dataclass(frozen=True)
class SellerMetrics:
    """One seller's record; a rate is in basis points, None while nothing measures it yet."""

    age_days: int
    completed: int
    rating_x100: int | None  # the average overall rating ×100 of revealed buyer reviews
    reviews: int
    on_time: int | None  # completed orders never flagged late, of all completed
    completion: int | None  # completed, of the paid orders that ended (completed, cancelled, refunded)
    response: int | None  # buyers' first messages answered in time, of those answered or overdue
    queued: int  # orders waiting for requirements or in progress now
    response_hours: int | None = None  # the median hours to a first answer, rounded up


def share(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` in basis points, rounded down (90% is 9000); None when ``whole`` is 0."""
    return None if whole == 0 else part * 10_000 // whole


def seller_metrics(session: Session, *, seller_id: int, now: datetime) -> SellerMetrics:
    """Measure ``seller_id`` at ``now``."""
    joined = session.exec(select(User.created_at).where(User.id == seller_id)).one()
    counts = session.exec(
        select(
            sa.func.count().filter(col(Order.status) == OrderStatus.COMPLETED.value),
            sa.func.count().filter((col(Order.status) == OrderStatus.COMPLETED.value) & ~col(Order.is_late)),
            sa.func.count().filter(col(Order.status).in_(CLOSED) & col(Order.paid_at).is_not(None)),
            sa.func.count().filter(col(Order.status).in_(QUEUED)),
        ).where(Order.seller_id == seller_id)
    ).one()
    completed, on_time, ended, queued = (int(n) for n in counts)
    reviews, stars = seller_stars(session, seller_id=seller_id)
    return SellerMetrics(
        age_days=(now - as_utc(joined)).days,
        completed=completed,
        rating_x100=None if reviews == 0 else stars * 100 // reviews,
        reviews=reviews,
        on_time=share(on_time, completed),
        completion=share(completed, ended),
        queued=queued,
        **_responses(session, seller_id, now, get_level_policy().answer_within_hours),
    )


def _responses(session: Session, seller_id: int, now: datetime, within_hours: int) -> dict[str, int | None]:
    """The response rate and median answer time over buyers' enquiries (pre-order conversations
    the buyer opened): answered within ``within_hours`` of the buyer's first message, or not. An
    enquiry still inside the window counts neither way yet."""
    buyer_first = sa.func.min(sa.case((col(Message.sender_id) == col(Conversation.buyer_id), col(Message.created_at))))
    seller_first = sa.func.min(sa.case((col(Message.sender_id) == col(Conversation.seller_id), col(Message.created_at))))
    rows = session.exec(
        select(buyer_first, seller_first)
        .join(Conversation, col(Conversation.id) == Message.conversation_id)
        .where(Conversation.seller_id == seller_id, col(Conversation.order_id).is_(None))
        .group_by(col(Message.conversation_id))
    ).all()
    window = timedelta(hours=within_hours)
    answered, missed, waits = 0, 0, []
    for asked, replied in rows:
        if asked is None or (replied is not None and as_utc(replied) < as_utc(asked)):
            continue  # the seller wrote first: not an enquiry
        wait = as_utc(replied) - as_utc(asked) if replied is not None else None
        if wait is not None and wait <= window:
            answered += 1
            waits.append(wait)
        elif wait is not None or now - as_utc(asked) > window:
            missed += 1
    hours = None if not waits else -(-int(median(waits).total_seconds()) // 3600)
    return {"response": share(answered, answered + missed), "response_hours": hours}

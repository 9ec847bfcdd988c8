"""The admins' side of disputes: the queue of disputed orders, one dispute's file, the decision.

The queue is paged in SQL, oldest dispute first (the one waiting longest). A dispute's file
holds what an admin needs to decide: who opened it and why (the ``disputed`` event's note),
the money at stake and the whole order as ``views.order_detail`` gives it to an admin
(timeline, deliveries). The caller checks the admin role before reading; ``resolve_dispute``
goes through ``lifecycle.resolve``, which checks it again under the order's row lock, so a
second click on a decided dispute is refused and moves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from app.core.money import Money
from app.orders import card_refunds, funds, lifecycle, views
from app.orders.errors import OrderError
from models.accounts import User
from models.orders import Order, OrderEvent, OrderStatus

# What an admin may decide; a partial refund names its amount, a full one refunds the rest.
DECISIONS = ("release", "refund_full", "refund_part", "cancel")


@dataclass(frozen=True)
class DisputeRow:
    order_id: int
    title: str
    buyer_name: str
    seller_name: str
    total: Money
    disputed_at: datetime | None
    opened_by: str  # buyer | seller
    reason: str


@dataclass(frozen=True)
class DisputeFile:
    row: DisputeRow
    order: views.OrderDetail  # the whole order as an admin sees it: money, timeline, deliveries
    status_before: str
    full_refund: Money  # what a full refund (or a cancellation) returns to the buyer
    max_partial: Money  # the largest partial refund: one halala under the seller's side
    paid_by_card: bool  # a refund may go back to the card (``card_refunds``)


_Buyer = aliased(User)
_Seller = aliased(User)


def _opening_events():  # type: ignore[no-untyped-def]
    """The latest ``disputed`` event of each disputed order (its time, opener and reason)."""
    return (
        select(OrderEvent.order_id, func.max(OrderEvent.id).label("event_id"))
        .where(OrderEvent.kind == "disputed", col(OrderEvent.order_id).in_(select(Order.id).where(Order.status == OrderStatus.DISPUTED.value)))
        .group_by(col(OrderEvent.order_id))
        .subquery()
    )


def _rows(session: Session, *where: object, limit: int, offset: int) -> list[tuple[Order, DisputeRow]]:
    opened = _opening_events()
    query = (
        select(Order, _Buyer.name, _Seller.name, OrderEvent)
        .join(_Buyer, col(_Buyer.id) == Order.buyer_id)
        .join(_Seller, col(_Seller.id) == Order.seller_id)
        .outerjoin(opened, opened.c.order_id == Order.id)
        .outerjoin(OrderEvent, col(OrderEvent.id) == opened.c.event_id)
        .where(Order.status == OrderStatus.DISPUTED.value, *where)  # type: ignore[arg-type]
        .order_by(col(OrderEvent.created_at), col(Order.id))
        .offset(offset)
        .limit(limit)
    )
    return [
        (
            order,
            DisputeRow(
                order_id=order.id,  # type: ignore[arg-type]
                title=order.gig_title,
                buyer_name=buyer,
                seller_name=seller,
                total=Money(order.total_minor, order.currency),
                disputed_at=event.created_at if event else None,
                opened_by="seller" if event and event.actor_id == order.seller_id else "buyer",
                reason=event.note if event else "",
            ),
        )
        for order, buyer, seller, event in session.exec(query)
    ]


def count_disputes(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Order).where(Order.status == OrderStatus.DISPUTED.value)).one()


def list_disputes(session: Session, *, limit: int = 20, offset: int = 0) -> list[DisputeRow]:
    """Orders in dispute, the longest waiting first."""
    return [row for _, row in _rows(session, limit=limit, offset=offset)]


def get_dispute(session: Session, *, order_id: int, admin_id: int) -> DisputeFile | None:
    """One disputed order's file; None if the order does not exist or is not in dispute."""
    found = _rows(session, Order.id == order_id, limit=1, offset=0)
    detail = views.order_detail(session, order_id=order_id, user_id=admin_id, is_admin=True) if found else None
    if not found or detail is None:
        return None
    order, row = found[0]
    return DisputeFile(
        row=row,
        order=detail,
        status_before=order.status_before_dispute,
        full_refund=Money(order.total_minor - order.refunded_minor, order.currency),
        max_partial=Money(max(0, funds.earned_minor(order) - 1), order.currency),
        paid_by_card=card_refunds.paid_by_card(session, order),
    )


def resolve_dispute(
    session: Session, *, order_id: int, admin_id: int, decision: str, note: str, refund_minor: int = 0, refund_to: str = funds.WALLET
) -> Order:
    """Close a dispute as the admin decided: release to the seller, refund all or part, cancel.

    Raises:
        OrderError: ``order.not_found`` (also for a non-admin), ``order.closed``,
            ``order.not_allowed``, ``order.invalid_note``, ``order.invalid_refund``, and for a
            refund to the card ``order.refund_no_card``, ``order.refund_above_card``
            (``card_refunds.ensure_destination``).
    """
    if decision not in DECISIONS:
        raise OrderError("order.not_allowed")
    if decision == "refund_full":
        order = lifecycle.locked(session, order_id)
        if order is None:
            raise OrderError("order.not_found")
        refund_minor = order.total_minor - order.refunded_minor
    outcome = "refund" if decision.startswith("refund") else decision
    return lifecycle.resolve(
        session, order_id=order_id, admin_id=admin_id, outcome=outcome, note=note, refund_minor=refund_minor, refund_to=refund_to
    )

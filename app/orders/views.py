"""Read models of orders for the pages: one page of a person's orders, and one order in full.

Nothing here writes. Each query is scoped to the person asking in its ``WHERE`` clause (the
buyer's or the seller's id), so a stranger gets nothing: ``order_detail`` answers ``None`` for
someone who is neither party nor an admin, which the page shows as "not found", exactly as for
an order that does not exist. Lists are paged in SQL and return plain frozen dataclasses.

Which buttons a party sees is ``machine.actions_for`` narrowed by the same guards the services
check (revisions left, the late flag, whose cancellation request is pending); whether the buyer
is offered a tip is ``policy.tip_refusal``, the rule ``tips.give_tip`` enforces. The services
stay the truth and refuse anything stale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from app.core import clock
from app.core.money import Money
from app.orders.machine import MOVES, Actor, actions_for
from app.orders.policy import tip_refusal
from models.accounts import SellerProfile, User
from models.orders import Order, OrderDelivery, OrderEvent, OrderExtra, OrderFile, OrderRequirement, OrderStatus, OrderTip, Payment, TipStatus

S = OrderStatus
PER_PAGE = 20
MAX_PER_PAGE = 100


class Role(StrEnum):
    """Which side of their orders a person lists: what they bought, or what they sell."""

    BUYER = "buyer"
    SELLER = "seller"


# The list tabs (طلباتي, the seller's incoming orders): each is a set of statuses. Unpaid orders
# are the buyer's business only; the seller hears of an order once it is paid.
STATUS_GROUPS: dict[str, frozenset[OrderStatus]] = {
    "active": frozenset({S.PLACED, S.IN_PROGRESS}),
    "awaiting": frozenset({S.AWAITING_REQUIREMENTS}),
    "delivered": frozenset({S.DELIVERED}),
    "completed": frozenset({S.COMPLETED}),
    "cancelled": frozenset({S.CANCELLED, S.REFUNDED}),
    "disputed": frozenset({S.DISPUTED}),
}
DEFAULT_GROUP = "active"


@dataclass(frozen=True)
class OrderRow:
    """One line of an order list."""

    id: int
    gig_title: str
    other_name: str
    status: str
    total: Money
    due_at: datetime | None
    is_late: bool
    created_at: datetime


@dataclass(frozen=True)
class OrderPage:
    rows: tuple[OrderRow, ...]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class FileLine:
    """A private file of the order; ``token`` names it for the download route."""

    token: str
    name: str
    mime: str
    size_bytes: int


@dataclass(frozen=True)
class ExtraLine:
    title: str
    price: Money
    added_days: int


@dataclass(frozen=True)
class RequirementLine:
    position: int
    question: str
    kind: str
    choices: tuple[str, ...]
    required: bool
    answer: str  # for a file question, the file's token (see ``file``)
    file: FileLine | None


@dataclass(frozen=True)
class TimelineLine:
    kind: str
    actor: str  # buyer | seller | admin | platform
    actor_name: str
    note: str
    at: datetime


@dataclass(frozen=True)
class DeliveryLine:
    number: int
    message: str
    at: datetime
    files: tuple[FileLine, ...]


@dataclass(frozen=True)
class OrderMoney:
    """What the buyer pays, broken down, and what the seller keeps."""

    subtotal: Money
    tip: Money
    buyer_fee: Money
    buyer_fee_vat: Money
    full_price_vat: Money  # deemed supplier: VAT on the full price (zero otherwise)
    total: Money
    seller_net: Money
    refunded: Money


@dataclass(frozen=True)
class TipLine:
    """The buyer's tip after completion, once paid: what they gave and what the seller keeps."""

    amount: Money
    seller_net: Money
    paid_at: datetime
    clears_at: datetime | None


@dataclass(frozen=True)
class OrderDetail:
    id: int
    gig_id: int
    gig_title: str
    package_tier: str
    package_name: str
    quantity: int
    delivery_days: int
    revisions_allowed: int
    revisions_used: int
    status: str
    is_late: bool
    viewer: Actor  # buyer, seller, or admin (an admin who is not a party)
    buyer_name: str
    seller_name: str
    money: OrderMoney
    payment_method: str
    created_at: datetime
    paid_at: datetime | None
    due_at: datetime | None
    delivered_at: datetime | None
    closed_at: datetime | None
    cancel_request: str  # "" none, "mine" the viewer's own, "theirs" the other party's
    cancel_reason: str
    cancel_requested_at: datetime | None
    extras: tuple[ExtraLine, ...]
    requirements: tuple[RequirementLine, ...]
    timeline: tuple[TimelineLine, ...]
    deliveries: tuple[DeliveryLine, ...]
    loose_files: tuple[FileLine, ...]  # the viewer's uploads not (yet) in a delivery
    actions: tuple[str, ...]
    tip: TipLine | None  # the paid tip, if any
    can_tip: bool  # the viewer is the buyer and may tip now
    deemed_supplier: bool = False  # the platform invoices the buyer the full price with VAT
    vat_rate_bp: int = 0
    seller_vat_number: str | None = None  # admins only: the seller's VAT number now ("" none)

    @property
    def revisions_left(self) -> int:
        return max(0, self.revisions_allowed - self.revisions_used)

    @property
    def package_price(self) -> Money:
        """One package's price: the subtotal less the extras, per unit."""
        extras = sum(extra.price.minor for extra in self.extras)
        return Money((self.money.subtotal.minor - extras) // max(1, self.quantity), self.money.subtotal.currency)


# -- lists -------------------------------------------------------------------------------------


def _mine(user_id: int, role: Role):  # type: ignore[no-untyped-def]
    """The condition "this person's orders on this side"; sellers never see unpaid orders."""
    if role is Role.BUYER:
        return col(Order.buyer_id) == user_id
    return (col(Order.seller_id) == user_id) & (col(Order.status) != S.PLACED.value)


def count_orders(session: Session, *, user_id: int, role: Role) -> dict[str, int]:
    """How many of the person's orders each tab holds (one grouped query)."""
    counts = dict(session.exec(select(Order.status, func.count()).where(_mine(user_id, role)).group_by(Order.status)).all())
    return {group: sum(counts.get(status.value, 0) for status in statuses) for group, statuses in STATUS_GROUPS.items()}


def list_orders(session: Session, *, user_id: int, role: Role, status_group: str, page: int = 1, per_page: int = PER_PAGE) -> OrderPage:
    """One page of the person's orders in a tab, newest first, with the other party's name.

    Raises:
        ValueError: an unknown tab (the caller cleans what the URL says first).
    """
    statuses = STATUS_GROUPS[status_group]
    per_page = min(max(1, per_page), MAX_PER_PAGE)
    condition = _mine(user_id, role) & col(Order.status).in_([status.value for status in statuses])
    total = session.exec(select(func.count()).select_from(Order).where(condition)).one()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    other = aliased(User)
    other_id = Order.seller_id if role is Role.BUYER else Order.buyer_id
    found = session.exec(
        select(Order, other.name)
        .join(other, col(other.id) == other_id)
        .where(condition)
        .order_by(col(Order.created_at).desc(), col(Order.id).desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    rows = tuple(
        OrderRow(
            id=order.id,  # type: ignore[arg-type]
            gig_title=order.gig_title,
            other_name=name,
            status=order.status,
            total=Money(order.total_minor, order.currency),
            due_at=order.due_at,
            is_late=order.is_late,
            created_at=order.created_at,
        )
        for order, name in found
    )
    return OrderPage(rows=rows, total=total, page=page, pages=pages)


# -- one order ---------------------------------------------------------------------------------


def _file(row: OrderFile) -> FileLine:
    return FileLine(token=row.token, name=row.name, mime=row.mime, size_bytes=row.size_bytes)


def _guard_holds(order: Order, action: str, user_id: int) -> bool:
    guard = MOVES[action].guard
    if guard == "revisions_left":
        return order.revisions_used < order.revisions_allowed
    if guard == "is_late":
        return order.is_late
    if guard == "no_request":
        return order.cancel_requested_by is None
    if guard == "own_request":
        return order.cancel_requested_by == user_id
    if guard == "other_request":
        return order.cancel_requested_by not in (None, user_id)
    return not guard


def available_actions(order: Order, actor: Actor, user_id: int) -> tuple[str, ...]:
    """The moves to offer a party now: allowed from this status and passing their guard."""
    if actor not in (Actor.BUYER, Actor.SELLER):
        return ()
    return tuple(action for action in actions_for(actor, order.status) if _guard_holds(order, action, user_id))


def _actor_of(order: Order, actor_id: int | None) -> str:
    """Who made a move: a party, an admin (anyone else who acted), or the platform (no one)."""
    if actor_id is None:
        return "platform"
    if actor_id == order.buyer_id:
        return "buyer"
    return "seller" if actor_id == order.seller_id else "admin"


def _timeline(session: Session, order: Order) -> tuple[TimelineLine, ...]:
    events = session.exec(
        select(OrderEvent, User.name)
        .join(User, col(User.id) == OrderEvent.actor_id, isouter=True)
        .where(OrderEvent.order_id == order.id)
        .order_by(col(OrderEvent.created_at), col(OrderEvent.id))
    ).all()
    return tuple(
        TimelineLine(kind=event.kind, actor=_actor_of(order, event.actor_id), actor_name=name or "", note=event.note, at=event.created_at)
        for event, name in events
    )


def _requirements(session: Session, order: Order, files: Sequence[OrderFile]) -> tuple[RequirementLine, ...]:
    by_token = {row.token: row for row in files if row.uploaded_by == order.buyer_id}
    questions = session.exec(
        select(OrderRequirement).where(OrderRequirement.order_id == order.id).order_by(col(OrderRequirement.position))
    ).all()
    lines = []
    for question in questions:
        attached = by_token.get(question.answer) if question.kind == "file" and question.answer else None
        lines.append(
            RequirementLine(
                position=question.position,
                question=question.question,
                kind=question.kind,
                choices=tuple(choice for choice in question.choices.splitlines() if choice.strip()),
                required=question.required,
                answer=question.answer,
                file=_file(attached) if attached is not None else None,
            )
        )
    return tuple(lines)


def _deliveries(session: Session, order: Order, files: Sequence[OrderFile]) -> tuple[DeliveryLine, ...]:
    rows = session.exec(select(OrderDelivery).where(OrderDelivery.order_id == order.id).order_by(col(OrderDelivery.number))).all()
    return tuple(
        DeliveryLine(
            number=delivery.number,
            message=delivery.message,
            at=delivery.created_at,
            files=tuple(_file(row) for row in files if row.delivery_id == delivery.id),
        )
        for delivery in rows
    )


def _tip(session: Session, order: Order, viewer: Actor) -> tuple[TipLine | None, bool]:
    """The order's paid tip, and whether ``viewer`` may give one now."""
    row = session.exec(select(OrderTip).where(OrderTip.order_id == order.id)).first()
    if row is not None and row.status == TipStatus.PAID.value and row.paid_at is not None:
        paid = TipLine(Money(row.amount_minor, row.currency), Money(row.seller_net_minor, row.currency), row.paid_at, row.clears_at)
        return paid, False
    return None, tip_refusal(order, viewer, clock.now()) is None


def _party_names(session: Session, order: Order) -> tuple[str, str]:
    names = dict(session.exec(select(User.id, User.name).where(col(User.id).in_([order.buyer_id, order.seller_id]))).all())
    return names.get(order.buyer_id, ""), names.get(order.seller_id, "")


def order_detail(session: Session, *, order_id: int, user_id: int, is_admin: bool = False) -> OrderDetail | None:
    """The order as its buyer, its seller or an admin sees it; ``None`` for anyone else."""
    order = session.get(Order, order_id)
    if order is None or order.id is None:
        return None
    if user_id == order.buyer_id:
        viewer = Actor.BUYER
    elif user_id == order.seller_id:
        viewer = Actor.SELLER
    elif is_admin:
        viewer = Actor.ADMIN
    else:
        return None
    files = session.exec(select(OrderFile).where(OrderFile.order_id == order.id).order_by(col(OrderFile.id))).all()
    extras = session.exec(select(OrderExtra).where(OrderExtra.order_id == order.id).order_by(col(OrderExtra.id))).all()
    buyer_name, seller_name = _party_names(session, order)
    requested = order.cancel_requested_by
    tip, can_tip = _tip(session, order, viewer)
    money = OrderMoney(
        **{
            name: Money(getattr(order, f"{name}_minor"), order.currency)
            for name in ("subtotal", "tip", "buyer_fee", "buyer_fee_vat", "full_price_vat", "total", "seller_net", "refunded")
        }
    )
    return OrderDetail(
        id=order.id,
        gig_id=order.gig_id,
        gig_title=order.gig_title,
        package_tier=order.package_tier,
        package_name=order.package_name,
        quantity=order.quantity,
        delivery_days=order.delivery_days,
        revisions_allowed=order.revisions_allowed,
        revisions_used=order.revisions_used,
        status=order.status,
        is_late=order.is_late,
        viewer=viewer,
        buyer_name=buyer_name,
        seller_name=seller_name,
        money=money,
        payment_method=order.payment_method,
        created_at=order.created_at,
        paid_at=order.paid_at,
        due_at=order.due_at,
        delivered_at=order.delivered_at,
        closed_at=order.closed_at,
        cancel_request="" if requested is None else "mine" if requested == user_id else "theirs",
        cancel_reason=order.cancel_reason,
        cancel_requested_at=order.cancel_requested_at,
        extras=tuple(ExtraLine(title=e.title, price=Money(e.price_minor, order.currency), added_days=e.added_days) for e in extras),
        requirements=_requirements(session, order, files),
        timeline=_timeline(session, order),
        deliveries=_deliveries(session, order, files),
        loose_files=tuple(_file(row) for row in files if row.uploaded_by == user_id and row.delivery_id is None),
        actions=available_actions(order, viewer, user_id),
        tip=tip,
        can_tip=can_tip,
        deemed_supplier=order.deemed_supplier,
        vat_rate_bp=order.vat_rate_bp,
        seller_vat_number=_seller_vat_number(session, order.seller_id) if viewer is Actor.ADMIN else None,
    )


def _seller_vat_number(session: Session, seller_id: int) -> str:
    """The seller's VAT number as the profile holds it now ("" when not VAT-registered)."""
    profile = session.exec(select(SellerProfile).where(SellerProfile.user_id == seller_id)).first()
    return profile.vat_number if profile is not None and profile.vat_registered else ""


# -- payments ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentOutcome:
    """How a gateway payment of the buyer's order ended (or that it has not yet)."""

    status: str  # initiated | paid | failed
    failure: str  # the gateway's message key or text when it failed


def _is_reference(value: object) -> bool:
    """Whether ``value`` (from a return URL: anything) can be a gateway's payment reference."""
    return isinstance(value, str) and 0 < len(value) <= 100 and value.isascii() and value.isprintable()


def payment_gateway(session: Session, *, order_id: int, reference: object) -> str | None:
    """The gateway an order's payment ``reference`` (for its total or its tip) was started with."""
    if not _is_reference(reference):
        return None
    return session.exec(select(Payment.gateway).where(Payment.reference == reference, Payment.order_id == order_id)).first()


def payment_outcome(
    session: Session, *, order_id: int, buyer_id: int, gateway: str, reference: object, for_tip: bool = False
) -> PaymentOutcome | None:
    """The buyer's payment ``reference`` for ``order_id``'s total (or, ``for_tip``, its tip);
    ``None`` if it is not theirs or not for that."""
    if not _is_reference(reference):
        return None
    tip = col(Payment.tip_id).is_not(None) if for_tip else col(Payment.tip_id).is_(None)
    payment = session.exec(
        select(Payment).where(
            Payment.gateway == gateway, Payment.reference == reference, Payment.order_id == order_id, Payment.buyer_id == buyer_id, tip
        )
    ).first()
    return None if payment is None else PaymentOutcome(status=payment.status, failure=payment.failure)

"""Every move of an order after checkout, one service function per transition.

Each function loads the order under a row lock, works out who the caller is to this order
(buyer, seller, admin, or the platform for jobs), asks ``machine.MOVES`` whether that actor may
make this move from the current state, checks the move's guard, then in the caller's single
transaction: changes the order, writes the timeline event, moves money through
``app.orders.funds`` and queues notifications. A refusal raises ``OrderError`` before anything
is written, so bad input changes nothing and money never moves twice (the ledger keys are per
order and per move as a second lock).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, exists, update
from sqlmodel import Session, col, func, select

from app.core import clock
from app.core.clock import as_utc
from app.orders import funds
from app.orders.errors import OrderError
from app.orders.machine import CLOSED, MOVES, Actor
from app.orders.policy import POLICY
from app.notifications.queue import queue_notifications
from app.payments.bank import NAME as BANK
from models.accounts import Role, User
from models.catalog import Gig
from models.orders import Order, OrderDelivery, OrderEvent, OrderFile, OrderRequirement, OrderStatus, Payment, PaymentStatus


# -- loading and authorising -----------------------------------------------------------------


def locked(session: Session, order_id: int) -> Order | None:
    """The order, locked for this transaction (``FOR UPDATE`` on Postgres; SQLite's write lock
    is already held by ``transaction()``)."""
    return session.exec(select(Order).where(Order.id == order_id).with_for_update()).first()


def party(session: Session, order_id: int, user_id: int) -> tuple[Order, Actor]:
    """The order and the caller's side of it; anyone else is told it does not exist."""
    order = locked(session, order_id)
    if order is None or user_id not in (order.buyer_id, order.seller_id):
        raise OrderError("order.not_found")
    return order, Actor.BUYER if user_id == order.buyer_id else Actor.SELLER


def _admin_order(session: Session, order_id: int, admin_id: int) -> Order:
    """Admins resolve disputes; moderators may not move money (domain.md)."""
    admin = session.get(User, admin_id)
    if admin is None or admin.role != Role.ADMIN.value or not admin.is_active:
        raise OrderError("order.not_found")
    order = locked(session, order_id)
    if order is None:
        raise OrderError("order.not_found")
    return order


def check_move(order: Order, action: str, actor: Actor) -> None:
    if order.status in CLOSED:
        raise OrderError("order.closed")
    move = MOVES[action]
    if actor not in move.actors or OrderStatus(order.status) not in move.sources:
        raise OrderError("order.not_allowed")


# -- what every move writes ------------------------------------------------------------------


def record(session: Session, order: Order, kind: str, actor_id: int | None, note: str = "") -> None:
    session.add(OrderEvent(order_id=order.id, actor_id=actor_id, kind=kind, note=note, created_at=clock.now()))  # type: ignore[arg-type]


def notify(session: Session, order: Order, kind: str, user_ids: Iterable[int]) -> None:
    """Queue a notification for each person (the notification centre and mail read the queue)."""
    queue_notifications(session, kind, user_ids, order_id=order.id)


def _other(order: Order, actor: Actor) -> int:
    return order.seller_id if actor is Actor.BUYER else order.buyer_id


def _move(session: Session, order: Order, status: OrderStatus, kind: str, actor_id: int | None, note: str = "") -> None:
    order.status = status.value
    if status in CLOSED:
        order.closed_at = clock.now()
    session.add(order)
    record(session, order, kind, actor_id, note)


def _text(value: object, *, limit: int, key: str, required: bool = True) -> str:
    """A note or message: stripped text within ``limit`` characters."""
    if not isinstance(value, str):
        raise OrderError(key)
    text = value.strip()
    if (required and not text) or len(text) > limit:
        raise OrderError(key, limit=limit)
    return text


# -- requirements ----------------------------------------------------------------------------


def start(session: Session, order: Order) -> None:
    """Start the clock: the seller can work from now, so the due time counts from now."""
    now = clock.now()
    order.status = OrderStatus.IN_PROGRESS.value
    order.started_at = now
    order.due_at = now + timedelta(days=order.delivery_days)
    session.add(order)


def submit_requirements(session: Session, *, order_id: int, user_id: int, answers: dict[int, str]) -> Order:
    """The buyer answers the gig's questions; the order starts.

    ``answers`` maps a question's position to its text (for a choice question, one of its
    choices; for a file question, the name of a file the buyer attached to this order).
    """
    order, actor = party(session, order_id, user_id)
    check_move(order, "submit_requirements", actor)
    questions = session.exec(select(OrderRequirement).where(OrderRequirement.order_id == order.id).order_by(OrderRequirement.position)).all()
    for question in questions:
        answer = _answer(session, order, question, answers.get(question.position, ""))
        question.answer = answer
        session.add(question)
    start(session, order)
    record(session, order, "requirements_submitted", user_id)
    notify(session, order, "requirements_submitted", [order.seller_id])
    return order


def _answer(session: Session, order: Order, question: OrderRequirement, value: object) -> str:
    text = _text(value if value is not None else "", limit=POLICY.max_message, key="order.invalid_answer", required=question.required)
    if not text:
        return ""
    if question.kind == "choice" and text not in question.choices.splitlines():
        raise OrderError("order.invalid_answer")
    if question.kind == "file" and not _has_file(session, order, text):
        raise OrderError("order.invalid_answer")
    return text


def _has_file(session: Session, order: Order, token: str) -> bool:
    found = session.exec(
        select(OrderFile.id).where(OrderFile.order_id == order.id, OrderFile.token == token, OrderFile.uploaded_by == order.buyer_id)
    ).first()
    return found is not None


# -- delivery and revisions ------------------------------------------------------------------


def deliver(session: Session, *, order_id: int, user_id: int, message: str, file_tokens: Iterable[str] = ()) -> OrderDelivery:
    """The seller delivers: a message and the files they attached to this order beforehand."""
    order, actor = party(session, order_id, user_id)
    check_move(order, "deliver", actor)
    text = _text(message, limit=POLICY.max_message, key="order.invalid_message")
    number = session.exec(select(func.count()).select_from(OrderDelivery).where(OrderDelivery.order_id == order.id)).one() + 1
    delivery = OrderDelivery(order_id=order.id, number=number, message=text, created_at=clock.now())  # type: ignore[arg-type]
    session.add(delivery)
    session.flush()
    for token in dict.fromkeys(file_tokens):
        attached = session.exec(
            select(OrderFile).where(OrderFile.order_id == order.id, OrderFile.token == token, OrderFile.uploaded_by == user_id, OrderFile.delivery_id.is_(None))  # type: ignore[union-attr]
        ).first()
        if attached is None:
            raise OrderError("order.invalid_file")
        attached.delivery_id = delivery.id
        session.add(attached)
    order.delivered_at = clock.now()
    _move(session, order, OrderStatus.DELIVERED, "delivered", user_id, text)
    notify(session, order, "delivered", [order.buyer_id])
    return delivery


def request_revision(session: Session, *, order_id: int, user_id: int, note: str) -> Order:
    """The buyer sends the delivery back, within the package's revisions."""
    order, actor = party(session, order_id, user_id)
    check_move(order, "request_revision", actor)
    if order.revisions_used >= order.revisions_allowed:
        raise OrderError("order.no_revisions_left")
    text = _text(note, limit=POLICY.max_note, key="order.invalid_note")
    order.revisions_used += 1
    now = clock.now()
    due = as_utc(order.due_at) if order.due_at else now
    order.due_at = max(due, now + POLICY.revision_grace)
    order.is_late = False
    _move(session, order, OrderStatus.IN_PROGRESS, "revision_requested", user_id, text)
    notify(session, order, "revision_requested", [order.seller_id])
    return order


def accept(session: Session, *, order_id: int, user_id: int) -> Order:
    """The buyer accepts the delivery: the escrow is split and the order completes."""
    order, actor = party(session, order_id, user_id)
    check_move(order, "accept", actor)
    _complete(session, order, "accepted", user_id)
    return order


def _complete(session: Session, order: Order, kind: str, actor_id: int | None, note: str = "") -> None:
    funds.settle(session, order)
    _move(session, order, OrderStatus.COMPLETED, kind, actor_id, note)
    # The gig's completed-orders count feeds cards, the «best» sort and search ties; one atomic
    # UPDATE, so two orders of the gig completing at once both count.
    session.exec(update(Gig).where(col(Gig.id) == order.gig_id).values(orders_completed=col(Gig.orders_completed) + 1))  # type: ignore[call-overload]
    notify(session, order, "completed", [order.buyer_id, order.seller_id])


# -- cancellation ----------------------------------------------------------------------------


def abandon(session: Session, *, order_id: int, user_id: int) -> Order:
    """The buyer drops an order they never paid; no money was held, none moves."""
    order, actor = party(session, order_id, user_id)
    check_move(order, "abandon", actor)
    _move(session, order, OrderStatus.CANCELLED, "abandoned", user_id)
    return order


def request_cancellation(session: Session, *, order_id: int, user_id: int, reason: str) -> Order:
    """Either party asks to cancel; the other has the window to accept or dispute."""
    order, actor = party(session, order_id, user_id)
    check_move(order, "request_cancellation", actor)
    if order.cancel_requested_by is not None:
        raise OrderError("order.cancellation_pending")
    order.cancel_requested_by = user_id
    order.cancel_requested_at = clock.now()
    order.cancel_reason = _text(reason, limit=500, key="order.invalid_reason")
    session.add(order)
    record(session, order, "cancellation_requested", user_id, order.cancel_reason)
    notify(session, order, "cancellation_requested", [_other(order, actor)])
    return order


def withdraw_cancellation(session: Session, *, order_id: int, user_id: int) -> Order:
    order, actor = party(session, order_id, user_id)
    check_move(order, "withdraw_cancellation", actor)
    if order.cancel_requested_by != user_id:
        raise OrderError("order.no_cancellation")
    _clear_request(order)
    session.add(order)
    record(session, order, "cancellation_withdrawn", user_id)
    notify(session, order, "cancellation_withdrawn", [_other(order, actor)])
    return order


def accept_cancellation(session: Session, *, order_id: int, user_id: int, refund_to: str = funds.WALLET) -> Order:
    """The other party agrees: the order is cancelled and the buyer refunded in full (a buyer
    agreeing to the seller's request chooses ``refund_to``: ``"card"`` or ``"wallet"``)."""
    order, actor = party(session, order_id, user_id)
    check_move(order, "accept_cancellation", actor)
    if order.cancel_requested_by is None or order.cancel_requested_by == user_id:
        raise OrderError("order.no_cancellation")
    _cancel(session, order, "cancellation_accepted", user_id, refund_to=refund_to if actor is Actor.BUYER else funds.WALLET)
    return order


def cancel_late(session: Session, *, order_id: int, user_id: int, reason: str = "", refund_to: str = funds.WALLET) -> Order:
    """A late order may be cancelled by the buyer at once, with a full refund to ``refund_to``."""
    order, actor = party(session, order_id, user_id)
    check_move(order, "cancel_late", actor)
    if not order.is_late:
        raise OrderError("order.not_late")
    note = _text(reason, limit=500, key="order.invalid_reason", required=False)
    _cancel(session, order, "cancelled_late", user_id, note, refund_to=refund_to)
    return order


def _clear_request(order: Order) -> None:
    order.cancel_requested_by = None
    order.cancel_requested_at = None
    order.cancel_reason = ""


def _cancel(session: Session, order: Order, kind: str, actor_id: int | None, note: str = "", *, refund_to: str = funds.WALLET) -> None:
    funds.refund(session, order, order.total_minor - order.refunded_minor, refund_to=refund_to)
    _clear_request(order)
    _move(session, order, OrderStatus.CANCELLED, kind, actor_id, note)
    notify(session, order, "cancelled", [order.buyer_id, order.seller_id])


# -- disputes --------------------------------------------------------------------------------


def dispute(session: Session, *, order_id: int, user_id: int, reason: str) -> Order:
    """Either party asks the platform to decide (also the way to refuse a cancellation)."""
    order, actor = party(session, order_id, user_id)
    check_move(order, "dispute", actor)
    text = _text(reason, limit=POLICY.max_note, key="order.invalid_reason")
    order.status_before_dispute = order.status
    _clear_request(order)
    _move(session, order, OrderStatus.DISPUTED, "disputed", user_id, text)
    notify(session, order, "disputed", [_other(order, actor)])
    return order


RESOLUTIONS = ("release", "refund", "cancel")


def resolve(
    session: Session, *, order_id: int, admin_id: int, outcome: str, note: str, refund_minor: int = 0, refund_to: str = funds.WALLET
) -> Order:
    """An admin closes a dispute: release to the seller, refund part or all, or cancel.

    A partial refund returns ``refund_minor`` to the buyer and completes the rest, so the
    commission is taken on what the seller keeps. A refund goes to ``refund_to``: the buyer's
    wallet, or back to the card that paid the order (``card_refunds``).
    """
    order = _admin_order(session, order_id, admin_id)
    if outcome not in RESOLUTIONS:
        raise OrderError("order.not_allowed")
    check_move(order, f"resolve_{outcome}", Actor.ADMIN)
    text = _text(note, limit=POLICY.max_note, key="order.invalid_note")
    if outcome == "release":
        _complete(session, order, "resolved_release", admin_id, text)
    elif outcome == "cancel":
        _cancel(session, order, "resolved_cancel", admin_id, text, refund_to=refund_to)
    else:
        _refund_part(session, order, refund_minor, admin_id, text, refund_to)
    return order


def _refund_part(session: Session, order: Order, amount: object, admin_id: int, note: str, refund_to: str) -> None:
    """Refund all of the order, or part of what the seller would earn (the buyer fee goes back
    only with a full refund; a deemed order's part goes back with its VAT); the seller is paid
    for the rest."""
    full = order.total_minor - order.refunded_minor
    if type(amount) is not int or not (0 < amount < funds.earned_minor(order) or amount == full):
        raise OrderError("order.invalid_refund")
    funds.refund(session, order, amount if amount == full else funds.refund_amount(order, amount), refund_to=refund_to)  # a part comes back with its VAT
    if amount < full:
        funds.settle(session, order)
    _move(session, order, OrderStatus.REFUNDED, "resolved_refund", admin_id, note)
    notify(session, order, "refunded", [order.buyer_id, order.seller_id])


# -- the platform's moves (jobs) -------------------------------------------------------------


def awaiting_transfer(now: datetime) -> ColumnElement[bool]:
    """"The order waits on a bank transfer": one is pending (its own expiry job decides), or one
    was rejected less than the unpaid period ago (the buyer gets that long to pay another way)."""
    return exists(
        select(Payment.id).where(
            Payment.order_id == Order.id,
            Payment.gateway == BANK,
            (col(Payment.status) == PaymentStatus.INITIATED.value) | (col(Payment.updated_at) > now - POLICY.unpaid_for),
        )
    )


def drop_unpaid(session: Session, order: Order, kind: str) -> None:
    """Cancel an unpaid order the platform gives up on (``kind`` names why on the timeline)."""
    _move(session, order, OrderStatus.CANCELLED, kind, None)


def expire_unpaid(session: Session, *, order_id: int, now: datetime) -> bool:
    """Drop an order left unpaid too long, so it stops showing as waiting; no money was held.
    An order waiting on a bank transfer is left to the transfer's own expiry."""
    order = locked(session, order_id)
    if order is None or order.status != OrderStatus.PLACED.value or as_utc(order.created_at) + POLICY.unpaid_for > now:
        return False
    if session.exec(select(awaiting_transfer(now)).where(Order.id == order_id)).first():
        return False
    drop_unpaid(session, order, "expired_unpaid")
    return True


def auto_complete(session: Session, *, order_id: int, now: datetime) -> bool:
    """Complete a delivery the buyer left unanswered for the review window; False if not due."""
    order = locked(session, order_id)
    if order is None or order.status != OrderStatus.DELIVERED.value or order.delivered_at is None:
        return False
    if as_utc(order.delivered_at) + POLICY.auto_complete_after > now:
        return False
    _complete(session, order, "auto_completed", None)
    return True


def mark_late(session: Session, *, order_id: int, now: datetime) -> bool:
    """Flag an order past its due time; the buyer may then cancel it."""
    order = locked(session, order_id)
    if order is None or order.status != OrderStatus.IN_PROGRESS.value or order.is_late or order.due_at is None:
        return False
    if as_utc(order.due_at) > now:
        return False
    order.is_late = True
    session.add(order)
    record(session, order, "late", None)
    notify(session, order, "late", [order.buyer_id, order.seller_id])
    return True


def cancellation_timeout(session: Session, *, order_id: int, now: datetime) -> bool:
    """Silence is consent: a request left unanswered for the window cancels the order."""
    order = locked(session, order_id)
    if order is None or order.status in CLOSED or order.status == OrderStatus.DISPUTED.value or order.cancel_requested_at is None:
        return False
    if as_utc(order.cancel_requested_at) + POLICY.cancellation_window > now:
        return False
    _cancel(session, order, "cancellation_timed_out", None)
    return True


def clear(session: Session, *, order_id: int, now: datetime) -> bool:
    """Make a completed order's earnings available once its clearance period is over."""
    order = locked(session, order_id)
    if order is None or order.cleared_at is not None or order.clears_at is None or as_utc(order.clears_at) > now:
        return False
    funds.release(session, order)
    order.cleared_at = now
    session.add(order)
    record(session, order, "cleared", None)
    notify(session, order, "cleared", [order.seller_id])
    return True

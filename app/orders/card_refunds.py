"""Refunds to the card that paid an order: booked with the refund, made at the gateway after commit.

The rule (docs/architecture.md, «Card refunds»): an order paid by card gets its refund back on
that card when the one refunding chooses so (the admin resolving a dispute picks «إلى البطاقة» or
«إلى المحفظة», the buyer cancelling picks the same; the forms preselect the card for an order
paid by card); an order paid from the wallet is refunded to the wallet, and «to the card» is
refused for it (``order.refund_no_card``), as is more than the card paid
(``order.refund_above_card``), before any call.

The money moves in two steps so that it never moves twice and never hangs on the network:

1. In the refunding transaction (``book``): escrow → buyer wallet as for every refund
   (``funds.refund``), then wallet → ``psp:<gateway>:clearing`` under the per-refund key
   ``payment:<gateway>:<reference>:refund``, and a ``CardRefund`` row (pending) under that same key. Nothing is
   sent to the gateway yet: if the transaction rolls back, no card was refunded.
2. After the commit (``on_commit``) and again by the ``card_refunds`` job until it settles
   (``attempt``): the row is locked, the gateway's ``refund()`` is called with the key
   ``refund:<key>`` (the gateway answers a repeated key with the refund it already made, so a retry
   after a lost answer or a crash never refunds twice), and the row becomes ``done``. A refusal
   the gateway will repeat (not refundable, an idempotency conflict, a gateway switched off), or
   the last of ``MAX_ATTEMPTS`` failed tries, makes it ``failed``: the booking is reversed
   (``…:refund:failed``, clearing → wallet) so the money is in the buyer's wallet,
   and the buyer is told so in Arabic. A 5xx or a time-out keeps it pending for the job, later
   each time.

``mihan ledger check`` keeps the two sides together (``audit.card_refund_mismatches``).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.core import clock
from app.core.db import on_commit, transaction
from app.core.money import Money
from app.ledger import chart, credit, debit, post
from app.notifications.queue import queue_notifications
from app.orders.errors import OrderError
from app.payments.errors import PaymentError
from app.payments.reconcile import payment_key
from app.payments.registry import get_gateway
from models.ledger import LedgerAccount, LedgerEntry, LedgerTransaction, TransactionKind
from models.orders import CardRefund, CardRefundStatus, Order, Payment, PaymentStatus

log = logging.getLogger(__name__)

CARD = "card"
WALLET = "wallet"
DESTINATIONS = (CARD, WALLET)
MAX_ATTEMPTS = 8
# refusals worth another try later: the gateway could not be reached or answered with an error
TRANSIENT = frozenset({"payment.gateway_unavailable", "payment.gateway_error"})


def ledger_key(payment: Payment) -> str:
    """The key of the wallet → clearing booking, and of the card refund itself (one per order,
    so one per payment): the payment's own key with ``:refund``, the shape reconciliation reads
    as a refund of that payment (``app.payments.reconcile``)."""
    return f"{payment_key(payment.gateway, payment.reference)}:refund"


def gateway_key(refund: CardRefund) -> str:
    """The idempotency key the gateway's ``refund()`` gets: derived from the booking's key."""
    return f"refund:{refund.idempotency_key}"


def card_payment(session: Session, order: Order) -> Payment | None:
    """The card payment whose money the order's escrow holds (None for a wallet-paid order).

    A second payment of an already paid order went to the wallet (``checkout``), so the one that
    paid the order is the paid payment whose ledger posting credited this order's escrow.
    """
    if not order.paid_at or order.payment_method in ("", WALLET):
        return None
    paid = session.exec(
        select(Payment)
        .where(Payment.order_id == order.id, col(Payment.tip_id).is_(None), Payment.status == PaymentStatus.PAID.value)
        .order_by(col(Payment.id))
    ).all()
    for payment in paid:
        held = session.exec(
            select(LedgerEntry.id)
            .join(LedgerTransaction, col(LedgerTransaction.id) == col(LedgerEntry.transaction_id))
            .join(LedgerAccount, col(LedgerAccount.id) == col(LedgerEntry.account_id))
            .where(LedgerTransaction.idempotency_key == payment_key(payment.gateway, payment.reference), LedgerAccount.code == chart.escrow(order.id))  # type: ignore[arg-type]
        ).first()
        if held is not None:
            return payment
    return None


def paid_by_card(session: Session, order: Order) -> bool:
    return card_payment(session, order) is not None


def ensure_destination(session: Session, order: Order, refund_to: object, amount_minor: int) -> Payment | None:
    """The card payment to refund ``amount_minor`` to, or None for the wallet; checked before
    anything moves.

    Raises:
        OrderError: ``order.invalid_refund_to`` (neither card nor wallet), ``order.refund_no_card``
            (the order was not paid by card), ``order.refund_above_card`` (more than the card paid
            less what was already refunded to it).
    """
    if not isinstance(refund_to, str) or refund_to not in DESTINATIONS:
        raise OrderError("order.invalid_refund_to")
    if refund_to == WALLET:
        return None
    payment = card_payment(session, order)
    if payment is None:
        raise OrderError("order.refund_no_card")
    already = session.exec(
        select(func.coalesce(func.sum(CardRefund.amount_minor), 0)).where(
            CardRefund.payment_id == payment.id, CardRefund.status != CardRefundStatus.FAILED.value
        )
    ).one()
    if amount_minor + int(already) > payment.amount_minor or payment.currency != order.currency:
        raise OrderError("order.refund_above_card")
    return payment


def book(session: Session, order: Order, payment: Payment, amount_minor: int) -> CardRefund:
    """Owe ``amount_minor`` (already in the buyer's wallet) back to ``payment``'s card: the
    wallet → clearing booking and the pending row, in the caller's transaction; the gateway is
    asked once it commits."""
    now = clock.now()
    key = ledger_key(payment)
    amount = Money(amount_minor, order.currency)
    post(
        session,
        key,
        [debit(chart.buyer_wallet(order.buyer_id), amount), credit(chart.psp_clearing(payment.gateway), amount)],
        kind=TransactionKind.REFUND,
        memo="refund to the card",
        order_id=order.id,
    )
    refund = CardRefund(
        order_id=order.id,  # type: ignore[arg-type]
        payment_id=payment.id,  # type: ignore[arg-type]
        buyer_id=order.buyer_id,
        gateway=payment.gateway,
        idempotency_key=key,
        amount_minor=amount_minor,
        currency=order.currency,
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(refund)
    session.flush()
    refund_id, url = refund.id, session.get_bind().url.render_as_string(hide_password=False)
    on_commit(session, lambda: _attempt_now(refund_id, url))  # type: ignore[arg-type]
    return refund


def _attempt_now(refund_id: int, url: str) -> None:
    with transaction(url) as session:
        attempt(session, card_refund_id=refund_id, now=clock.now())


def attempt(session: Session, *, card_refund_id: int, now: datetime) -> bool:
    """Ask the gateway to make a pending card refund (after commit, and the job's step); True
    when the refund settled (done or failed) in this call."""
    refund = session.exec(select(CardRefund).where(CardRefund.id == card_refund_id).with_for_update()).first()
    if refund is None or refund.status != CardRefundStatus.PENDING.value:
        return False
    payment = session.get(Payment, refund.payment_id)
    assert payment is not None
    refund.attempts += 1
    refund.updated_at = now
    try:
        made = get_gateway(refund.gateway).refund(
            session, reference=payment.reference, amount=Money(refund.amount_minor, refund.currency), idempotency_key=gateway_key(refund)
        )
    except (PaymentError, ValueError) as exc:
        key = exc.key if isinstance(exc, PaymentError) else "payment.not_refundable"
        log.warning("card refund %s of order %s refused by %s: %s", refund.id, refund.order_id, refund.gateway, key)
        refund.failure = key[:200]
        if key in TRANSIENT and refund.attempts < MAX_ATTEMPTS:
            refund.next_attempt_at = now + backoff(refund.attempts)
            session.add(refund)
            return False
        _give_up(session, refund)
        return True
    refund.status = CardRefundStatus.DONE.value
    refund.gateway_reference = made.refund_reference[:100]
    refund.failure = ""
    session.add(refund)
    queue_notifications(session, "card_refunded", [refund.buyer_id], order_id=refund.order_id)
    return True


def backoff(attempts: int) -> timedelta:
    """How long the job waits before the next try: 2, 4, 8 … minutes, at most six hours."""
    return timedelta(minutes=min(2**attempts, 360))


def _give_up(session: Session, refund: CardRefund) -> None:
    """The card will not be refunded: the money goes back to the buyer's wallet, and they are told."""
    amount = Money(refund.amount_minor, refund.currency)
    post(
        session,
        f"{refund.idempotency_key}:failed",
        [debit(chart.psp_clearing(refund.gateway), amount), credit(chart.buyer_wallet(refund.buyer_id), amount)],
        kind=TransactionKind.REFUND,
        memo="card refund failed: kept in the buyer's wallet",
        order_id=refund.order_id,
    )
    refund.status = CardRefundStatus.FAILED.value
    session.add(refund)
    queue_notifications(session, "card_refund_failed", [refund.buyer_id], order_id=refund.order_id)


def due(now: datetime):  # type: ignore[no-untyped-def]
    """The job's candidates: pending card refunds whose next try is due."""
    return (col(CardRefund.status) == CardRefundStatus.PENDING.value) & (col(CardRefund.next_attempt_at) <= now)


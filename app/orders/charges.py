"""Gateway payments of an order's total or of its tip: start one, record its verified result.

Checkout and tips both send the buyer to a gateway; this is the one place that starts those
payments and records what the gateway says, so both keep the same guarantees. The idempotency
key is ``<what>:<gateway>:<attempt>`` (``order:12:sandbox:0``, ``tip:3:sandbox:1``), where the
attempt is the payment's place among those made for the same thing: a double click or a second
tab finds the pending payment of the same amount and reuses it, while a retry after a declined
card (or a tip of another amount) is the next attempt, a new payment. The caller holds the
order's row lock, so two tabs count the same payments.

``record_result`` applies a gateway's verified word to its ``Payment`` row at most once and
says whether the payment has just been paid; what the money does then is the caller's
(checkout holds it in escrow, a tip is split at once).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from app.core import clock
from app.core.i18n import translate
from app.core.money import Money
from app.orders.lifecycle import locked
from app.payments.gateway import PaymentResult
from app.payments.reconcile import payment_key
from app.payments.registry import get_gateway
from models.orders import Order, OrderTip, Payment, PaymentStatus


@dataclass(frozen=True)
class Charge:
    """What a gateway payment is for: an order's total, or (with ``tip``) one of its tips."""

    order: Order
    tip: OrderTip | None = None

    @property
    def amount(self) -> Money:
        if self.tip is not None:
            return Money(self.tip.amount_minor, self.tip.currency)
        return Money(self.order.total_minor, self.order.currency)

    @property
    def key(self) -> str:
        return f"tip:{self.tip.id}" if self.tip is not None else f"order:{self.order.id}"

    @property
    def description(self) -> str:
        if self.tip is not None:
            return translate("payment.tip_description", title=self.order.gig_title)
        return self.order.gig_title

    def payments(self) -> ColumnElement[bool]:
        """The condition "a payment for this": the order's, and of this tip or of no tip."""
        tip = col(Payment.tip_id).is_(None) if self.tip is None else col(Payment.tip_id) == self.tip.id
        return (col(Payment.order_id) == self.order.id) & tip


@dataclass(frozen=True)
class Recorded:
    """A verified result applied to its payment; ``newly_paid`` only the first time it is paid."""

    payment: Payment
    order: Order
    newly_paid: bool


def ledger_key(payment: Payment) -> str:
    """The ledger key of the money a gateway payment brought in, whatever it ends up paying."""
    return payment_key(payment.gateway, payment.reference)


def _attempt(made: Sequence[Payment], gateway: str, amount: Money) -> int:
    """The pending payment of this gateway and amount is reused; anything else is a new attempt."""
    for place, payment in enumerate(made):
        pending = payment.status == PaymentStatus.INITIATED.value and payment.gateway == gateway
        if pending and Money(payment.amount_minor, payment.currency) == amount:
            return place
    return len(made)


def start_payment(session: Session, charge: Charge, *, gateway: str, return_url: str) -> str:
    """Create (or reuse) the gateway payment for ``charge``; return where the buyer pays.

    The caller has checked the buyer may pay and holds the order's lock.

    Raises:
        PaymentError: ``payment.unknown_gateway``, ``payment.idempotency_conflict``.
    """
    chosen = get_gateway(gateway)
    made = session.exec(select(Payment).where(charge.payments()).order_by(col(Payment.id))).all()
    amount = charge.amount
    metadata = {"order": str(charge.order.id)} | ({"tip": str(charge.tip.id)} if charge.tip is not None else {})
    started = chosen.start(
        session,
        amount=amount,
        description=charge.description,
        return_url=return_url,
        idempotency_key=f"{charge.key}:{chosen.name}:{_attempt(made, chosen.name, amount)}",
        metadata=metadata,
    )
    known = session.exec(select(Payment).where(Payment.gateway == chosen.name, Payment.reference == started.reference)).first()
    if known is None:
        now = clock.now()
        session.add(
            Payment(
                order_id=charge.order.id,  # type: ignore[arg-type]
                tip_id=charge.tip.id if charge.tip is not None else None,
                buyer_id=charge.order.buyer_id,
                gateway=chosen.name,
                reference=started.reference,
                amount_minor=amount.minor,
                currency=amount.currency,
                created_at=now,
                updated_at=now,
            )
        )
    return started.redirect_url


def record_result(session: Session, result: PaymentResult) -> Recorded | None:
    """Apply a verified gateway result to its payment, at most once; None for a stranger's.

    The payment and then its order are locked, so a webhook and the buyer's return reporting
    the same payment at once are applied one after the other, and the second finds it settled.
    A failure, or a paid amount other than the one asked, fails the payment.
    """
    payment = session.exec(
        select(Payment).where(Payment.gateway == result.gateway, Payment.reference == result.reference).with_for_update()
    ).first()
    if payment is None:
        return None
    order = locked(session, payment.order_id)
    assert order is not None
    if payment.status != PaymentStatus.INITIATED.value or result.status == PaymentStatus.INITIATED:
        return Recorded(payment, order, newly_paid=False)
    payment.updated_at = clock.now()
    if result.status == PaymentStatus.FAILED or result.amount != Money(payment.amount_minor, payment.currency):
        payment.status = PaymentStatus.FAILED.value
        payment.failure = result.message[:200] if result.status == PaymentStatus.FAILED else "amount mismatch"
        session.add(payment)
        return Recorded(payment, order, newly_paid=False)
    payment.status = PaymentStatus.PAID.value
    session.add(payment)
    return Recorded(payment, order, newly_paid=True)

"""Tips after completion (إكرامية): the buyer thanks the seller of a completed order.

As on Fiverr: one tip per order, given by its buyer within a month of completion, from 5.00 to
1000.00 of the order's currency (the rules are ``policy.tip_refusal`` and
``policy.tip_amount_refusal``). A tip is priced by ``app.pricing.quote_order`` as an order of
nothing but a tip, at the order's frozen commission rate and VAT, so commission applies and the
buyer fee does not; the figures are frozen on the ``OrderTip`` for the tax invoices.

Paying from the wallet splits the money at once (``funds.pay_tip``). Paying by card starts a
gateway payment through ``charges``, the machinery checkout uses; the verified result reaches
``apply_payment`` through the registered result handler (the buyer's return and the webhook,
any number of times) and moves the money once. Until it is paid the tip is ``initiated`` and
the buyer may change its amount or the way to pay; a card payment that succeeds for a tip
already paid, or for an amount the buyer has since changed, is kept in the buyer's wallet:
never lost, never split twice.

Every call locks the order row first, as ``lifecycle`` does, so a double click or a second tab
waits for the first and then finds the tip paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from app.catalog.inputs import to_minor
from app.core import clock
from app.core.clock import as_utc
from app.core.money import Money
from app.ledger.errors import LedgerError
from app.orders import charges, funds
from app.orders.errors import OrderError
from app.orders.lifecycle import notify, party, record
from app.orders.policy import POLICY, tip_amount_refusal, tip_refusal
from app.payments.registry import get_gateway
from app.pricing import FeePolicy, Quote, SellerTerms, TaxRule, quote_order
from models.orders import Order, OrderTip, Payment, TipStatus

WALLET = funds.WALLET
MAX_TYPED = 20  # characters of a typed amount looked at


@dataclass(frozen=True)
class TipStarted:
    """A tip given: paid already (from the wallet), or waiting on the gateway's page."""

    tip: OrderTip
    redirect_url: str  # where the buyer pays by card; "" when it is paid


def _riyals(minor: int) -> str:
    return str(minor // 100) if minor % 100 == 0 else f"{minor // 100}.{minor % 100:02d}"


def _refuse(key: str) -> OrderError:
    """The refusal ``key`` with every number its sentence may name."""
    return OrderError(key, min=_riyals(POLICY.tip_min_minor), max=_riyals(POLICY.tip_max_minor), days=POLICY.tip_window.days)


def parse_amount(value: object, currency: str = "SAR") -> Money:
    """A typed or picked amount ("25", "25.50", "٢٥٫٥") as ``Money`` in whole halalas.

    Raises:
        OrderError: ``order.tip_invalid_amount`` (not text or a whole number, more decimals than
            halalas, or outside the bounds).
    """
    if isinstance(value, bool) or not isinstance(value, str | int) or len(str(value)) > MAX_TYPED:
        raise _refuse("order.tip_invalid_amount")
    try:
        amount = Money(to_minor(value), currency)
    except ValueError:
        raise _refuse("order.tip_invalid_amount") from None
    refusal = tip_amount_refusal(amount, currency)
    if refusal:
        raise _refuse(refusal)
    return amount


def quote_tip(order: Order, amount: Money) -> Quote:
    """Price ``amount`` as a tip on ``order``: the order's frozen commission rate and VAT."""
    frozen = FeePolicy(commission_bp=order.commission_rate_bp, taxes={order.currency: TaxRule(order.vat_country, order.vat_rate_bp)})
    return quote_order(price=Money(0, order.currency), tip=amount, seller=SellerTerms(), at=clock.now(), policy=frozen)


def tip_of(session: Session, order_id: int) -> OrderTip | None:
    return session.exec(select(OrderTip).where(OrderTip.order_id == order_id)).first()


def give_tip(session: Session, *, order_id: int, user_id: int, amount: Money, method: str, return_url: str = "") -> TipStarted:
    """Tip the seller of the buyer's completed order, from the wallet or through a gateway.

    ``method`` is ``"wallet"`` or a gateway's name; ``return_url`` is where that gateway sends
    the buyer back (a path of this site).

    Raises:
        OrderError: ``order.not_found``, ``order.tip_buyer_only``, ``order.tip_not_completed``,
            ``order.tip_too_late``, ``order.tip_already_given``, ``order.tip_invalid_amount``,
            ``order.tip_wrong_currency``, ``order.tip_wallet_short``.
        PaymentError: ``payment.unknown_gateway``.
    """
    order, actor = party(session, order_id, user_id)
    refusal = tip_refusal(order, actor, clock.now())
    if refusal:
        raise _refuse(refusal)
    tip = tip_of(session, order.id)  # type: ignore[arg-type]
    if tip is not None and tip.status == TipStatus.PAID.value:
        raise _refuse("order.tip_already_given")
    refusal = tip_amount_refusal(amount, order.currency)
    if refusal:
        raise _refuse(refusal)
    if method != WALLET:
        get_gateway(method)  # an unknown gateway is refused before anything is written
    tip = _priced(session, order, tip, amount)
    if method == WALLET:
        _pay_from_wallet(session, order, tip)
        return TipStarted(tip, "")
    return TipStarted(tip, charges.start_payment(session, charges.Charge(order, tip), gateway=method, return_url=return_url))


def _priced(session: Session, order: Order, tip: OrderTip | None, amount: Money) -> OrderTip:
    """The order's tip, new or (while unpaid) re-priced for ``amount``, frozen for the invoice."""
    quote = quote_tip(order, amount)
    if tip is None:
        tip = OrderTip(order_id=order.id, buyer_id=order.buyer_id, seller_id=order.seller_id, created_at=clock.now())  # type: ignore[arg-type]
    tip.currency = quote.currency
    tip.amount_minor = quote.tip.minor
    tip.commission_rate_bp = quote.commission_rate_bp
    tip.commission_minor = quote.commission.minor
    tip.commission_vat_minor = quote.commission_vat.minor
    tip.vat_country = quote.vat_country
    tip.vat_rate_bp = quote.vat_rate_bp
    tip.seller_net_minor = quote.seller_net.minor
    session.add(tip)
    session.flush()
    return tip


def _pay_from_wallet(session: Session, order: Order, tip: OrderTip) -> None:
    try:
        funds.pay_tip(session, tip, source=WALLET)
    except LedgerError as exc:
        if exc.key != "ledger.insufficient_funds":
            raise
        raise _refuse("order.tip_wallet_short") from exc
    _paid(session, order, tip, WALLET)


def _paid(session: Session, order: Order, tip: OrderTip, method: str) -> None:
    """The tip is split: it clears like the order's earnings, and the seller hears of it."""
    now = clock.now()
    tip.status = TipStatus.PAID.value
    tip.payment_method = method
    tip.paid_at = now
    tip.clears_at = now + funds.clearance(session, order)
    session.add(tip)
    record(session, order, "tipped", tip.buyer_id, method)
    notify(session, order, "tipped", [order.seller_id])


def apply_payment(session: Session, order: Order, payment: Payment) -> None:
    """A gateway has just paid ``payment`` for a tip of ``order`` (locked by the caller).

    The tip is split; if it no longer needs this money (paid meanwhile, or re-priced since the
    payment started) the money is kept in the buyer's wallet instead.
    """
    tip = session.get(OrderTip, payment.tip_id)
    paid = Money(payment.amount_minor, payment.currency)
    if tip is None or tip.status == TipStatus.PAID.value or paid != Money(tip.amount_minor, tip.currency):
        funds.credit_wallet(session, buyer_id=order.buyer_id, gateway=payment.gateway, key=charges.ledger_key(payment), amount=paid, order_id=order.id)
        notify(session, order, "tip_kept_in_wallet", [order.buyer_id])
        return
    funds.pay_tip(session, tip, source=payment.gateway)
    _paid(session, order, tip, payment.gateway)


def clear(session: Session, *, tip_id: int, now: datetime) -> bool:
    """Make a paid tip's net available once its clearance is over; False if not due or done."""
    tip = session.exec(select(OrderTip).where(OrderTip.id == tip_id).with_for_update()).first()
    if tip is None or tip.status != TipStatus.PAID.value or tip.cleared_at is not None or tip.clears_at is None:
        return False
    if as_utc(tip.clears_at) > now:
        return False
    funds.release_tip(session, tip)
    tip.cleared_at = now
    session.add(tip)
    order = session.get(Order, tip.order_id)
    assert order is not None
    notify(session, order, "tip_cleared", [tip.seller_id])
    return True

"""Checkout: place an order for a package (with extras and a quantity) and pay for it.

Placing freezes everything the order will need — the package, the extras, the requirements
questions and the price breakdown from ``app.pricing``, with the invoicing mode the seller's VAT
registration and the fee policy decide at that moment (agent, or deemed supplier with VAT on the
full price) — so later gig edits, or the seller changing their VAT status, never change it.
Paying moves the total into the order's escrow, from the buyer's wallet or through a gateway.

Paying twice is expected, not exceptional: a double click and two tabs reuse one gateway
payment (``charges``: the idempotency key is per order, gateway and attempt), and a replayed
webhook or a second return finds the payment already settled and does nothing. The one result
handler also applies the payments of tips (``tips.apply_payment``). If two *different* gateway
payments both succeed for one order, the first pays the order and the second is kept in the
buyer's wallet: the money is never lost and never held twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlmodel import Session, func, select

from app.core import clock
from app.core.money import Money
from app.invoices import issue_for_payment
from app.orders import charges, funds, tips
from app.orders.errors import OrderError
from app.orders.lifecycle import check_move, notify, party, record, start
from app.orders.policy import POLICY
from app.payments import webhooks
from app.payments.gateway import PaymentResult
from app.payments.registry import get_gateway
from app.pricing import SellerTerms, quote_order
from models.accounts import SellerProfile
from models.catalog import Gig, GigExtra, GigPackage, GigRequirement, GigStatus, PackageTier
from models.orders import Order, OrderExtra, OrderRequirement, OrderStatus, Payment


class CheckoutInput(BaseModel):
    """What the buyer picks on the gig page: a package, how many, which extras (by position)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    tier: PackageTier
    quantity: int = Field(default=1, ge=1, le=POLICY.max_quantity, strict=True)
    extras: Annotated[list[Annotated[int, Field(ge=0, le=50, strict=True)]], Field(max_length=10)] = []


@dataclass(frozen=True)
class Terms:
    """What is bought, frozen on the order: a package's (or a custom offer's) name and numbers."""

    tier: str  # a package tier, or ``CUSTOM_TIER``
    name: str
    price: Money  # one unit, before extras
    quantity: int
    delivery_days: int
    revisions: int


CUSTOM_TIER = "custom"  # an order placed from a custom offer


def parse_checkout(data: object) -> CheckoutInput:
    """Validate the buyer's choice; raise ``OrderError('order.invalid_<field>')``."""
    if not isinstance(data, dict):
        raise OrderError("order.invalid_choice")
    try:
        parsed = CheckoutInput.model_validate(data)
    except ValidationError as exc:
        field = str(exc.errors()[0]["loc"][0])
        raise OrderError("order.invalid_quantity" if field == "quantity" else "order.invalid_choice") from None
    if len(set(parsed.extras)) != len(parsed.extras):
        raise OrderError("order.invalid_choice")
    return parsed


def _seller_terms(session: Session, seller_id: int) -> SellerTerms:
    profile = session.exec(select(SellerProfile).where(SellerProfile.user_id == seller_id)).first()
    if profile is None:
        return SellerTerms()
    return SellerTerms(level=profile.level, founding_since=profile.founding_since, vat_registered=profile.vat_registered)


def place_order(session: Session, *, buyer_id: int, gig_id: int, data: CheckoutInput) -> Order:
    """Create an unpaid order for an active gig of someone else.

    Raises:
        OrderError: ``order.gig_unavailable``, ``order.own_gig``, ``order.invalid_choice``.
    """
    gig = _orderable_gig(session, gig_id, buyer_id)
    package = session.exec(select(GigPackage).where(GigPackage.gig_id == gig_id, GigPackage.tier == data.tier.value)).first()
    offered = session.exec(select(GigExtra).where(GigExtra.gig_id == gig_id).order_by(GigExtra.position, GigExtra.id)).all()
    if package is None or any(index >= len(offered) for index in data.extras):
        raise OrderError("order.invalid_choice")
    extras = [offered[index] for index in sorted(data.extras)]
    terms = Terms(
        tier=package.tier,
        name=package.name,
        price=Money(package.price_minor, package.currency),
        quantity=data.quantity,
        delivery_days=package.delivery_days + sum(extra.added_days for extra in extras),
        revisions=package.revisions,
    )
    return _freeze(session, buyer_id=buyer_id, gig=gig, terms=terms, extras=extras)


def place_offer_order(session: Session, *, buyer_id: int, gig_id: int, terms: Terms, note: str) -> Order:
    """Create the unpaid order of an accepted custom offer (``app.offers``): its own terms on the
    seller's gig, with the gig's requirements questions. ``note`` names the offer in the log.

    Raises:
        OrderError: ``order.gig_unavailable``, ``order.own_gig``.
    """
    gig = _orderable_gig(session, gig_id, buyer_id)
    return _freeze(session, buyer_id=buyer_id, gig=gig, terms=terms, extras=[], note=note)


def _orderable_gig(session: Session, gig_id: int, buyer_id: int) -> Gig:
    gig = session.get(Gig, gig_id)
    if gig is None or gig.status != GigStatus.ACTIVE.value:
        raise OrderError("order.gig_unavailable")
    if gig.seller_id == buyer_id:
        raise OrderError("order.own_gig")
    return gig


def _freeze(session: Session, *, buyer_id: int, gig: Gig, terms: Terms, extras: list[GigExtra], note: str = "") -> Order:
    """Write the order with its price breakdown, extras and requirements questions, as of now."""
    now = clock.now()
    quote = quote_order(
        price=terms.price,
        seller=_seller_terms(session, gig.seller_id),
        at=now,
        quantity=terms.quantity,
        extras=[Money(extra.price_minor, extra.currency) for extra in extras],
    )
    order = Order(
        buyer_id=buyer_id,
        seller_id=gig.seller_id,
        gig_id=gig.id,  # type: ignore[arg-type]
        gig_title=gig.title,
        package_tier=terms.tier,
        package_name=terms.name,
        quantity=terms.quantity,
        delivery_days=terms.delivery_days,
        revisions_allowed=terms.revisions,
        currency=quote.currency,
        subtotal_minor=quote.subtotal.minor,
        tip_minor=quote.tip.minor,
        buyer_fee_minor=quote.buyer_fee.minor,
        buyer_fee_vat_minor=quote.buyer_fee_vat.minor,
        total_minor=quote.total.minor,
        commission_rate_bp=quote.commission_rate_bp,
        commission_rule=quote.commission_rule.value,
        vat_country=quote.vat_country,
        vat_rate_bp=quote.vat_rate_bp,
        commission_minor=quote.commission.minor,
        commission_vat_minor=quote.commission_vat.minor,
        seller_net_minor=quote.seller_net.minor,
        deemed_supplier=quote.deemed_supplier,
        full_price_vat_minor=quote.full_price_vat.minor,
        created_at=now,
    )
    session.add(order)
    session.flush()
    for extra in extras:
        session.add(OrderExtra(order_id=order.id, title=extra.title, price_minor=extra.price_minor, added_days=extra.added_days))  # type: ignore[arg-type]
    questions = session.exec(select(GigRequirement).where(GigRequirement.gig_id == gig.id).order_by(GigRequirement.position, GigRequirement.id))
    for position, question in enumerate(questions):
        session.add(
            OrderRequirement(
                order_id=order.id,  # type: ignore[arg-type]
                position=position,
                question=question.question,
                kind=question.kind,
                choices=question.choices,
                required=question.required,
            )
        )
    record(session, order, "placed", buyer_id, note)
    return order


def _paid(session: Session, order: Order, method: str) -> None:
    """The money is in escrow: the order waits for the buyer's answers, or starts at once."""
    order.paid_at = clock.now()
    order.payment_method = method
    issue_for_payment(session, order)  # the buyer-fee (or deemed full-price) invoice, in the payment's transaction
    has_questions = session.exec(select(func.count()).select_from(OrderRequirement).where(OrderRequirement.order_id == order.id)).one()
    if has_questions:
        order.status = OrderStatus.AWAITING_REQUIREMENTS.value
        session.add(order)
    else:
        start(session, order)
    record(session, order, "paid", order.buyer_id, method)
    notify(session, order, "new", [order.seller_id])


def pay_with_wallet(session: Session, *, order_id: int, user_id: int) -> Order:
    """Pay from the buyer's wallet balance.

    Raises:
        OrderError / LedgerError: not the buyer's unpaid order; ``ledger.insufficient_funds``.
    """
    order, actor = party(session, order_id, user_id)
    check_move(order, "pay", actor)
    funds.hold(session, order, source=funds.WALLET, key=f"order:{order.id}:wallet")
    _paid(session, order, funds.WALLET)
    return order


def start_payment(session: Session, *, order_id: int, user_id: int, gateway: str, return_url: str) -> str:
    """Create (or reuse) the gateway payment for the buyer's unpaid order; return where to pay.

    A double click or a second tab reuses the pending payment; a retry after a declined card is
    a new one (``charges.start_payment``).
    """
    order, actor = party(session, order_id, user_id)
    check_move(order, "pay", actor)
    return charges.start_payment(session, charges.Charge(order), gateway=gateway, return_url=return_url)


def confirm_payment(session: Session, *, gateway: str, reference: object) -> Order | None:
    """Ask the gateway about a payment (the buyer came back) and apply what it says."""
    if not isinstance(reference, str) or not 0 < len(reference) <= 100:
        return None
    chosen = get_gateway(gateway)
    return apply_result(session, chosen.verify(session, reference=reference))


def apply_result(session: Session, result: PaymentResult) -> Order | None:
    """Apply a verified gateway result to its payment and order (or tip), at most once.

    Registered as the payment webhook handler, and called when the buyer returns; both may
    report the same payment, any number of times.
    """
    recorded = charges.record_result(session, result)
    if recorded is None:
        return None
    if recorded.newly_paid and recorded.payment.tip_id is not None:
        tips.apply_payment(session, recorded.order, recorded.payment)
    elif recorded.newly_paid:
        _apply_order_payment(session, recorded.order, recorded.payment)
    return recorded.order


def _apply_order_payment(session: Session, order: Order, payment: Payment) -> None:
    """Hold a paid order's money in escrow; an order that no longer needs it gets it in the wallet."""
    key = charges.ledger_key(payment)
    if order.status == OrderStatus.PLACED.value:
        funds.hold(session, order, source=payment.gateway, key=key)
        _paid(session, order, payment.gateway)
        return
    amount = Money(payment.amount_minor, payment.currency)
    funds.credit_wallet(session, buyer_id=order.buyer_id, gateway=payment.gateway, key=key, amount=amount, order_id=order.id)
    notify(session, order, "paid_twice", [order.buyer_id])


# Every verified gateway result (webhooks, the sandbox's in-process delivery) lands here.
webhooks.register_result_handler(apply_result)

"""How an order's money moves through the ledger: hold, settle, refund, release.

The order services decide *when* money moves; this module decides *which accounts* and under
which idempotency key (payments.md §7.3). Keys are per order and per move, so even a bug that
ran a move twice could not move the money twice: the ledger returns the first posting.

A partial refund is taken from what the seller would earn (subtotal and tip); the buyer fee is
returned only with a full refund. Settling after a partial refund recomputes commission and its
VAT on what remains at the order's frozen rate, and writes the settled figures back on the
order, where the tax invoice reads them. Each move issues its tax documents (``app.invoices``)
in the same transaction: the commission invoice at settlement, credit notes at a refund.

Deemed-supplier orders (``order.deemed_supplier``) hold the VAT on the full price in escrow with
the rest; settlement books it to output VAT like every other VAT (at completion), and the seller
gets their part less commission, which carries no VAT in this mode. A refund gives the buyer back
the VAT of what is refunded: a partial refund names the part of the seller's side taken back
(``refund_amount`` adds its VAT, half up, the credit note's own rounding); ``refunded_vat_minor``
keeps the VAT part of what was refunded, so the settled VAT is exactly the invoiced VAT less the
credit notes' (``mihan ledger check`` compares the two).

A tip given after completion never touches the escrow (the order's escrow is empty by then, and
the audit checks it stays so): it is split straight from the payer's side, the buyer's wallet or
a gateway's clearing, into the seller's pending balance, the commission and its VAT, under the
key ``tip:<id>:pay``, with the tax invoice of its commission; it clears on its own under ``tip:<id>:release``.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from app.core import clock
from app.core.money import Money
from app.invoices import issue_for_completion, issue_for_refund, issue_for_tip
from app.ledger import chart, credit, debit, post
from app.orders import card_refunds
from app.orders.errors import OrderError
from app.orders.policy import POLICY
from models.accounts import SellerProfile
from models.ledger import TransactionKind
from models.orders import Order, OrderTip

WALLET = card_refunds.WALLET


def _money(order: Order, minor: int) -> Money:
    return Money(minor, order.currency)


def earned_minor(order: Order) -> int:
    """What the seller's side of the order is worth before commission: subtotal plus tip."""
    return order.subtotal_minor + order.tip_minor


def _origin(buyer_id: int, source: str) -> str:
    """Where a buyer's payment comes from: their wallet, or the clearing of the gateway they used."""
    return chart.buyer_wallet(buyer_id) if source == WALLET else chart.psp_clearing(source)


def hold(session: Session, order: Order, *, source: str, key: str) -> None:
    """Move the order's total into its escrow, from the buyer's wallet or a gateway's clearing.

    ``key`` names the payment (``payment:<gateway>:<reference>`` or ``order:<id>:wallet``).
    """
    origin = _origin(order.buyer_id, source)
    total = _money(order, order.total_minor)
    post(session, key, [debit(origin, total), credit(chart.escrow(order.id), total)], kind=TransactionKind.PAYMENT, order_id=order.id)  # type: ignore[arg-type]


def credit_wallet(session: Session, *, buyer_id: int, gateway: str, key: str, amount: Money, order_id: int | None) -> None:
    """Money a gateway took for an order that no longer needs it (paid twice, or abandoned
    meanwhile) goes to the buyer's wallet, never lost and never held twice."""
    post(
        session,
        key,
        [debit(chart.psp_clearing(gateway), amount), credit(chart.buyer_wallet(buyer_id), amount)],
        kind=TransactionKind.PAYMENT,
        memo="paid again: kept in the buyer's wallet",
        order_id=order_id,
    )


def refund_amount(order: Order, part_minor: int) -> int:
    """What the buyer gets back when ``part_minor`` of the seller's side is refunded: the part,
    with its VAT when the platform is the deemed supplier (the buyer paid VAT on it)."""
    if not order.deemed_supplier:
        return part_minor
    return part_minor + _money(order, part_minor).percent(order.vat_rate_bp).minor


def _refund_vat(order: Order, amount_minor: int) -> int:
    """The VAT inside a refund of ``amount_minor`` of a deemed order: all that is left of it for a
    full refund, else the VAT of the part whose ``refund_amount`` it is.

    Raises:
        OrderError: ``order.invalid_refund`` (no part of the order refunds to exactly that).
    """
    if not order.deemed_supplier:
        return 0
    if amount_minor == order.total_minor - order.refunded_minor:
        return order.full_price_vat_minor - order.refunded_vat_minor
    guess = amount_minor * 10_000 // (10_000 + order.vat_rate_bp)
    for part in range(max(0, guess - 2), guess + 3):
        if refund_amount(order, part) == amount_minor:
            return amount_minor - part
    raise OrderError("order.invalid_refund")


def refund(session: Session, order: Order, amount_minor: int, *, refund_to: str = WALLET) -> None:
    """Return ``amount_minor`` of the escrow to the buyer's wallet (usable for the next order), and
    on to the card that paid the order when ``refund_to`` is ``"card"`` (``card_refunds``).

    Raises:
        OrderError: ``order.invalid_refund`` (a deemed order's partial refund that is not a
            ``refund_amount``), ``order.invalid_refund_to``, ``order.refund_no_card``,
            ``order.refund_above_card``.
    """
    if amount_minor <= 0:
        return
    card = card_refunds.ensure_destination(session, order, refund_to, amount_minor)
    vat = _refund_vat(order, amount_minor)
    amount = _money(order, amount_minor)
    post(
        session,
        f"order:{order.id}:refund",
        [debit(chart.escrow(order.id), amount), credit(chart.buyer_wallet(order.buyer_id), amount)],  # type: ignore[arg-type]
        kind=TransactionKind.REFUND,
        order_id=order.id,
    )
    order.refunded_minor += amount_minor
    order.refunded_vat_minor += vat
    session.add(order)
    issue_for_refund(session, order)  # credit notes for what the platform no longer keeps
    if card is not None:
        card_refunds.book(session, order, card, amount_minor)


def settle(session: Session, order: Order) -> None:
    """Split what is left in escrow: the seller's net (pending), commission, VAT, buyer fee."""
    _resettle_after_refund(order)
    escrow = _money(order, order.total_minor - order.refunded_minor)
    legs = [
        debit(chart.escrow(order.id), escrow),  # type: ignore[arg-type]
        credit(chart.seller_pending(order.seller_id), _money(order, order.seller_net_minor)),
        credit(chart.COMMISSION, _money(order, order.commission_minor)),
        credit(chart.vat_output(order.vat_country), _money(order, order.commission_vat_minor + order.buyer_fee_vat_minor + settled_vat_minor(order))),
        credit(chart.BUYER_FEE, _money(order, order.buyer_fee_minor)),
    ]
    post(session, f"order:{order.id}:complete", legs, kind=TransactionKind.COMPLETION, order_id=order.id)
    order.clears_at = clock.now() + clearance(session, order)
    session.add(order)
    issue_for_completion(session, order)  # the commission tax invoice, from the settled figures


def settled_vat_minor(order: Order) -> int:
    """A deemed order's VAT on the full price less the VAT refunded with it (0 otherwise)."""
    return order.full_price_vat_minor - order.refunded_vat_minor if order.deemed_supplier else 0


def _resettle_after_refund(order: Order) -> None:
    """After a partial refund, commission and its VAT apply only to what the seller keeps
    (a deemed order's refund also returned its VAT, which is not the seller's)."""
    if not order.refunded_minor:
        return
    kept = earned_minor(order) - (order.refunded_minor - order.refunded_vat_minor)
    if kept <= 0:
        raise OrderError("order.invalid_refund")
    kept_money = _money(order, kept)
    commission = kept_money.percent(order.commission_rate_bp)
    commission_vat = Money(0, order.currency) if order.deemed_supplier else commission.percent(order.vat_rate_bp)
    order.commission_minor = commission.minor
    order.commission_vat_minor = commission_vat.minor
    order.seller_net_minor = kept - commission.minor - commission_vat.minor


def release(session: Session, order: Order) -> None:
    """The clearance period is over: the seller's net becomes available to withdraw."""
    _release(session, order.seller_id, _money(order, order.seller_net_minor), key=f"order:{order.id}:release", order_id=order.id)  # type: ignore[arg-type]


def pay_tip(session: Session, tip: OrderTip, *, source: str) -> None:
    """Split a tip as it is paid: the seller's net (pending), the commission and its VAT.

    ``source`` is ``WALLET`` or the gateway whose clearing took the money. The key is the tip's
    whichever way it is paid, so a tip moves money once even if both ways were to report it.
    """
    amount = Money(tip.amount_minor, tip.currency)
    legs = [
        debit(_origin(tip.buyer_id, source), amount),
        credit(chart.seller_pending(tip.seller_id), Money(tip.seller_net_minor, tip.currency)),
        credit(chart.COMMISSION, Money(tip.commission_minor, tip.currency)),
        credit(chart.vat_output(tip.vat_country), Money(tip.commission_vat_minor, tip.currency)),
    ]
    post(session, f"tip:{tip.id}:pay", legs, kind=TransactionKind.TIP, order_id=tip.order_id)
    order = session.get(Order, tip.order_id)
    assert order is not None
    issue_for_tip(session, order, tip)  # the commission on the tip, invoiced to the seller


def release_tip(session: Session, tip: OrderTip) -> None:
    """The tip's clearance period is over: its net becomes available to withdraw."""
    _release(session, tip.seller_id, Money(tip.seller_net_minor, tip.currency), key=f"tip:{tip.id}:release", order_id=tip.order_id)


def _release(session: Session, seller_id: int, net: Money, *, key: str, order_id: int) -> None:
    if net.is_zero:
        return
    legs = [debit(chart.seller_pending(seller_id), net), credit(chart.seller_available(seller_id), net)]
    post(session, key, legs, kind=TransactionKind.CLEARANCE, order_id=order_id)


def clearance(session: Session, order: Order) -> timedelta:
    """Top-level sellers wait less before their earnings (and tips) are available (domain.md)."""
    level = session.exec(select(SellerProfile.level).where(SellerProfile.user_id == order.seller_id)).first()
    return POLICY.clearance_top if level == "top" else POLICY.clearance

"""Issue the platform's tax invoices and credit notes, in the transaction that moves the money.

What the platform invoices (docs/domain.md, payments.md §4.5), read from the order's frozen money:
- agent model (a VAT-registered seller, or the deemed-supplier switch off):
  - at payment, when the order carries a buyer fee: the fee and its VAT, to the buyer;
  - at completion (the escrow split, also after a partial refund): the commission and its VAT,
    to the seller;
- deemed supplier (``order.deemed_supplier``, frozen at checkout: the switch on and the seller
  not VAT-registered): the platform sells the whole service in its own name, so at payment it
  invoices the buyer the full price (purpose ``full_price``: one line per package, extra and
  the buyer fee, VAT once on their sum, equal to the order's ``full_price_vat_minor``), and
  nothing else for the order: the commission is its margin inside that supply, not a service to
  the seller. Payment is the tax point (VAT Implementing Regulations Art. 23: the earlier of
  supply and payment), and the buyer fee is invoiced at payment too;
- when a tip is paid: the commission on the tip and its VAT, to the seller (``issue_for_tip``),
  for deemed orders too: a voluntary tip after completion is the buyer's gift to the seller, not
  consideration for the supply the platform resold, so the agent model applies to it;
- after a refund: a credit note for what the platform no longer keeps of each invoice (the buyer
  fee once the order is refunded in full; commission that a settlement after a refund lowered;
  of a full-price invoice, the part refunded and its VAT), referring to the original and never
  above what is left of it.

Every document is simplified (B2C, reported): a standard invoice needs the counterparty's VAT
number and national address; seller profiles hold the VAT number but no national address yet.

The order services call these with the order row locked; the unit's chain row is locked after
the ledger's accounts, in every path, so the lock order is always order → accounts → chain.
Each document is unique per (order, purpose, kind, event), so a replay returns the first one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, func, select

from app.core import clock
from app.core.db import is_sqlite
from app.core.i18n import translate
from app.core.money import Money
from app.core.settings import get_settings
from app.invoices.credentials import get_credentials
from app.invoices.errors import InvoiceError
from app.invoices.issuer import platform_party
from app.invoices.zatca import (
    FIRST_PREVIOUS_HASH,
    CreditNote,
    InvoiceDocument,
    InvoiceReference,
    Line,
    Party,
    PaymentMeans,
    TaxCategory,
    ZatcaError,
    build_invoice,
    compute_totals,
    next_link,
    sign_invoice,
)
from app.invoices.zatca import InvoiceKind as ZatcaType
from models.accounts import User
from models.invoices import Invoice, InvoiceChain, InvoiceKind, InvoicePurpose, InvoiceType
from models.orders import Order, OrderExtra, OrderTip

CURRENCY = "SAR"  # ZATCA documents are in SAR with Saudi VAT; other orders are not invoiced here
WALLET = "wallet"


@dataclass(frozen=True)
class _Request:
    """One document to issue: for whom, what, and (for a credit note) against which invoice."""

    order: Order
    purpose: InvoicePurpose
    event: str
    recipient_id: int
    net: Money
    expected_vat: Money | None = None  # the VAT the order froze; the document must agree
    original: Invoice | None = None
    reason: str = ""
    lines: tuple[Line, ...] = ()  # several lines (a full-price invoice); else one line of ``net``


def issue_for_payment(session: Session, order: Order) -> Invoice | None:
    """The buyer-fee invoice of a paid order, to the buyer (None when there is no fee), or for a
    deemed-supplier order the full-price invoice."""
    if order.deemed_supplier:
        return _issue_full_price(session, order)
    fee = (order.buyer_fee_minor, order.buyer_fee_vat_minor)
    return _issue_frozen(session, order, InvoicePurpose.BUYER_FEE, "payment", order.buyer_id, fee)


def _issue_full_price(session: Session, order: Order) -> Invoice | None:
    """The deemed supplier's invoice to the buyer: a line per package, extra and fee."""
    if not _invoiced_in_sar(order):
        return None
    tax = TaxCategory.standard(order.vat_rate_bp)
    extras = session.exec(select(OrderExtra).where(OrderExtra.order_id == order.id).order_by(col(OrderExtra.id))).all()
    package_minor = (order.subtotal_minor - sum(extra.price_minor for extra in extras)) // order.quantity
    lines = [Line(f"{order.gig_title} — {order.package_name}", order.quantity, Money(package_minor, CURRENCY), tax)]
    lines += [Line(translate("invdoc.line_extra", "ar", title=extra.title), 1, Money(extra.price_minor, CURRENCY), tax) for extra in extras]
    if order.buyer_fee_minor:
        lines.append(Line(translate("invdoc.line_buyer_fee", "ar", order=order.id), 1, Money(order.buyer_fee_minor, CURRENCY), tax))
    net = Money(order.subtotal_minor + order.buyer_fee_minor, CURRENCY)
    request = _Request(
        order, InvoicePurpose.FULL_PRICE, "payment", order.buyer_id, net, expected_vat=Money(order.full_price_vat_minor, CURRENCY), lines=tuple(lines)
    )
    return _issue(session, request)


def _invoiced_in_sar(order: Order) -> bool:
    """ZATCA documents are in SAR with Saudi VAT; other orders are not invoiced here."""
    return order.currency == CURRENCY and order.vat_country == "SA" and order.vat_rate_bp > 0


def issue_for_completion(session: Session, order: Order) -> Invoice | None:
    """The commission invoice of a settled order, to the seller; None at 0% commission and for a
    deemed-supplier order (its commission is the platform's margin, with no VAT of its own)."""
    if order.deemed_supplier:
        return None
    commission = (order.commission_minor, order.commission_vat_minor)
    return _issue_frozen(session, order, InvoicePurpose.COMMISSION, "completion", order.seller_id, commission)


def issue_for_tip(session: Session, order: Order, tip: OrderTip) -> Invoice | None:
    """The commission invoice of a paid tip, to the seller; None at 0% commission.

    One per tip (the event names it), so a replayed payment finds the first one. Tips are never
    refunded, so no credit note follows one.
    """
    commission = (tip.commission_minor, tip.commission_vat_minor)
    return _issue_frozen(session, order, InvoicePurpose.TIP_COMMISSION, f"tip:{tip.id}", tip.seller_id, commission)


def _issue_frozen(
    session: Session, order: Order, purpose: InvoicePurpose, event: str, recipient_id: int, amounts: tuple[int, int]
) -> Invoice | None:
    """Invoice one of the order's frozen (net, VAT) pairs; nothing when it is zero or not Saudi VAT."""
    net, vat = amounts
    if net <= 0 or not _invoiced_in_sar(order):
        return None
    expected = Money(vat, CURRENCY)
    return _issue(session, _Request(order, purpose, event, recipient_id, Money(net, CURRENCY), expected_vat=expected))


def issue_for_refund(session: Session, order: Order) -> list[Invoice]:
    """Credit what the platform no longer keeps after the order's latest refund.

    The event is named by the total refunded so far, so a replay finds its notes and a later
    refund of the same order gets its own.
    """
    in_full = order.refunded_minor >= order.total_minor
    kept = {
        InvoicePurpose.BUYER_FEE: 0 if in_full else order.buyer_fee_minor,
        InvoicePurpose.COMMISSION: order.commission_minor,
        # the deemed supplier keeps the full price less the part refunded (the rest is its VAT)
        InvoicePurpose.FULL_PRICE: 0 if in_full else order.subtotal_minor + order.buyer_fee_minor - (order.refunded_minor - order.refunded_vat_minor),
    }
    notes = []
    for invoice in _invoices_of(session, order.id):  # type: ignore[arg-type]
        excess = creditable_net(session, invoice) - kept.get(InvoicePurpose(invoice.purpose), invoice.net_minor)
        if excess > 0:
            reason = f"استرداد مبلغ الطلب رقم {order.id}"
            vat = _refunded_vat_left(session, order, invoice) if invoice.purpose == InvoicePurpose.FULL_PRICE.value else None
            notes.append(_credit(session, order, invoice, excess, reason, f"refund:{order.refunded_minor}", expected_vat=vat))
    return notes


def _refunded_vat_left(session: Session, order: Order, invoice: Invoice) -> Money:
    """The VAT the buyer got back that no credit note of ``invoice`` states yet: what the next
    one must state, so the documents and the money always agree."""
    net, gross = _credited(session, invoice)
    return Money(order.refunded_vat_minor - (gross - net), CURRENCY)


def issue_credit_note(session: Session, *, invoice_id: int, net_minor: int, reason: str, event: str) -> Invoice:
    """A credit note of ``net_minor`` (before VAT) against an invoice, for ``reason``.

    Raises:
        InvoiceError: ``invoice.not_found``, ``invoice.credit_exceeds`` (above what is left).
    """
    original = session.get(Invoice, invoice_id)
    if original is None or original.kind != InvoiceKind.INVOICE.value:
        raise InvoiceError("invoice.not_found")
    # the order's lock, taken first as the order services do, serialises what is left to credit
    order = session.exec(select(Order).where(Order.id == original.order_id).with_for_update()).one()
    return _credit(session, order, original, net_minor, reason, event)


def creditable_net(session: Session, invoice: Invoice) -> int:
    """What is left of an invoice's net amount after its credit notes."""
    return invoice.net_minor - _credited(session, invoice)[0]


def _credited(session: Session, invoice: Invoice) -> tuple[int, int]:
    """The net and gross amounts of an invoice's credit notes so far."""
    net, gross = session.exec(
        select(func.coalesce(func.sum(Invoice.net_minor), 0), func.coalesce(func.sum(Invoice.gross_minor), 0)).where(
            Invoice.original_invoice_id == invoice.id
        )
    ).one()
    return int(net), int(gross)


def _credit(
    session: Session, order: Order, original: Invoice, net_minor: int, reason: str, event: str, *, expected_vat: Money | None = None
) -> Invoice:
    if type(net_minor) is not int or net_minor <= 0:
        raise InvoiceError("invoice.credit_exceeds", left=Money(creditable_net(session, original), CURRENCY))
    request = _Request(
        order,
        InvoicePurpose(original.purpose),
        event,
        original.recipient_id,
        Money(net_minor, CURRENCY),
        expected_vat=expected_vat,
        original=original,
        reason=reason,
    )
    replayed = _find(session, request, InvoiceKind.CREDIT_NOTE)
    if replayed is not None:
        return replayed
    left = creditable_net(session, original)
    if net_minor > left:
        raise InvoiceError("invoice.credit_exceeds", left=Money(left, CURRENCY))
    return _issue(session, request)


def _invoices_of(session: Session, order_id: int) -> list[Invoice]:
    query = select(Invoice).where(Invoice.order_id == order_id, Invoice.kind == InvoiceKind.INVOICE.value)
    return list(session.exec(query.order_by(col(Invoice.id))))


def _find(session: Session, request: _Request, kind: InvoiceKind) -> Invoice | None:
    return session.exec(
        select(Invoice).where(
            Invoice.order_id == request.order.id,
            Invoice.purpose == request.purpose.value,
            Invoice.kind == kind.value,
            Invoice.event == request.event,
        )
    ).first()


def _locked_chain(session: Session, unit: str) -> InvoiceChain:
    """The unit's chain row, created on first use and locked until the transaction ends
    (``FOR UPDATE`` on Postgres; SQLite's ``BEGIN IMMEDIATE`` already serialises writers)."""
    insert = sqlite_insert if is_sqlite(session) else postgres_insert
    session.execute(
        insert(InvoiceChain)
        .values(unit=unit, last_icv=0, last_hash=FIRST_PREVIOUS_HASH)
        .on_conflict_do_nothing(index_elements=["unit"])
    )
    query = select(InvoiceChain).where(InvoiceChain.unit == unit).with_for_update()
    return session.exec(query.execution_options(populate_existing=True)).one()


def _issue(session: Session, request: _Request) -> Invoice:
    """Number, build, stamp and store one document, and advance the unit's chain."""
    kind = InvoiceKind.CREDIT_NOTE if request.original else InvoiceKind.INVOICE
    platform = get_settings().platform
    chain = _locked_chain(session, platform.egs_unit)
    existing = _find(session, request, kind)  # read after the lock: a racing twin has committed
    if existing is not None:
        return existing
    recipient = session.get(User, request.recipient_id)
    assert recipient is not None
    issued_at = clock.now()
    link = next_link(chain.last_icv, chain.last_hash)
    prefix = "CN" if request.original else "INV"
    document = InvoiceDocument(
        number=f"{prefix}-{issued_at.year}-{link.counter:06d}",
        uuid=uuid.uuid4(),
        issued_at=issued_at,
        kind=ZatcaType.SIMPLIFIED,
        seller=platform_party(platform),
        lines=request.lines or (Line(translate(f"invdoc.line_{request.purpose.value}", "ar", order=request.order.id), 1, request.net, TaxCategory.standard(request.order.vat_rate_bp)),),
        payment_means=_payment_means(request),
        buyer=Party(recipient.name),
        credit=_credit_of(session, request),
    )
    totals = compute_totals(document.lines, (), CURRENCY)
    if request.expected_vat is not None and totals.vat != request.expected_vat:
        raise InvoiceError("invoice.totals_mismatch", order=request.order.id)
    try:
        unsigned = build_invoice(document, link)
    except ZatcaError as exc:  # the one rule the service cannot check before: VAT rounding
        if exc.rule != "MIHAN-CREDIT-LIMIT":
            raise
        raise InvoiceError("invoice.credit_exceeds", left=Money(creditable_net(session, request.original), CURRENCY)) from exc  # type: ignore[arg-type]
    signed = sign_invoice(unsigned, get_credentials(platform.egs_unit), signed_at=issued_at)
    invoice = Invoice(
        number=document.number,
        uuid=str(document.uuid),
        kind=kind.value,
        type=InvoiceType.SIMPLIFIED.value,
        unit=platform.egs_unit,
        icv=link.counter,
        pih=link.previous_hash,
        hash=signed.invoice_hash,
        order_id=request.order.id,  # type: ignore[arg-type]
        purpose=request.purpose.value,
        event=request.event,
        issuer_name=platform.name_ar,
        recipient_id=recipient.id,  # type: ignore[arg-type]
        recipient_name=recipient.name,
        currency=CURRENCY,
        net_minor=totals.tax_exclusive.minor,
        vat_minor=totals.vat.minor,
        gross_minor=totals.tax_inclusive.minor,
        original_invoice_id=request.original.id if request.original else None,
        reason=request.reason,
        xml=signed.xml.decode("utf-8"),
        qr=signed.qr,
        issued_at=issued_at,
    )
    chain.last_icv, chain.last_hash = link.counter, signed.invoice_hash
    session.add(invoice)
    session.add(chain)
    session.flush()
    return invoice


def _payment_means(request: _Request) -> PaymentMeans:
    """A buyer fee (or a full price) is paid with the order; commission is set off against the
    seller's earnings."""
    if request.purpose in (InvoicePurpose.BUYER_FEE, InvoicePurpose.FULL_PRICE) and request.order.payment_method != WALLET:
        return PaymentMeans.BANK_CARD
    return PaymentMeans.OTHER


def _credit_of(session: Session, request: _Request) -> CreditNote | None:
    original = request.original
    if original is None:
        return None
    reference = InvoiceReference(
        original.number,
        original.issued_at.date(),
        Money(original.gross_minor, CURRENCY),
        already_credited=Money(_credited(session, original)[1], CURRENCY),
    )
    return CreditNote(reference, request.reason)

"""The order-side half of ``mihan ledger check``: what the ledger cannot know by itself.

The ledger sees accounts, not orders. Given the closed orders' ids it checks their escrow is
empty; only the orders know that an unpaid order holds nothing and an open paid order holds
exactly what was paid less what was refunded. Each is one query (the second joined on the
escrow account's code), so the check stays fast at a hundred thousand orders.

Tips never touch the escrow: they are split from the payer straight to the seller, so the
escrow rules read only the order's own total and refunds (``Order.tip_minor`` is a tip paid
*with* the order, part of its total). A tip's own rule is ``tip_mismatches``: a paid tip was
split exactly once by the ledger and an unpaid one not at all, and a cleared tip was released.
A deemed-supplier order's rule is ``deemed_vat_mismatches``: the VAT of its full-price invoice
less its credit notes is the VAT the order says it kept (``funds.settled_vat_minor``; nothing
before payment), and the VAT its completion booked to output VAT is exactly that; an order in
the agent model has no full-price invoice. ``order_breaches`` gives them all as ledger
``Breach`` rows, for ``mihan ledger check``, with ``card_refund_mismatches`` (a refund owed
to a card is booked once, reversed exactly when it failed, and never above what the card paid).
"""

from __future__ import annotations

from sqlalchemy import String, case, cast, func, literal
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.ledger import Breach, Rule
from app.orders.machine import CLOSED
from app.ledger.chart import vat_output
from models.invoices import Invoice, InvoiceKind, InvoicePurpose
from models.ledger import LedgerAccount, LedgerEntry, LedgerTransaction, TransactionKind
from models.orders import CardRefund, CardRefundStatus, Order, OrderStatus, OrderTip, Payment, TipStatus


def closed_order_ids(session: Session) -> list[int]:
    """Orders that are completed, cancelled or refunded (their escrow must be zero)."""
    return [i for i in session.exec(select(Order.id).where(col(Order.status).in_([s.value for s in CLOSED]))) if i is not None]


def escrow_mismatches(session: Session) -> list[str]:
    """Every open order whose escrow differs from what its state says it holds (closed orders
    are the ledger's own ``open_escrow`` rule)."""
    code = literal("order:") + cast(Order.id, String) + literal(":escrow")
    held = func.coalesce(LedgerAccount.balance_minor, 0)
    holds_nothing = col(Order.status) == OrderStatus.PLACED.value
    rows = session.exec(
        select(Order.id, Order.status, held, Order.total_minor, Order.refunded_minor)
        .select_from(Order)
        .join(LedgerAccount, col(LedgerAccount.code) == code, isouter=True)
        .where(
            col(Order.status).not_in([s.value for s in CLOSED]),
            (holds_nothing & (held != 0))
            | (~holds_nothing & (held != col(Order.total_minor) - col(Order.refunded_minor)))
        )
        .order_by(Order.id)
        .limit(1000)
    )
    return [
        f"order {order_id} ({status}) holds {amount} in escrow, expected "
        f"{0 if status == OrderStatus.PLACED.value else total - refunded}"
        for order_id, status, amount, total, refunded in rows
    ]


def tip_mismatches(session: Session) -> list[str]:
    """Every tip whose ledger postings disagree with its state: paid and split (``tip:<id>:pay``)
    go together, and so do cleared and released (``tip:<id>:release``)."""
    paid, released = aliased(LedgerTransaction), aliased(LedgerTransaction)
    prefix = literal("tip:") + cast(OrderTip.id, String)
    is_paid = col(OrderTip.status) == TipStatus.PAID.value
    is_cleared = col(OrderTip.cleared_at).is_not(None)
    rows = session.exec(
        select(OrderTip.id, OrderTip.status, OrderTip.cleared_at, paid.id, released.id)
        .join(paid, col(paid.idempotency_key) == prefix + literal(":pay"), isouter=True)
        .join(released, col(released.idempotency_key) == prefix + literal(":release"), isouter=True)
        .where((is_paid != col(paid.id).is_not(None)) | (is_cleared != col(released.id).is_not(None)))
        .order_by(OrderTip.id)
        .limit(1000)
    )
    return [
        f"tip {tip_id} is {status}{' and cleared' if cleared else ''}, but the ledger "
        f"{'has' if split else 'lacks'} its payment and {'has' if release else 'lacks'} its release"
        for tip_id, status, cleared, split, release in rows
    ]


def deemed_vat_mismatches(session: Session) -> list[str]:
    """Every order whose full-price invoicing and output VAT disagree with its frozen figures."""
    signed = case((col(Invoice.kind) == InvoiceKind.INVOICE.value, col(Invoice.vat_minor)), else_=-col(Invoice.vat_minor))
    invoiced = (
        select(Invoice.order_id, func.sum(signed).label("vat"))
        .where(Invoice.purpose == InvoicePurpose.FULL_PRICE.value)
        .group_by(col(Invoice.order_id))
        .subquery()
    )
    booked = (
        select(LedgerTransaction.order_id, func.sum(-col(LedgerEntry.amount_minor)).label("vat"))
        .join(LedgerEntry, col(LedgerEntry.transaction_id) == col(LedgerTransaction.id))
        .join(LedgerAccount, col(LedgerAccount.id) == col(LedgerEntry.account_id))
        .where(LedgerTransaction.kind == TransactionKind.COMPLETION.value, col(LedgerAccount.code).like(vat_output("%")))
        .group_by(col(LedgerTransaction.order_id))
        .subquery()
    )
    expected = case((col(Order.paid_at).is_(None), 0), else_=col(Order.full_price_vat_minor) - col(Order.refunded_vat_minor))
    rows = session.exec(
        select(Order.id, Order.deemed_supplier, expected, func.coalesce(invoiced.c.vat, 0), booked.c.vat)
        .select_from(Order)
        .join(invoiced, invoiced.c.order_id == Order.id, isouter=True)
        .join(booked, booked.c.order_id == Order.id, isouter=True)
        .where(col(Order.deemed_supplier) | invoiced.c.order_id.is_not(None))
        .order_by(Order.id)
    )
    found = []
    for order_id, deemed, want, billed, kept in rows:
        want = int(want) if deemed else 0
        if int(billed) != want or (deemed and kept is not None and int(kept) != want):
            booked_text = "nothing" if kept is None or not deemed else str(kept)
            found.append(f"order {order_id} invoiced {billed} VAT on the full price and booked {booked_text}, expected {want}")
            if len(found) >= 1000:
                break
    return found


def card_refund_mismatches(session: Session) -> list[str]:
    """Every card refund whose bookings disagree with its state: each one booked wallet → clearing
    (its ``idempotency_key``), a failed one reversed (``<key>:failed``) and no other one; and no
    payment refunded to its card beyond what it paid."""
    booked, reversed_ = aliased(LedgerTransaction), aliased(LedgerTransaction)
    is_failed = col(CardRefund.status) == CardRefundStatus.FAILED.value
    rows = session.exec(
        select(CardRefund.id, CardRefund.status, booked.id, reversed_.id)
        .join(booked, col(booked.idempotency_key) == col(CardRefund.idempotency_key), isouter=True)
        .join(reversed_, col(reversed_.idempotency_key) == col(CardRefund.idempotency_key) + literal(":failed"), isouter=True)
        .where(col(booked.id).is_(None) | (is_failed != col(reversed_.id).is_not(None)))
        .order_by(CardRefund.id)
        .limit(1000)
    )
    found = [
        f"card refund {refund_id} is {status}, but the ledger {'has' if made else 'lacks'} its booking "
        f"and {'has' if undone else 'lacks'} its reversal"
        for refund_id, status, made, undone in rows
    ]
    refunded = func.sum(CardRefund.amount_minor)
    over = session.exec(
        select(Payment.id, Payment.amount_minor, refunded)
        .join(CardRefund, col(CardRefund.payment_id) == col(Payment.id))
        .where(~is_failed)
        .group_by(col(Payment.id), col(Payment.amount_minor))
        .having(refunded > col(Payment.amount_minor))
        .limit(1000)
    )
    return found + [f"payment {payment_id} paid {paid} and owes {owed} back to its card" for payment_id, paid, owed in over]


def order_breaches(session: Session) -> list[Breach]:
    """The order-side audit as ledger breaches: escrows that differ from their orders, tips,
    deemed orders' VAT and card refunds."""
    return (
        [Breach(Rule.ESCROW_MISMATCH, "orders", detail) for detail in escrow_mismatches(session)]
        + [Breach(Rule.TIP_MISMATCH, "tips", detail) for detail in tip_mismatches(session)]
        + [Breach(Rule.DEEMED_VAT, "orders", detail) for detail in deemed_vat_mismatches(session)]
        + [Breach(Rule.CARD_REFUND, "card_refunds", detail) for detail in card_refund_mismatches(session)]
    )

"""Read the issued invoices: the list (by order), one invoice, and its stable JSON form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app.core.clock import as_utc
from app.core.money import Money
from app.invoices.errors import InvoiceError
from models.invoices import Invoice, InvoiceKind

KIND_NAMES = {InvoiceKind.INVOICE.value: "invoice", InvoiceKind.CREDIT_NOTE.value: "credit_note"}


@dataclass(frozen=True)
class InvoiceRow:
    """One line of the invoice list."""

    id: int
    number: str
    kind: str  # invoice | credit_note
    purpose: str
    order_id: int
    recipient_id: int
    recipient_name: str
    gross: Money
    issued_at: datetime

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "number": self.number,
            "kind": self.kind,
            "purpose": self.purpose,
            "order": self.order_id,
            "recipient": {"id": self.recipient_id, "name": self.recipient_name},
            "gross_minor": self.gross.minor,
            "currency": self.gross.currency,
            "issued_at": as_utc(self.issued_at).isoformat(),
        }


def _row(invoice: Invoice) -> InvoiceRow:
    return InvoiceRow(
        id=invoice.id,  # type: ignore[arg-type]
        number=invoice.number,
        kind=KIND_NAMES[invoice.kind],
        purpose=invoice.purpose,
        order_id=invoice.order_id,
        recipient_id=invoice.recipient_id,
        recipient_name=invoice.recipient_name,
        gross=Money(invoice.gross_minor, invoice.currency),
        issued_at=invoice.issued_at,
    )


def list_invoices(session: Session, *, order_id: int | None = None, limit: int = 1000) -> list[InvoiceRow]:
    """Issued documents in chain order (oldest first), optionally of one order."""
    query = select(Invoice).order_by(col(Invoice.unit), col(Invoice.icv)).limit(limit)
    if order_id is not None:
        query = query.where(Invoice.order_id == order_id)
    return [_row(invoice) for invoice in session.exec(query)]


def get_invoice(session: Session, *, invoice_id: int) -> Invoice:
    """One issued document.

    Raises:
        InvoiceError: ``invoice.not_found``.
    """
    invoice = session.get(Invoice, invoice_id)
    if invoice is None:
        raise InvoiceError("invoice.not_found")
    return invoice


def invoice_as_dict(session: Session, invoice: Invoice) -> dict[str, object]:
    """Everything an accountant or a script needs of one document, the XML aside."""
    original = session.get(Invoice, invoice.original_invoice_id) if invoice.original_invoice_id else None
    return {
        **_row(invoice).as_dict(),
        "uuid": invoice.uuid,
        "type": invoice.type,
        "unit": invoice.unit,
        "icv": invoice.icv,
        "pih": invoice.pih,
        "hash": invoice.hash,
        "issuer": {"id": invoice.issuer_id, "name": invoice.issuer_name},
        "net_minor": invoice.net_minor,
        "vat_minor": invoice.vat_minor,
        "original": {"id": original.id, "number": original.number} if original else None,
        "reason": invoice.reason,
        "qr": invoice.qr,
    }

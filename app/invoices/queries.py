"""Read the issued invoices: the lists (by order, by recipient, by period and kind, paged in SQL),
one invoice, who may open it, and its stable JSON form.

Periods are calendar days in Asia/Riyadh (the platform's tax jurisdiction): ``start`` to ``end``
inclusive is ``[start 00:00, end + 1 day 00:00)`` Riyadh time, compared in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from app.core.clock import as_utc
from app.core.money import Money
from app.invoices.errors import InvoiceError
from models.accounts import Role, User
from models.invoices import Invoice, InvoiceKind

KIND_NAMES = {InvoiceKind.INVOICE.value: "invoice", InvoiceKind.CREDIT_NOTE.value: "credit_note"}
KIND_CODES = {name: code for code, name in KIND_NAMES.items()}
TIMEZONE = ZoneInfo("Asia/Riyadh")
MAX_PERIOD_DAYS = 3660  # ten years: a period longer than that is a typing mistake


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
    uuid: str = ""
    vat: Money | None = None

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
        uuid=invoice.uuid,
        vat=Money(invoice.vat_minor, invoice.currency),
    )


def list_invoices(session: Session, *, order_id: int | None = None, limit: int = 1000) -> list[InvoiceRow]:
    """Issued documents in chain order (oldest first), optionally of one order."""
    query = select(Invoice).order_by(col(Invoice.unit), col(Invoice.icv)).limit(limit)
    if order_id is not None:
        query = query.where(Invoice.order_id == order_id)
    return [_row(invoice) for invoice in session.exec(query)]


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The UTC instants ``[start 00:00, end + 1 day 00:00)`` of a period of Riyadh days.

    Raises:
        InvoiceError: ``invoice.bad_period`` (the end before the start, or longer than ten years).
    """
    if end < start or (end - start).days > MAX_PERIOD_DAYS:
        raise InvoiceError("invoice.bad_period")
    first = datetime.combine(start, time(), TIMEZONE).astimezone(UTC)
    after = datetime.combine(end + timedelta(days=1), time(), TIMEZONE).astimezone(UTC)
    return first, after


def parse_day(text: object) -> date:
    """A ``YYYY-MM-DD`` date (a form field or a CLI flag).

    Raises:
        InvoiceError: ``invoice.bad_date``.
    """
    if not isinstance(text, str) or len(text) != 10:
        raise InvoiceError("invoice.bad_date")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvoiceError("invoice.bad_date") from None


@dataclass(frozen=True)
class InvoiceFilter:
    """Which documents a list shows: one recipient's (None: everyone's), one kind, a period."""

    recipient_id: int | None = None
    kind: str | None = None  # invoice | credit_note
    start: date | None = None
    end: date | None = None

    def where(self) -> list[Any]:
        clauses: list[Any] = []
        if self.recipient_id is not None:
            clauses.append(Invoice.recipient_id == self.recipient_id)
        if self.kind in KIND_CODES:
            clauses.append(Invoice.kind == KIND_CODES[self.kind])
        if self.start is not None and self.end is not None and self.end < self.start:
            raise InvoiceError("invoice.bad_period")
        if self.start is not None:
            clauses.append(col(Invoice.issued_at) >= period_bounds(self.start, self.start)[0])
        if self.end is not None:
            clauses.append(col(Invoice.issued_at) < period_bounds(self.end, self.end)[1])
        return clauses


def list_page(session: Session, filters: InvoiceFilter, *, limit: int, offset: int = 0) -> list[InvoiceRow]:
    """One page of the documents ``filters`` selects, newest first."""
    query = select(Invoice).where(*filters.where()).order_by(col(Invoice.issued_at).desc(), col(Invoice.id).desc())
    return [_row(invoice) for invoice in session.exec(query.limit(limit).offset(offset))]


def count_documents(session: Session, filters: InvoiceFilter) -> int:
    return int(session.exec(select(func.count()).select_from(Invoice).where(*filters.where())).one())


def _may_open(session: Session, invoice: Invoice, user_id: int) -> bool:
    """The document's recipient (its party besides the platform) and admins."""
    if invoice.recipient_id == user_id:
        return True
    user = session.get(User, user_id)
    return user is not None and user.role == Role.ADMIN.value


def open_for(session: Session, *, uuid: object, user_id: int) -> Invoice | None:
    """The document with ``uuid`` if ``user_id`` may see it; else None, whether or not it exists."""
    if not isinstance(uuid, str) or len(uuid) != 36:
        return None
    invoice = session.exec(select(Invoice).where(Invoice.uuid == uuid)).first()
    return invoice if invoice is not None and _may_open(session, invoice, user_id) else None


def order_documents(session: Session, *, order_id: int, user_id: int) -> list[InvoiceRow]:
    """The order's documents ``user_id`` may open, in chain order (for the order page)."""
    query = select(Invoice).where(Invoice.order_id == order_id).order_by(col(Invoice.icv))
    return [_row(invoice) for invoice in session.exec(query) if _may_open(session, invoice, user_id)]


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

"""The output-VAT report of a period: what the platform's documents charged, by purpose.

A period is a run of calendar days in Asia/Riyadh (``queries.period_bounds``). The report counts
and sums, per purpose (commission, tip commission, buyer fee), the tax invoices issued in it and
the credit notes issued in it, in SQL and in halalas; a credit note is subtracted in the period
it is issued, whatever the date of its invoice, as a VAT return does. ``vat_csv`` gives the same
documents one per row for the accountant, credit notes with negative amounts so each column adds
up to the report's net figure.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from app.core.clock import as_utc
from app.core.money import Money
from app.core.security import spreadsheet_cell
from app.invoices.queries import TIMEZONE, period_bounds
from app.invoices.zatca import amount_text
from models.invoices import Invoice, InvoiceKind, InvoicePurpose

CURRENCY = "SAR"
PURPOSES = (InvoicePurpose.COMMISSION.value, InvoicePurpose.TIP_COMMISSION.value, InvoicePurpose.BUYER_FEE.value, InvoicePurpose.FULL_PRICE.value)
CSV_COLUMNS = ("number", "issued_at", "type", "purpose", "counterparty", "vat_number", "taxable", "vat", "total", "currency", "original")
TYPE_NAMES = {InvoiceKind.INVOICE.value: "simplified_tax_invoice", InvoiceKind.CREDIT_NOTE.value: "simplified_credit_note"}


@dataclass(frozen=True)
class VatLine:
    """One purpose's documents in the period (or, as ``total``, all of them)."""

    purpose: str
    invoices: int
    invoice_taxable: Money
    invoice_vat: Money
    credit_notes: int
    credit_taxable: Money
    credit_vat: Money

    @property
    def taxable(self) -> Money:
        return self.invoice_taxable - self.credit_taxable

    @property
    def vat(self) -> Money:
        return self.invoice_vat - self.credit_vat

    def as_dict(self) -> dict[str, object]:
        return {
            "purpose": self.purpose,
            "invoices": self.invoices,
            "invoice_taxable_minor": self.invoice_taxable.minor,
            "invoice_vat_minor": self.invoice_vat.minor,
            "credit_notes": self.credit_notes,
            "credit_taxable_minor": self.credit_taxable.minor,
            "credit_vat_minor": self.credit_vat.minor,
            "taxable_minor": self.taxable.minor,
            "vat_minor": self.vat.minor,
        }


@dataclass(frozen=True)
class VatReport:
    start: date
    end: date
    lines: tuple[VatLine, ...]  # one per purpose that has documents, in PURPOSES order
    total: VatLine

    def as_dict(self) -> dict[str, object]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "timezone": str(TIMEZONE),
            "currency": CURRENCY,
            "lines": [line.as_dict() for line in self.lines],
            "total": self.total.as_dict(),
        }


def _in_period(start: date, end: date) -> list[object]:
    first, after = period_bounds(start, end)
    return [col(Invoice.issued_at) >= first, col(Invoice.issued_at) < after, Invoice.currency == CURRENCY]


def vat_report(session: Session, *, start: date, end: date) -> VatReport:
    """Counts, taxable amounts and VAT of the period's documents by purpose, credit notes subtracted.

    Raises:
        InvoiceError: ``invoice.bad_period``.
    """
    query = (
        select(Invoice.purpose, Invoice.kind, func.count(), func.coalesce(func.sum(Invoice.net_minor), 0), func.coalesce(func.sum(Invoice.vat_minor), 0))
        .where(*_in_period(start, end))
        .group_by(Invoice.purpose, Invoice.kind)
    )
    sums: dict[tuple[str, str], tuple[int, int, int]] = {(p, k): (int(n), int(net), int(vat)) for p, k, n, net, vat in session.exec(query)}
    lines = tuple(_line(purpose, sums) for purpose in PURPOSES if any(p == purpose for p, _ in sums))
    return VatReport(start, end, lines, _total(lines))


def _line(purpose: str, sums: dict[tuple[str, str], tuple[int, int, int]]) -> VatLine:
    invoices = sums.get((purpose, InvoiceKind.INVOICE.value), (0, 0, 0))
    credits = sums.get((purpose, InvoiceKind.CREDIT_NOTE.value), (0, 0, 0))
    return VatLine(
        purpose,
        invoices[0],
        Money(invoices[1], CURRENCY),
        Money(invoices[2], CURRENCY),
        credits[0],
        Money(credits[1], CURRENCY),
        Money(credits[2], CURRENCY),
    )


def _total(lines: tuple[VatLine, ...]) -> VatLine:
    zero = Money(0, CURRENCY)
    return VatLine(
        "total",
        sum(line.invoices for line in lines),
        sum((line.invoice_taxable for line in lines), zero),
        sum((line.invoice_vat for line in lines), zero),
        sum(line.credit_notes for line in lines),
        sum((line.credit_taxable for line in lines), zero),
        sum((line.credit_vat for line in lines), zero),
    )


def vat_csv(session: Session, *, start: date, end: date) -> str:
    """The period's documents, one a row in chain order, for the accountant (add a BOM for Excel).

    Amounts are decimal text in SAR; a credit note's are negative and name its invoice.

    Raises:
        InvoiceError: ``invoice.bad_period``.
    """
    original = aliased(Invoice)
    query = (
        select(Invoice, original.number)
        .outerjoin(original, col(original.id) == Invoice.original_invoice_id)
        .where(*_in_period(start, end))
        .order_by(col(Invoice.unit), col(Invoice.icv))
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for invoice, original_number in session.exec(query):
        sign = -1 if invoice.kind == InvoiceKind.CREDIT_NOTE.value else 1
        amounts = [amount_text(Money(sign * minor, invoice.currency)) for minor in (invoice.net_minor, invoice.vat_minor, invoice.gross_minor)]
        writer.writerow(
            [
                invoice.number,
                as_utc(invoice.issued_at).astimezone(TIMEZONE).strftime("%Y-%m-%d %H:%M"),
                TYPE_NAMES[invoice.kind],
                invoice.purpose,
                spreadsheet_cell(invoice.recipient_name),
                "",  # simplified documents: the counterparties hold no VAT number on Mihan yet
                *amounts,
                invoice.currency,
                original_number or "",
            ]
        )
    return out.getvalue()

"""What a printed invoice shows, once, for the HTML page and the PDF alike.

``invoice_sheet`` turns an issued ``Invoice`` (and its order's frozen VAT rate, the platform's
identity and, for a credit note, its original) into an ``InvoiceSheet``: Arabic first with the
English label beside it, every amount in SAR as the XML states it, the issue moment in Riyadh time
with its Hijri date, and the QR text the stamp produced. ``render_html`` and ``pdf.render_pdf``
only lay it out, so the two documents cannot disagree.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno
from hijridate import Gregorian
from sqlmodel import Session

from app.core.clock import as_utc
from app.core.i18n import translate
from app.core.money import Money
from app.core.settings import PlatformIdentity, get_settings
from app.invoices.queries import TIMEZONE
from app.invoices.zatca import amount_text
from app.invoices.zatca.amounts import percent_text
from app.invoices.zatca.ubl import read_lines
from models.invoices import Invoice, InvoiceKind, InvoicePurpose, InvoiceType
from models.orders import Order

BUYER_PURPOSES = (InvoicePurpose.BUYER_FEE.value, InvoicePurpose.FULL_PRICE.value)
LINE_COLUMNS = ("description", "quantity", "unit_price", "vat_rate", "vat_amount", "line_total")


@dataclass(frozen=True)
class Field:
    """A label in both languages and its value; ``ltr`` for numbers, codes and Latin names."""

    ar: str
    en: str
    value: str
    ltr: bool = False


@dataclass(frozen=True)
class InvoiceSheet:
    title_ar: str
    title_en: str
    number: str
    uuid: str
    platform_ar: str
    platform_en: str
    details: tuple[Field, ...]
    supplier: tuple[Field, ...]
    customer: tuple[Field, ...]
    columns: tuple[Field, ...]  # the line table's headings (``value`` unused)
    lines: tuple[tuple[str, ...], ...]
    totals: tuple[Field, ...]
    qr: str  # the stamped TLV text (base64), drawn as the QR code


def label(key: str, value: str = "", *, ltr: bool = False, **params: object) -> Field:
    return Field(translate(f"invdoc.{key}", "ar", **params), translate(f"invdoc.{key}", "en", **params), value, ltr)


def sar(minor: int) -> str:
    """An amount as the XML writes it, with its currency: ``23.00 SAR``."""
    return f"{amount_text(Money(minor, 'SAR'))} SAR"


def line_name(purpose: str, order_id: int, lang: str = "ar") -> str:
    """What a document's one line sells (the XML carries the Arabic one)."""
    return translate(f"invdoc.line_{purpose}", lang, order=order_id)


def _title_key(invoice: Invoice) -> str:
    credit = "credit" if invoice.kind == InvoiceKind.CREDIT_NOTE.value else "invoice"
    return f"title_{invoice.type}_{credit}" if invoice.type == InvoiceType.STANDARD.value else f"title_{credit}"


def hijri_date(invoice: Invoice) -> tuple[str, str]:
    day = as_utc(invoice.issued_at).astimezone(TIMEZONE).date()
    hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    return tuple(f"{hijri.day} {hijri.month_name(lang)} {hijri.year} {hijri.notation(lang)}" for lang in ("ar", "en"))  # type: ignore[return-value]


def _address(platform: PlatformIdentity) -> str:
    return (
        f"{platform.building_number} {platform.street}، {platform.district}، {platform.city} {platform.postal_code}، "
        f"{translate('invdoc.additional_number', 'ar')} {platform.additional_number}"
    )


def invoice_sheet(session: Session, invoice: Invoice) -> InvoiceSheet:
    """The printable form of an issued document."""
    platform = get_settings().platform
    order = session.get(Order, invoice.order_id)
    rate = order.vat_rate_bp if order is not None else platform.vat_rate_bp
    issued = as_utc(invoice.issued_at).astimezone(TIMEZONE)
    hijri_ar, hijri_en = hijri_date(invoice)
    title = _title_key(invoice)
    details = [
        label("number", invoice.number, ltr=True),
        label("issued", issued.strftime("%Y-%m-%d %H:%M (UTC+03:00)"), ltr=True),
        label("hijri", hijri_ar),
        label("hijri_en", hijri_en, ltr=True),
        label("uuid", invoice.uuid, ltr=True),
        label("order", f"#{invoice.order_id}", ltr=True),
    ]
    if invoice.original_invoice_id:
        original = session.get(Invoice, invoice.original_invoice_id)
        if original is not None:
            day = as_utc(original.issued_at).astimezone(TIMEZONE).strftime("%Y-%m-%d")
            details.append(label("original", f"{original.number} ({day})", ltr=True))
        details.append(label("reason", invoice.reason))
    customer_key = "customer_buyer" if invoice.purpose in BUYER_PURPOSES else "customer_seller"
    return InvoiceSheet(
        title_ar=translate(f"invdoc.{title}", "ar"),
        title_en=translate(f"invdoc.{title}", "en"),
        number=invoice.number,
        uuid=invoice.uuid,
        platform_ar=platform.name_ar,
        platform_en=platform.name_en,
        details=tuple(details),
        supplier=(
            label("name", platform.name_ar),
            label("name_en", platform.name_en, ltr=True),
            label("vat_number", platform.vat_number, ltr=True),
            label("cr", platform.commercial_registration, ltr=True),
            label("address", _address(platform)),
        ),
        customer=(label(customer_key, invoice.recipient_name),),
        columns=tuple(label(column) for column in LINE_COLUMNS),
        lines=_lines(invoice, rate),
        totals=(
            label("taxable", sar(invoice.net_minor), ltr=True),
            label("vat_total", sar(invoice.vat_minor), ltr=True, rate=percent_text(rate)),
            label("gross", sar(invoice.gross_minor), ltr=True),
        ),
        qr=invoice.qr,
    )


def _lines(invoice: Invoice, rate: int) -> tuple[tuple[str, ...], ...]:
    """The line table: a full-price invoice's lines (package, extras, fee) as its XML states
    them; every other document has one line, named in both languages."""
    percent = f"{percent_text(rate)}%"
    found = read_lines(invoice.xml.encode("utf-8")) if invoice.purpose == InvoicePurpose.FULL_PRICE.value else []
    if len(found) > 1:
        return tuple((line["name"], line["quantity"], f"{line['price']} SAR", percent, f"{line['vat']} SAR", f"{line['gross']} SAR") for line in found)
    description = f"{line_name(invoice.purpose, invoice.order_id)}\n{line_name(invoice.purpose, invoice.order_id, 'en')}"
    return ((description, "1", sar(invoice.net_minor), percent, sar(invoice.vat_minor), sar(invoice.gross_minor)),)


def qr_symbol(text: str) -> segno.QRCode:
    """The QR code of a document's TLV text (level M, never a micro code)."""
    return segno.make(text, error="m", micro=False, boost_error=False)


def qr_png(text: str, *, scale: int = 4) -> bytes:
    out = io.BytesIO()
    qr_symbol(text).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()

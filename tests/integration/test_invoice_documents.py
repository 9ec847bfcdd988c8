"""The invoice documents (SQLite and Postgres): the printable page and the PDF with its QR, the
download route's guard, the tip's commission invoice, the VAT report and its CSV, and the CLI."""

from __future__ import annotations

import base64
import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from starlette.testclient import TestClient

from app import ledger
from app.cli import main
from app.core import db
from app.core.money import Money
from app.core.settings import get_settings
from app.http import build_routes
from app.invoices import export_document, vat_csv, vat_report
from app.invoices.sheet import invoice_sheet, qr_png, qr_symbol
from app.invoices.zatca import decode_qr
from app.ledger import chart
from app.orders import lifecycle, tips
from app.orders.errors import OrderError
from models.invoices import Invoice
from tests.integration.orderkit import act, completed, ledger_clean, now, order_of, pay_by_card, place, shop, top_up  # noqa: F401 (fixtures)
from tests.integration.statekit import add_session
from tests.integration.test_invoices import buyer_fee, documents  # noqa: F401 (fixture)
from tests.integration.test_order_concurrency import at_once
from tests.passwords import use_fast_password_hashing


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_password_hashing(monkeypatch)


def tip(shop: dict[str, int], order_id: int, minor: int = 1000) -> tips.TipStarted:
    return act(tips.give_tip, order_id=order_id, user_id=shop["buyer"], amount=Money(minor), method="wallet", return_url=f"/orders/{order_id}")


def exported(invoice: Invoice, fmt: str) -> bytes:
    with db.reading() as session:
        return export_document(session, session.get(Invoice, invoice.id), fmt).content  # type: ignore[arg-type]


def modules_of(png: bytes, size: int, *, border: int = 4) -> list[list[bool]]:
    """Read a QR image back into its dark/light modules (sampling each module's centre)."""
    image = Image.open(io.BytesIO(png)).convert("L")
    step = image.width / (size + 2 * border)
    assert step == int(step) and image.width == image.height  # whole pixels per module, square
    return [[image.getpixel((int((border + x + 0.5) * step), int((border + y + 0.5) * step))) < 128 for x in range(size)] for y in range(size)]


def matrix(text: str) -> list[list[bool]]:
    return [[bool(cell) for cell in row] for row in qr_symbol(text).matrix]


# -- the PDF and the printable page ------------------------------------------------------------


def test_the_pdf_states_the_number_the_arabic_platform_name_and_the_totals_and_its_qr_is_the_stamp(shop: dict[str, int]) -> None:
    # given a completed order's commission invoice (20.00 + 3.00 VAT)
    [invoice] = documents(completed(shop))
    # when it is printed as a PDF
    pdf = PdfReader(io.BytesIO(exported(invoice, "pdf")))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    # then its text carries the number, the platform's Arabic legal name, the VAT number and the totals
    platform = get_settings().platform
    assert invoice.number in text and invoice.uuid in text
    assert platform.vat_number in text and "Simplified Tax Invoice" in text
    for amount in ("20.00 SAR", "3.00 SAR", "23.00 SAR"):
        assert amount in text
    assert all(word in text for word in platform.name_ar.split()) or platform.name_ar in text
    # and its one image is the QR of the stamped TLV text, which decodes to the invoice's figures
    [image] = pdf.pages[0].images
    symbol = qr_symbol(invoice.qr)
    size = len(symbol.matrix)
    assert modules_of(image.data, size) == matrix(invoice.qr)
    qr = decode_qr(invoice.qr)
    assert (qr.total, qr.vat, qr.seller_name, qr.vat_number) == (Money(2300), Money(300), platform.name_ar, platform.vat_number)


def test_the_printable_page_is_bilingual_escaped_and_embeds_the_same_qr(shop: dict[str, int]) -> None:
    [invoice] = documents(completed(shop))
    page = exported(invoice, "html").decode("utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    assert "فاتورة ضريبية مبسطة" in page and "Simplified Tax Invoice" in page
    assert invoice.number in page and get_settings().platform.name_ar in page
    assert "23.00 SAR" in page and "التاريخ الهجري" in page and "هـ" in page
    assert "http://" not in page and "https://" not in page  # nothing fetched from elsewhere
    png = qr_png(invoice.qr)
    assert base64.b64encode(png).decode() in page
    assert modules_of(png, len(qr_symbol(invoice.qr).matrix)) == matrix(invoice.qr)


def test_a_credit_note_names_its_original_invoice(shop: dict[str, int], buyer_fee) -> None:  # type: ignore[no-untyped-def]
    order_id = place(shop)
    pay_by_card(shop, order_id)
    act(lifecycle.request_cancellation, order_id=order_id, user_id=shop["buyer"], reason="تغيرت الخطة")
    act(lifecycle.accept_cancellation, order_id=order_id, user_id=shop["seller"])
    [original, note] = documents(order_id)
    with db.reading() as session:
        sheet = invoice_sheet(session, session.get(Invoice, note.id))  # type: ignore[arg-type]
    assert (sheet.title_ar, sheet.title_en) == ("إشعار دائن مبسط", "Simplified Credit Note")
    assert any(original.number in field.value for field in sheet.details)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(exported(note, "pdf"))).pages)
    assert original.number in text and note.number in text


# -- the download route ------------------------------------------------------------------------


def test_invoices_are_served_to_their_recipient_and_admins_only(shop: dict[str, int]) -> None:
    # given the seller's commission invoice
    [invoice] = documents(completed(shop))
    client = TestClient(build_routes())
    paths = [f"/invoices/{invoice.uuid}", f"/invoices/{invoice.uuid}/pdf", f"/invoices/{invoice.uuid}/xml"]
    # the seller (its recipient) and an admin get the page, the PDF and the XML
    for user in ("seller", "admin"):
        client.cookies.set("mihan_session", add_session(shop[user]))
        page, pdf, xml = (client.get(path) for path in paths)
        assert page.status_code == pdf.status_code == xml.status_code == 200, user
        assert page.headers["content-type"].startswith("text/html") and "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert pdf.content.startswith(b"%PDF") and pdf.headers["content-disposition"] == f'attachment; filename="{invoice.number}.pdf"'
        assert xml.content == invoice.xml.encode() and xml.headers["x-content-type-options"] == "nosniff"
        assert pdf.headers["cache-control"] == "private, no-store"
    # the buyer (not a party to the commission), a stranger, a signed-out visitor: the same 404
    for cookie in (add_session(shop["buyer"]), add_session(shop["other"]), "", "x" * 43):
        client.cookies.set("mihan_session", cookie)
        assert all(client.get(path).status_code == 404 for path in paths)
    # and an unknown UUID looks exactly like a forbidden one
    client.cookies.set("mihan_session", add_session(shop["admin"]))
    assert client.get("/invoices/00000000-0000-0000-0000-000000000000/pdf").status_code == 404
    assert client.get("/invoices/not-a-uuid").status_code == 404


# -- tips --------------------------------------------------------------------------------------


def test_a_tip_issues_its_commission_invoice_once_even_on_a_double_click(shop: dict[str, int]) -> None:
    # given a completed order and a buyer with 20.00 in the wallet
    order_id = completed(shop)
    top_up(shop["buyer"], 2000)
    before = len(documents(order_id))

    def give() -> None:
        tip(shop, order_id, 1000)

    # when the buyer clicks «أضف إكرامية» twice at once
    assert sorted(at_once(give, give)) == ["ok", "order.tip_already_given"]
    # then one invoice of the tip's commission (2.00 + 0.30 VAT), to the seller
    new = documents(order_id)[before:]
    assert [(i.purpose, i.kind, i.recipient_id, i.net_minor, i.vat_minor, i.gross_minor) for i in new] == [
        ("tip_commission", "388", shop["seller"], 200, 30, 230)
    ]
    assert new[0].event.startswith("tip:")
    with pytest.raises(OrderError):
        give()
    assert len(documents(order_id)) == before + 1
    ledger_clean()


# -- the VAT report ----------------------------------------------------------------------------


def seeded_period(shop: dict[str, int], now) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """On 1 November (Riyadh): a completed order with a fee, a tip on it, a fully refunded order
    with a fee; just after midnight Riyadh time (21:00 UTC), a completed order of 2 November."""
    first = completed(shop)
    top_up(shop["buyer"], 5000)
    tip(shop, first, 1000)
    refunded = place(shop)
    pay_by_card(shop, refunded)
    act(lifecycle.request_cancellation, order_id=refunded, user_id=shop["buyer"], reason="تغيرت الخطة")
    act(lifecycle.accept_cancellation, order_id=refunded, user_id=shop["seller"])
    now(datetime(2026, 11, 1, 21, 0, tzinfo=UTC))
    later = completed(shop)
    return {"first": first, "refunded": refunded, "later": later}


def test_the_vat_report_sums_a_riyadh_day_subtracts_credit_notes_and_matches_the_ledger(shop: dict[str, int], now, buyer_fee) -> None:  # type: ignore[no-untyped-def]
    # given a seeded period
    orders = seeded_period(shop, now)
    first, refunded = order_of(orders["first"]), order_of(orders["refunded"])
    # when the report for 1 November is asked
    with db.reading() as session:
        report = vat_report(session, start=date(2026, 11, 1), end=date(2026, 11, 1))
        next_day = vat_report(session, start=date(2026, 11, 2), end=date(2026, 11, 2))
        vat_account = ledger.balance(session, chart.vat_output("SA"))
    lines = {line.purpose: line for line in report.lines}
    # then commission: one invoice; tip: one; buyer fee: two invoices less one credit note
    assert (lines["commission"].invoices, lines["commission"].vat) == (1, Money(first.commission_vat_minor))
    assert (lines["tip_commission"].invoices, lines["tip_commission"].vat) == (1, Money(30))
    fee = lines["buyer_fee"]
    assert (fee.invoices, fee.credit_notes) == (2, 1)
    assert fee.invoice_vat == Money(first.buyer_fee_vat_minor + refunded.buyer_fee_vat_minor)
    assert fee.credit_vat == Money(refunded.buyer_fee_vat_minor) and fee.vat == Money(first.buyer_fee_vat_minor)
    assert report.total.vat == sum((line.vat for line in report.lines), Money(0))
    assert report.total.taxable == Money(first.commission_minor + 200 + first.buyer_fee_minor)
    # the order completed after midnight Riyadh time belongs to 2 November
    assert next_day.total.invoices == 2 and next_day.total.credit_notes == 0
    # and every halala of output VAT the ledger holds is in one of the two reports
    assert vat_account == report.total.vat + next_day.total.vat
    ledger_clean()


def test_the_vat_csv_has_one_row_per_document_credit_notes_negative(shop: dict[str, int], now, buyer_fee) -> None:  # type: ignore[no-untyped-def]
    orders = seeded_period(shop, now)
    with db.reading() as session:
        text = vat_csv(session, start=date(2026, 11, 1), end=date(2026, 11, 1))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["number", "issued_at", "type", "purpose", "counterparty", "vat_number", "taxable", "vat", "total", "currency", "original"]
    assert len(rows) == 5
    [note] = [row for row in rows if row["type"] == "simplified_credit_note"]
    [original] = [i for i in documents(orders["refunded"]) if i.kind == "388"]
    assert note["original"] == original.number and note["vat"].startswith("-") and note["issued_at"] == "2026-11-01 12:00"
    assert sum(int(row["vat"].replace(".", "")) for row in rows) == vat_report_minor(date(2026, 11, 1))


def vat_report_minor(day: date) -> int:
    with db.reading() as session:
        return vat_report(session, start=day, end=day).total.vat.minor


# -- the CLI -----------------------------------------------------------------------------------


def test_cli_exports_a_pdf_and_the_vat_report_with_a_bom_csv(shop: dict[str, int], now, buyer_fee, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    seeded_period(shop, now)
    [first] = [i for i in documents() if i.purpose == "commission"][:1]
    out = tmp_path / "invoice.pdf"
    assert main(["invoice", "export", str(first.id), "--format", "pdf", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    capsys.readouterr()
    report_csv = tmp_path / "vat.csv"
    assert main(["invoice", "vat-report", "--from", "2026-11-01", "--to", "2026-11-01", "--json", "--csv", str(report_csv)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"]["vat_minor"] == vat_report_minor(date(2026, 11, 1)) and data["timezone"] == "Asia/Riyadh"
    raw = report_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "عبدالله".encode() in raw
    # a reversed period and a malformed date are refused with one line
    assert main(["invoice", "vat-report", "--from", "2026-11-02", "--to", "2026-11-01"]) == 1
    assert main(["invoice", "vat-report", "--from", "1/11/2026", "--to", "2026-11-01"]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err

"""The invoice pages through their real Reflex handlers: «فواتيري», the order page's documents,
the admins' filtered list and the VAT report with its CSV, and who may see what."""

from __future__ import annotations

import base64
import csv
import io

import pytest

from app.orders import lifecycle
from models.accounts import Role
from state.invoices import AdminInvoicesState, InvoicesState, OrderInvoicesState, VatReportState
from tests.integration.orderkit import act, completed, now, pay_by_card, place, shop  # noqa: F401 (fixtures)
from tests.integration.statekit import Browser, add_session, add_user, ar, redirects, snapshot_database
from tests.integration.test_invoices import buyer_fee, documents  # noqa: F401 (fixture)
from tests.integration.test_wallet_state import downloads
from tests.passwords import use_fast_password_hashing


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_password_hashing(monkeypatch)


def tab(shop: dict[str, int], who: str, path: str) -> Browser:
    return Browser(token=add_session(shop[who]), path=path)


def test_each_user_lists_only_the_documents_addressed_to_them(shop: dict[str, int], buyer_fee) -> None:  # type: ignore[no-untyped-def]
    # given a completed order with a buyer fee: a fee invoice to the buyer, a commission invoice to the seller
    order_id = completed(shop)
    fee, commission = documents(order_id)
    # when each opens «فواتيري»
    lists = {}
    for who in ("buyer", "seller", "other"):
        browser = tab(shop, who, "/invoices")
        browser.call(InvoicesState, "open_page")
        lists[who] = [item["number"] for item in browser.state(InvoicesState).items]
    # then each sees their own, with the links of the printable page and the downloads
    assert lists == {"buyer": [fee.number], "seller": [commission.number], "other": []}
    browser = tab(shop, "seller", "/invoices")
    browser.call(InvoicesState, "open_page")
    [item] = browser.state(InvoicesState).items
    assert (item["href"], item["pdf"], item["xml"]) == (f"/invoices/{commission.uuid}", f"/invoices/{commission.uuid}/pdf", f"/invoices/{commission.uuid}/xml")
    assert item["kind_ar"] == "فاتورة ضريبية" and item["purpose_ar"] == "عمولة طلب" and "23" in item["gross_en"]
    # a signed-out visitor is sent to log in
    assert redirects(Browser(path="/invoices").call(InvoicesState, "open_page")) == ["/login?next=/invoices"]


def test_the_order_page_lists_the_viewers_own_documents_of_the_order(shop: dict[str, int], buyer_fee) -> None:  # type: ignore[no-untyped-def]
    order_id = completed(shop)
    fee, commission = documents(order_id)
    seen = {}
    for who in ("buyer", "seller", "admin", "other"):
        browser = tab(shop, who, f"/orders/{order_id}")
        browser.call(OrderInvoicesState, "open_page")
        seen[who] = [item["number"] for item in browser.state(OrderInvoicesState).order_invoices]
    assert seen == {"buyer": [fee.number], "seller": [commission.number], "admin": [fee.number, commission.number], "other": []}


def test_admins_filter_by_period_and_kind_and_a_bad_date_changes_nothing(shop: dict[str, int], buyer_fee) -> None:  # type: ignore[no-untyped-def]
    # given a fee invoice and its credit note (a cancelled order), and a commission invoice
    refunded = place(shop)
    pay_by_card(shop, refunded)
    act(lifecycle.request_cancellation, order_id=refunded, user_id=shop["buyer"], reason="تغيرت الخطة")
    act(lifecycle.accept_cancellation, order_id=refunded, user_id=shop["seller"])
    completed(shop)
    browser = tab(shop, "admin", "/admin/invoices?kind=credit_note&from=2026-11-01&to=2026-11-01")
    browser.call(AdminInvoicesState, "open_page")
    page = browser.state(AdminInvoicesState)
    assert [item["kind"] for item in page.items] == ["credit_note"] and (page.start, page.end, page.kind) == ("2026-11-01", "2026-11-01", "credit_note")
    browser = tab(shop, "admin", "/admin/invoices?to=2026-10-31")
    browser.call(AdminInvoicesState, "open_page")
    assert browser.state(AdminInvoicesState).items == []
    # the filter form becomes the URL; a bad date or a reversed period is a sentence, not a query
    assert redirects(browser.call(AdminInvoicesState, "apply_filter", {"from": "2026-11-01", "to": "", "kind": "invoice"})) == [
        "/admin/invoices?from=2026-11-01&kind=invoice"
    ]
    assert redirects(browser.call(AdminInvoicesState, "apply_filter", {"from": "2026-13-01"})) == []
    assert browser.state(AdminInvoicesState).error == ar("invoice.bad_date")
    assert redirects(browser.call(AdminInvoicesState, "apply_filter", {"from": "2026-11-02", "to": "2026-11-01"})) == []
    assert browser.state(AdminInvoicesState).error == ar("invoice.bad_period")
    for junk in (None, [], {"from": ["x"]}, {"kind": "'; drop"}):
        browser.call(AdminInvoicesState, "apply_filter", junk)


def test_the_vat_report_page_and_its_csv(shop: dict[str, int], buyer_fee) -> None:  # type: ignore[no-untyped-def]
    order_id = completed(shop)
    browser = tab(shop, "admin", "/admin/vat?from=2026-11-01&to=2026-11-30")
    browser.call(VatReportState, "open_page")
    page = browser.state(VatReportState)
    assert [line["purpose"] for line in page.lines] == ["commission", "buyer_fee"]
    assert page.total["invoices"] == "2" and page.total["credit_notes"] == "0"
    vat = sum(invoice.vat_minor for invoice in documents(order_id))
    assert page.total["vat_en"].replace("SAR", "").strip() == f"{vat // 100}.{vat % 100:02d}"
    [download] = downloads(browser.call(VatReportState, "export_csv"))
    assert download["filename"] == "mihan-vat-2026-11-01-2026-11-30.csv"
    text = base64.b64decode(download["url"].split(",", 1)[1]).decode("utf-8")
    assert text.startswith("\ufeff")
    assert len(list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))) == 2
    assert redirects(browser.call(VatReportState, "show", {"from": "2026-11-01", "to": "2026-11-15"})) == ["/admin/vat?from=2026-11-01&to=2026-11-15"]
    assert redirects(browser.call(VatReportState, "show", {"from": "2026-11-15", "to": "2026-11-01"})) == []
    assert browser.state(VatReportState).error == ar("invoice.bad_period")
    # without a period in the URL: this month so far, in Riyadh
    browser = tab(shop, "admin", "/admin/vat")
    browser.call(VatReportState, "open_page")
    assert (browser.state(VatReportState).start, browser.state(VatReportState).end) == ("2026-11-01", "2026-11-01")


@pytest.mark.parametrize("role", [None, Role.USER, Role.MODERATOR])
def test_only_admins_see_the_invoice_list_and_the_vat_report(shop: dict[str, int], role: Role | None) -> None:
    completed(shop)
    token = "" if role is None else add_session(add_user(f"{role.value}@example.com", role=role))
    before = snapshot_database()
    for cls, path in ((AdminInvoicesState, "/admin/invoices"), (VatReportState, "/admin/vat")):
        browser = Browser(token=token, path=path)
        result = browser.call(cls, "open_page")
        page = browser.state(cls)
        assert page.loaded is False and page.forbidden is (role is not None)
        if role is None:
            assert redirects(result) == [f"/login?next={path}"]
        assert downloads(browser.call(VatReportState, "export_csv")) == []
        assert "INV-2026" not in browser.client_json()
    assert snapshot_database() == before

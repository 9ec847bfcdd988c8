"""Tax invoices in the browser: a seller finds the commission invoice of a completed order on
the order page and in «فواتيري», opens the printable bilingual page and downloads the PDF and the
XML; the buyer is refused the seller's invoice (404); an admin lists every document and reads the
VAT report. Screenshots (Arabic, 1280 px and 360 px) land in tests/e2e/artifacts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, Server, Site
from tests.e2e.test_catalogue_journey import label
from tests.e2e.test_journeys import AR, PASSWORD, html_dir_lang, main, unique_email
from tests.e2e.test_order_journey import no_sideways_scroll, phone_copy
from tests.e2e.test_review_journey import completed_between_two_browsers

pytestmark = pytest.mark.e2e


def both_widths(site: Site, make_site: Callable[..., Site], path: str, name: str) -> None:
    """The page at 1280 px, then on a 360 px phone (right to left, no sideways scroll)."""
    site.goto(path)
    site.screenshot(f"{name}-desktop")
    phone = phone_copy(make_site, site)
    page = phone.goto(path)
    assert html_dir_lang(page) == ("rtl", "ar")
    no_sideways_scroll(page)
    phone.screenshot(f"{name}-phone")


def test_a_seller_prints_and_downloads_the_commission_invoice_and_an_admin_reads_the_vat_report(
    make_site: Callable[..., Site], server: Server, tmp_path: Path
) -> None:
    admin_email = unique_email("admin")
    seller, buyer, order_id = completed_between_two_browsers(make_site, server, tmp_path)

    # -- the order page lists the seller's commission invoice ------------------------------------
    page = seller.goto(f"/orders/{order_id}")
    section = page.locator("#order-invoices")
    expect(section).to_contain_text(AR["invoices.order_documents"])
    expect(section).to_contain_text(AR["invoices.purpose_commission"])
    view = section.get_by_role("link", name=AR["invoices.view"]).first
    href = view.get_attribute("href")
    assert href and href.startswith("/invoices/"), href
    number = section.locator(".order-invoice").first.inner_text().split("\n")[0].strip()
    assert number.startswith("INV-"), number

    # -- the printable page, Arabic first with English beside it -----------------------------------
    page = seller.page.context.new_page()
    answer = page.goto(seller.url(href))
    assert answer is not None and answer.status == 200
    expect(page.locator("h1")).to_contain_text("فاتورة ضريبية مبسطة")
    expect(page.locator("h1")).to_contain_text("Simplified Tax Invoice")
    expect(page.locator("body")).to_contain_text(number)
    expect(page.locator("#invoice-qr")).to_be_visible()
    assert page.evaluate("document.documentElement.dir") == "rtl"
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "invoice-print-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 780})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(ARTIFACTS / "invoice-print-phone.png"), full_page=True)
    page.close()

    # -- the downloads go to the seller, not to the buyer ------------------------------------------
    pdf = seller.page.request.get(seller.url(f"{href}/pdf"), timeout=90_000)  # the first PDF makes the font files
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    assert pdf.headers["content-disposition"] == f'attachment; filename="{number}.pdf"'
    xml = seller.page.request.get(seller.url(f"{href}/xml"))
    assert xml.status == 200 and number.encode() in xml.body()
    for path in (href, f"{href}/pdf", f"{href}/xml"):
        assert buyer.page.request.get(buyer.url(path)).status == 404

    # -- «فواتيري» from the account menu --------------------------------------------------------
    page = seller.goto("/wallet")
    seller.navigates(lambda: page.locator("#wallet-invoices").click(), "/invoices")
    expect(main(seller.page).locator(".invoice-row")).to_have_count(1)
    expect(main(seller.page)).to_contain_text(number)
    both_widths(seller, make_site, "/invoices", "invoices-list")

    # -- an admin: every document, and the VAT report ----------------------------------------------
    made = server.create_admin(email=admin_email, password=PASSWORD, name="مشرفة مِهَن")
    assert made["role"] == "admin", made
    admin = make_site()
    page = admin.goto("/login")
    label(page, "auth.email").fill(admin_email)
    label(page, "auth.password").fill(PASSWORD)
    admin.navigates(lambda: main(page).get_by_role("button", name=AR["auth.log_in"]).click(), "/")
    page = admin.goto("/admin/invoices")
    expect(page.locator("#admin-nav")).to_contain_text(AR["admin.nav_vat"])
    expect(main(page)).to_contain_text(number)
    both_widths(admin, make_site, "/admin/invoices", "admin-invoices")
    page = admin.goto("/admin/vat")
    expect(page.locator(".vat-line").first).to_contain_text(AR["invoices.purpose_commission"])
    both_widths(admin, make_site, "/admin/vat", "vat-report")
    assert admin.page.request.get(admin.url(f"{href}/pdf"), timeout=60_000).status == 200

"""A buyer pays by PayTabs in a real browser, with Moyasar also switched on; then by bank transfer.

This module runs its own ``mihan run`` with ``MIHAN_PAYMENT_GATEWAYS=sandbox,moyasar,paytabs,bank``
and PayTabs pointed at the fake PayTabs (tests/fakes/paytabs.py) on loopback. The checkout
offers both card gateways by their names; the buyer picks PayTabs, pays on the fake's hosted
page, whose self-submitting form POSTs the signed result back to ``/payments/return/paytabs``,
and lands on the paid order. The same buyer orders again and picks «تحويل بنكي»: the return page
shows the IBAN and the reference, the buyer uploads the receipt, an admin confirms it on
/admin/transfers and the order starts. Screenshots (Arabic, 1280 and 360 px) land in
tests/e2e/artifacts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Server, Site, running_server
from tests.e2e.test_catalogue_journey import log_in_as_new_admin
from tests.e2e.test_journeys import AR, main, path_of, png_bytes, sign_up, unique_email
from tests.e2e.test_order_journey import PACKAGE, TITLE, import_gig, no_sideways_scroll, phone_copy, status
from tests.fakes.paytabs import PROFILE_ID, SERVER_KEY, FakePaytabs

pytestmark = pytest.mark.e2e
IBAN = "SA0380000000608010167519"


@pytest.fixture(scope="module")
def fake_paytabs() -> Iterator[FakePaytabs]:
    with FakePaytabs().running() as fake:
        yield fake


@pytest.fixture(scope="module")
def server(fake_paytabs: FakePaytabs) -> Iterator[Server]:
    """Mihan with Moyasar and PayTabs switched on (Moyasar is never called here)."""
    settings = {
        "MIHAN_PAYMENT_GATEWAYS": "sandbox,moyasar,paytabs,bank",
        "MIHAN_BANK_IBAN": IBAN,
        "MIHAN_BANK_HOLDER": "شركة مهن للخدمات الرقمية",
        "MIHAN_BANK_NAME": "البنك التجريبي",
        "MIHAN_MOYASAR_SECRET_KEY": "sk_test_e2e_unused",
        "MIHAN_PAYTABS_PROFILE_ID": PROFILE_ID,
        "MIHAN_PAYTABS_SERVER_KEY": SERVER_KEY,
        "MIHAN_PAYTABS_API_URL": fake_paytabs.url,
    }
    with running_server(settings) as started:
        yield started


def test_the_buyer_picks_paytabs_pays_on_its_page_and_lands_on_the_paid_order(
    make_site: Callable[..., Site], server: Server, fake_paytabs: FakePaytabs, tmp_path: Path
) -> None:
    seller_email = unique_email("seller")
    seller = make_site()
    sign_up(seller, name="فهد الدوسري", email=seller_email)
    import_gig(server, seller_email, tmp_path)
    page = seller.goto("/seller/gigs")
    href = page.locator(".seller-gig").filter(has_text=TITLE).get_by_role("link", name=TITLE).get_attribute("href")
    assert href

    # the buyer orders; the checkout offers each card gateway by its name
    buyer = make_site()
    sign_up(buyer, name="عبدالله القحطاني", email=unique_email("buyer"))
    page = buyer.goto(href)
    buyer.navigates(lambda: main(page).get_by_role("button", name=AR["gig.order_now"]).filter(visible=True).first.click())
    page.wait_for_url(re.compile(r"/checkout/\d+$"))
    order_path = "/orders/" + path_of(page).rsplit("/", 1)[-1]
    expect(page.locator("#checkout-summary")).to_contain_text(PACKAGE)
    # (plain-text names: the labels hold "/", which a regex name would have to escape for Playwright)
    moyasar = page.get_by_role("radio", name=AR["checkout.method_moyasar"])
    paytabs = page.get_by_role("radio", name=AR["checkout.method_paytabs"])
    expect(moyasar).to_be_checked()
    expect(page.get_by_role("radio", name=AR["checkout.method_sandbox"])).to_have_count(0)
    paytabs.click()
    expect(paytabs).to_be_checked()
    buyer.screenshot("paytabs-checkout-desktop")
    phone = phone_copy(make_site, buyer)
    phone_page = phone.goto(path_of(page))
    expect(phone_page.get_by_role("radio", name=AR["checkout.method_paytabs"])).to_be_visible()
    no_sideways_scroll(phone_page)
    phone.screenshot("paytabs-checkout-phone")

    # PayTabs' hosted page (the fake) asks for the order's total; paying brings the buyer back
    page.get_by_role("button", name=re.compile("^" + AR["checkout.pay"])).click()
    page.wait_for_url(re.compile(re.escape(fake_paytabs.url) + r"/payment/page/"))
    expect(page.locator("#amount")).to_contain_text("100.00 SAR")
    buyer.navigates(lambda: page.get_by_role("button", name="Pay").click(), order_path)
    expect(page.get_by_text(AR["checkout.paid"])).to_be_visible()
    status(page, "orders.status_awaiting_requirements")
    buyer.screenshot("paytabs-paid-order")
    [sale] = fake_paytabs.sales()
    assert sale["payment_result"]["response_status"] == "A" and sale["cart_amount"] == "100.00"

    # -- the same buyer orders again and pays by bank transfer --------------------------------------
    page = buyer.goto(href)
    buyer.navigates(lambda: main(page).get_by_role("button", name=AR["gig.order_now"]).filter(visible=True).first.click())
    page.wait_for_url(re.compile(r"/checkout/\d+$"))
    second = "/orders/" + path_of(page).rsplit("/", 1)[-1]
    page.get_by_role("radio", name=AR["checkout.method_bank"]).click()
    page.get_by_role("button", name=re.compile("^" + AR["checkout.pay"])).click()
    page.wait_for_url(re.compile(r"/checkout/\d+/return\?reference=MH-"))
    expect(page.locator("#transfer-iban")).to_have_text("SA03 8000 0000 6080 1016 7519")
    reference = page.locator("#transfer-reference").inner_text()
    page.locator("#transfer-receipt input[type=file]").set_input_files({"name": "receipt.png", "mimeType": "image/png", "buffer": png_bytes()})
    page.locator("#transfer-upload").click()
    expect(page.locator(".transfer-receipt-file")).to_contain_text("receipt.png")
    buyer.screenshot("bank-transfer-desktop")
    phone = phone_copy(make_site, buyer)
    phone_page = phone.goto(path_of(page) + "?reference=" + reference)
    expect(phone_page.locator("#transfer-reference")).to_have_text(reference)
    no_sideways_scroll(phone_page)
    phone.screenshot("bank-transfer-phone")

    # an admin confirms the money arrived; the order starts
    admin = make_site()
    log_in_as_new_admin(admin, server)
    page = admin.goto("/admin/transfers")
    card = page.locator(".transfer-card").filter(has_text=reference)
    expect(card).to_contain_text("receipt.png")
    admin.screenshot("admin-transfers")
    card.get_by_role("button", name=AR["transfers.decide"]).click()
    expect(page.get_by_text(AR["transfers.done_confirmed"])).to_be_visible()
    page = buyer.goto(second)
    status(page, "orders.status_awaiting_requirements")

"""The sandbox's hosted page in a real browser: the challenge card, its code, and back to the shop.

Checkout does not exist yet, so the payment is started with the gateway service straight in the
server's database, then the buyer's part is played on /sandbox/pay/<reference> on a 360 px phone.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from app.core import db
from app.core.money import Money
from app.payments import get_gateway
from app.payments.sandbox import CHALLENGE_CODE
from models.orders import PaymentStatus
from tests.e2e.conftest import Server, Site
from tests.e2e.test_catalogue_journey import no_sideways_scroll
from tests.e2e.test_journeys import AR, PHONE, path_of

pytestmark = pytest.mark.e2e

RETURN_PATH = "/terms"  # any page of the site: the shop's own return page comes with checkout


def start_payment(server: Server) -> str:
    with db.transaction(server.db_url) as session:
        return get_gateway("sandbox").start(
            session,
            amount=Money(15_000),
            description="تعليق صوتي لإعلان إذاعي — الباقة الأساسية",
            return_url=RETURN_PATH,
            idempotency_key="e2e:challenge",
            metadata={"order_id": "e2e"},
        ).reference


def test_the_challenge_card_pays_after_its_code(server: Server, make_site: Callable[..., Site]) -> None:
    # given a started payment and a buyer on a phone, on its hosted page
    reference = start_payment(server)
    site = make_site(viewport=PHONE, is_mobile=True, has_touch=True)
    page = site.page
    page.goto(site.url(f"/sandbox/pay/{reference}"), wait_until="domcontentloaded")
    # then the page says loudly that it is a test, shows the amount, and fits the phone
    expect(page.locator("#sandbox-banner")).to_contain_text(AR["sandbox.banner"])
    expect(page.locator("#sandbox-pay")).to_be_visible()  # the form appears once on_load ran
    expect(page.locator("#sandbox-amount")).to_contain_text("150")
    no_sideways_scroll(page, PHONE["width"])
    site.screenshot("sandbox-card-phone")
    # when the buyer picks the challenge card from the test cards and fills the rest
    page.locator("#test-card-challenge").get_by_role("button", name=AR["sandbox.use_card"]).click()
    expect(page.get_by_label(AR["sandbox.card_number"], exact=True)).to_have_value("4000 0000 0000 3220")
    page.get_by_label(AR["sandbox.expiry"], exact=True).fill("١٢/٣٠")  # Arabic-Indic digits
    page.get_by_label(AR["sandbox.cvc"], exact=True).fill("123")
    page.get_by_label(AR["sandbox.holder"], exact=True).fill("سارة العلي")
    page.locator("#sandbox-pay").click()
    # then the bank's code step shows the sandbox's code
    expect(page.locator("#sandbox-code-shown")).to_have_text(CHALLENGE_CODE)
    no_sideways_scroll(page, PHONE["width"])
    site.screenshot("sandbox-challenge-phone")
    # when the buyer types it
    page.get_by_label(AR["sandbox.code"], exact=True).fill(CHALLENGE_CODE)
    page.locator("#sandbox-confirm").click()
    # then the buyer lands back on the shop's page with the reference, and the payment is paid
    page.wait_for_url(lambda url: urlsplit(url).path.rstrip("/") == RETURN_PATH, timeout=30_000)
    assert parse_qs(urlsplit(page.url).query)["reference"] == [reference]
    assert path_of(page) == RETURN_PATH
    with db.reading(server.db_url) as session:
        assert get_gateway("sandbox").verify(session, reference=reference).status is PaymentStatus.PAID

"""The sandbox's hosted page through its real Reflex handlers, on SQLite and Postgres.

The page is the gateway's, so every tab here is signed out: paying needs the link, not a session.
"""

from __future__ import annotations

import json

import pytest

from app.core import db
from app.core.money import Money
from app.payments import PaymentResult, get_gateway
from app.payments.sandbox import CHALLENGE_CODE
from models.orders import PaymentStatus
from models.payments import SandboxPayment
from state.sandbox import CARD, CHALLENGE, DONE, MISSING, SandboxState
from tests.integration.statekit import LOCALES, Browser, ar, redirects, rows
from tests.integration.test_payments import heard  # noqa: F401 (a fixture)

CARD_FORM = {"card_number": "4111 1111 1111 1111", "expiry": "12/30", "cvc": "123", "holder": "سارة العلي"}
EN = json.loads((LOCALES / "en.json").read_text(encoding="utf-8"))


pytestmark = pytest.mark.usefixtures("heard")


def start(key: str = "order:7:attempt:1", return_url: str = "/orders/7/paid") -> str:
    with db.transaction() as session:
        return get_gateway("sandbox").start(
            session,
            amount=Money(12_345),
            description="تعليق صوتي لإعلان — الباقة الأساسية",
            return_url=return_url,
            idempotency_key=key,
            metadata={"order_id": "7"},
        ).reference


def tab(reference: str, lang: str = "ar") -> Browser:
    browser = Browser(path=f"/sandbox/pay/{reference}", lang=lang)
    browser.call(SandboxState, "open_page")
    return browser


def page(browser: Browser) -> SandboxState:
    return browser.state(SandboxState)


def status(reference: str) -> str:
    [payment] = rows(SandboxPayment, SandboxPayment.reference == reference)
    return payment.status


def test_the_page_shows_the_payment_without_a_session(database: str) -> None:
    # given a started payment
    reference = start()
    # when a signed-out tab opens its page
    state = page(tab(reference))
    # then the card step shows the amount in both languages and the description
    assert state.step == CARD
    assert "123.45" in state.amount_en and "SAR" in state.amount_en
    assert "ر.س" in state.amount_ar
    assert state.description == "تعليق صوتي لإعلان — الباقة الأساسية"
    assert state.error == ""


@pytest.mark.parametrize("path", ["/sandbox/pay/sbx_" + "A" * 24, "/sandbox/pay/nope", "/sandbox/pay/", "/login?next=//evil.com"])
def test_an_unknown_reference_shows_not_found(database: str, path: str) -> None:
    browser = Browser(path=path)
    browser.call(SandboxState, "open_page")
    assert page(browser).step == MISSING
    result = browser.call(SandboxState, "pay", CARD_FORM)
    assert redirects(result) == [] and page(browser).step == MISSING
    assert rows(SandboxPayment) == []


def test_paying_with_the_success_card_goes_back_to_the_shop(database: str, heard: list[PaymentResult]) -> None:
    # given the page of a started payment
    reference = start()
    browser = tab(reference)
    # when the buyer pays with the success card
    result = browser.call(SandboxState, "pay", CARD_FORM)
    # then the payment is paid, announced, and the buyer goes back with the reference
    assert status(reference) == "paid"
    assert [r.status for r in heard] == [PaymentStatus.PAID]
    assert redirects(result) == [f"/orders/7/paid?reference={reference}"]
    assert page(browser).step == DONE


def test_a_mistyped_card_shows_one_sentence_and_stays(database: str) -> None:
    reference = start()
    browser = tab(reference)
    result = browser.call(SandboxState, "pay", {**CARD_FORM, "card_number": "4111 1111 1111 1112"})
    assert redirects(result) == []
    assert (page(browser).step, page(browser).error) == (CARD, ar("payment.card_number"))
    assert status(reference) == "initiated"
    # in English too
    english = tab(reference, lang="en")
    english.call(SandboxState, "pay", {**CARD_FORM, "expiry": "01/20"})
    assert page(english).error == EN["payment.card_expired"]
    # and the corrected card clears the message on its way out
    browser.call(SandboxState, "pay", CARD_FORM)
    assert page(browser).error == "" and status(reference) == "paid"


def test_the_declined_card_fails_and_still_goes_back(database: str, heard: list[PaymentResult]) -> None:
    reference = start()
    result = tab(reference).call(SandboxState, "pay", {**CARD_FORM, "card_number": "4000 0000 0000 0002"})
    assert status(reference) == "failed"
    assert redirects(result) == [f"/orders/7/paid?reference={reference}"]
    assert [(r.status, r.message) for r in heard] == [(PaymentStatus.FAILED, "payment.declined")]


def test_the_challenge_card_leads_to_the_code_step(database: str, heard: list[PaymentResult]) -> None:
    # given the challenge card, typed in Arabic-Indic digits
    reference = start(return_url="/orders/7/paid?from=sandbox")
    browser = tab(reference)
    result = browser.call(SandboxState, "pay", {**CARD_FORM, "card_number": "٤٠٠٠ ٠٠٠٠ ٠٠٠٠ ٣٢٢٠"})
    # then the code step shows, and a reloaded tab shows it too
    assert redirects(result) == [] and page(browser).step == CHALLENGE
    assert page(tab(reference)).step == CHALLENGE
    assert heard == []
    # when the code shown on the page is typed
    result = browser.call(SandboxState, "confirm_code", {"code": CHALLENGE_CODE})
    # then it is paid and the buyer goes back, the return path's own query kept
    assert status(reference) == "paid" and len(heard) == 1
    assert redirects(result) == [f"/orders/7/paid?from=sandbox&reference={reference}"]


def test_a_wrong_code_fails_the_payment_and_goes_back(database: str) -> None:
    reference = start()
    browser = tab(reference)
    browser.call(SandboxState, "pay", {**CARD_FORM, "card_number": "4000000000003220"})
    result = browser.call(SandboxState, "confirm_code", {"code": "000000"})
    assert status(reference) == "failed"
    assert redirects(result) == [f"/orders/7/paid?reference={reference}"]


def test_a_second_click_or_tab_just_goes_back(database: str, heard: list[PaymentResult]) -> None:
    # given two tabs on the same payment page
    reference = start()
    first, second = tab(reference), tab(reference)
    # when the first pays and then the second submits (or the button is clicked twice)
    first.call(SandboxState, "pay", CARD_FORM)
    result = second.call(SandboxState, "pay", {**CARD_FORM, "card_number": "4000 0000 0000 0002"})
    # then the payment was paid once, and the second tab goes back without an error
    assert status(reference) == "paid" and len(heard) == 1
    assert redirects(result) == [f"/orders/7/paid?reference={reference}"]
    assert page(second).error == ""
    # and reopening the page offers the way back instead of the form
    reopened = page(tab(reference))
    assert (reopened.step, reopened.back_url) == (DONE, f"/orders/7/paid?reference={reference}")


def test_the_code_step_cannot_be_skipped_or_called_early(database: str) -> None:
    reference = start()
    browser = tab(reference)
    result = browser.call(SandboxState, "confirm_code", {"code": CHALLENGE_CODE})
    assert redirects(result) == [] and page(browser).error == ar("payment.no_challenge")
    assert status(reference) == "initiated"


def test_junk_never_pays(database: str) -> None:
    reference = start()
    browser = tab(reference)
    for junk in (None, "x", 5, [CARD_FORM], {"card_number": {"$ne": 1}}, {**CARD_FORM, "cvc": None}, {**CARD_FORM, "holder": "\ud800" * 3}):
        browser.call(SandboxState, "pay", junk)
        browser.call(SandboxState, "confirm_code", junk)
    assert status(reference) == "initiated"

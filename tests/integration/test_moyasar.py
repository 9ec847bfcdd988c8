"""The Moyasar gateway against a fake Moyasar on loopback, through checkout's real services.

Every test runs on SQLite and Postgres (the ``shop`` fixture's backends). The buyer's side is
played over HTTP: the hosted page of the fake (paying, 3-D Secure, the back button), Moyasar's
webhooks POSTed to Mihan's real webhook route (served on loopback), and the return to the
site's ``success_url``, which the checkout page turns into ``confirm_payment``. After each
step the ledger's balances are read and ``ledger.check`` must find nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest

from app.core import db
from app.core.i18n import translate
from app.core.money import Money
from app.core.settings import get_settings
from app.orders import checkout
from app.payments import RefundResult, enabled_gateways, get_gateway
from app.payments import moyasar as gateway_module
from app.payments.moyasar import reason_of
from models.orders import Order
from models.payments import MoyasarInvoice, MoyasarRefund, MoyasarWebhookEvent
from state.checkout import CheckoutState
from state.orders import OrderState
from tests.fakes.moyasar import PAID_CARD, SECRET_KEY, WEBHOOK_SECRET, FakeMoyasar
from tests.integration import gatewaykit as kit
from tests.integration.gatewaykit import back_to_site, on_page, payment_rows, refusal, site  # noqa: F401 (fixtures)
from tests.integration.orderkit import now, order_of, place, shop  # noqa: F401 (fixtures)
from tests.integration.statekit import Browser, add_session, ar, redirects, rows

WEBHOOK = "/payments/webhook/moyasar"
INSUFFICIENT_FUNDS = "4201320000311101"


@pytest.fixture
def fake(shop: dict[str, int], site: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeMoyasar]:
    """A running fake Moyasar, switched on beside the sandbox with its keys; calls time out fast."""
    keys = {"MIHAN_MOYASAR_SECRET_KEY": SECRET_KEY, "MIHAN_MOYASAR_WEBHOOK_SECRET": WEBHOOK_SECRET}
    with kit.fake_switched_on(monkeypatch, gateway_module, FakeMoyasar(), site, keys) as running:
        yield running


# -- the buyer, the site, the books ----------------------------------------------------------


def start(shop: dict[str, int], order_id: int) -> str:
    return kit.start(shop, order_id, "moyasar")


def pay(url: str, number: str = PAID_CARD, **form: object) -> httpx.Response:
    return on_page(url, "pay", number=number, **form)


def come_back(reference: str) -> Order | None:
    return kit.come_back("moyasar", reference)


def refund(reference: str, minor: int, key: str, currency: str = "SAR") -> RefundResult:
    return kit.refund("moyasar", reference, minor, key, currency)


def held(order_id: int) -> tuple[int, int]:
    return kit.held(order_id, "moyasar")


def unpaid(order_id: int) -> None:
    kit.unpaid(order_id, "moyasar")


def paid_once(order_id: int) -> None:
    kit.paid_once(order_id, "moyasar")


def paid_order(shop: dict[str, int], site: str) -> tuple[int, str]:
    """An order paid on Moyasar's page and confirmed on return; its order id and reference."""
    order_id = place(shop)
    reference = back_to_site(pay(start(shop, order_id)), site, order_id)
    come_back(reference)
    paid_once(order_id)
    return order_id, reference


# -- paying ------------------------------------------------------------------------------------


def test_a_paid_invoice_moves_the_money_once_on_return_and_webhook(shop: dict[str, int], fake: FakeMoyasar, site: str) -> None:
    # given an unpaid order and the Moyasar invoice checkout starts for it
    order_id = place(shop)
    url = start(shop, order_id)
    invoice = fake.invoice_of(url)
    [row] = rows(MoyasarInvoice)
    total = order_of(order_id).total_minor
    # then the invoice asks for the order's total in halalas and brings the buyer back to us
    return_url = f"{site}/checkout/{order_id}/return?reference={row.reference}"
    assert (invoice["amount"], invoice["currency"], invoice["success_url"], invoice["back_url"]) == (total, "SAR", return_url, return_url)
    assert invoice["metadata"] == {"order": str(order_id), "mihan_reference": row.reference}
    assert invoice["callback_url"] is None and invoice["expired_at"] == "2026-11-02T09:00:00.000Z"
    assert [(p.reference, p.status, p.amount_minor) for p in payment_rows(order_id)] == [(row.reference, "initiated", total)]
    unpaid(order_id)
    # when the buyer pays on the hosted page and comes back
    reference = back_to_site(pay(url), site, order_id)
    assert reference == row.reference
    come_back(reference)
    # then the order is paid once
    paid_once(order_id)
    # and Moyasar's webhook, arriving later, changes nothing
    assert fake.deliver(site + WEBHOOK) == [200]
    paid_once(order_id)


def test_the_checkout_page_sends_the_buyer_to_moyasar_and_back(shop: dict[str, int], fake: FakeMoyasar, site: str) -> None:
    """With Moyasar switched on beside the sandbox, the card is paid on Moyasar's page."""
    # given an unpaid order at checkout (the buyer's wallet is empty, so the card is chosen)
    order_id = place(shop)
    token = add_session(shop["buyer"])
    page = Browser(token=token, path=f"/checkout/{order_id}")
    page.call(CheckoutState, "open_page")
    shown = page.state(CheckoutState)
    assert shown.method == "moyasar"
    # and the card option is Moyasar's, not the sandbox's
    assert [(c["title_ar"], c["hint_ar"]) for c in shown.card_methods] == [(ar("checkout.method_moyasar"), ar("checkout.card_hint_moyasar"))]
    # when the buyer pays: Moyasar's hosted page asks for the order's total
    [url] = redirects(page.call(CheckoutState, "pay"))
    assert fake.invoice_of(url)["amount"] == order_of(order_id).total_minor
    reference = back_to_site(pay(url), site, order_id)
    # and comes back to the return page
    back = Browser(token=token, path=f"/checkout/{order_id}/return?reference={reference}")
    result = back.call(CheckoutState, "come_back")
    # then Moyasar was asked, the order is paid once, and the buyer lands on it
    assert redirects(result) == [f"/orders/{order_id}"]
    paid_once(order_id)
    # and the order's timeline names Moyasar as the way it was paid
    order_page = Browser(token=token, path=f"/orders/{order_id}")
    order_page.call(OrderState, "open_page")
    [paid] = [line for line in order_page.state(OrderState).timeline if line["kind"] == "paid"]
    assert ar("checkout.method_moyasar") in paid["who_ar"]


def test_a_declined_card_fails_with_its_reason_and_a_retry_is_a_new_invoice(shop: dict[str, int], fake: FakeMoyasar, site: str) -> None:
    # given a buyer whose card has no funds
    order_id = place(shop)
    url = start(shop, order_id)
    page = pay(url, INSUFFICIENT_FUNDS)
    assert (page.status_code, page.json()["message"]) == (200, "INSUFFICIENT FUNDS")
    # when checkout asks Moyasar (the webhook says so)
    assert fake.deliver(site + WEBHOOK) == [200]
    # then the payment failed with the reason, in the catalogue, and nothing moved
    [payment] = payment_rows(order_id)
    assert (payment.status, payment.failure) == ("failed", "payment.insufficient_funds")
    assert translate(payment.failure, "ar") == "رصيد البطاقة غير كافٍ."
    unpaid(order_id)
    # when the buyer tries again, then it is a new invoice, and the other card pays
    again = start(shop, order_id)
    assert again != url and len(fake.invoices) == 2
    come_back(back_to_site(pay(again), site, order_id))
    paid_once(order_id)


@pytest.mark.parametrize(("passes", "status", "failure"), [(True, "paid", ""), (False, "failed", "payment.authentication_failed")])
def test_a_3ds_challenge_waits_for_the_bank(shop: dict[str, int], fake: FakeMoyasar, site: str, passes: bool, status: str, failure: str) -> None:
    # given a buyer whose bank asks for 3-D Secure
    order_id = place(shop)
    url = start(shop, order_id)
    challenge = pay(url, challenge=True)
    assert challenge.status_code == 302
    [row] = rows(MoyasarInvoice)
    # when checkout asks while the challenge is open, then the payment waits and nothing moves
    assert come_back(row.reference) is not None
    with db.reading() as session:
        assert get_gateway("moyasar").verify(session, reference=row.reference).message == "payment.challenge_required"
    assert payment_rows(order_id)[0].status == "initiated"
    unpaid(order_id)
    # when the bank's page is answered and the result is announced
    on_page(challenge.headers["Location"], "", **{"pass": passes})
    assert fake.deliver(site + WEBHOOK) == [200]
    # then the payment ends as the bank said
    [payment] = payment_rows(order_id)
    assert (payment.status, payment.failure) == (status, failure)
    paid_once(order_id) if passes else unpaid(order_id)


def test_an_abandoned_page_stays_unpaid_and_the_same_invoice_can_be_paid_later(shop: dict[str, int], fake: FakeMoyasar, site: str) -> None:
    # given a buyer who opens Moyasar's page and goes back without paying
    order_id = place(shop)
    url = start(shop, order_id)
    reference = back_to_site(on_page(url, "back"), site, order_id)
    come_back(reference)
    # then the payment still waits and nothing moved
    assert [p.status for p in payment_rows(order_id)] == ["initiated"]
    unpaid(order_id)
    # when they pay later, then it is the same invoice, created once
    assert start(shop, order_id) == url
    assert (len(fake.invoices), fake.count("POST", "/v1/invoices")) == (1, 1)
    come_back(back_to_site(pay(url), site, order_id))
    paid_once(order_id)


@pytest.mark.parametrize("webhook_first", [True, False])
def test_webhook_and_return_in_either_order_move_the_money_once(shop: dict[str, int], fake: FakeMoyasar, site: str, webhook_first: bool) -> None:
    order_id = place(shop)
    reference = back_to_site(pay(start(shop, order_id)), site, order_id)
    steps = [lambda: fake.deliver(site + WEBHOOK) == [200], lambda: come_back(reference) is not None]
    for step in steps if webhook_first else reversed(steps):
        assert step()
        paid_once(order_id)


def test_a_replayed_webhook_is_answered_without_asking_moyasar_again(shop: dict[str, int], fake: FakeMoyasar, site: str) -> None:
    # given a paid invoice whose webhook was delivered
    order_id = place(shop)
    url = start(shop, order_id)
    pay(url)
    [event] = list(fake.events)
    assert fake.deliver(site + WEBHOOK) == [200]
    paid_once(order_id)
    fetches = fake.count("GET", f"/v1/invoices/{fake.invoice_of(url)['id']}")
    # when Moyasar replays the same event, twice
    assert fake.deliver(site + WEBHOOK, [event, event]) == [200, 200]
    # then it was answered from the first delivery: no new fetch, one event row, money once
    assert fake.count("GET", f"/v1/invoices/{fake.invoice_of(url)['id']}") == fetches
    assert [(e.event_id, e.status) for e in rows(MoyasarWebhookEvent)] == [(event["id"], "paid")]
    paid_once(order_id)
    # and another event about the same payment is checked with Moyasar, and moves nothing
    assert fake.deliver(site + WEBHOOK, [fake.envelope(fake.payments[event["data"]["id"]])]) == [200]
    assert fake.count("GET", f"/v1/invoices/{fake.invoice_of(url)['id']}") == fetches + 1
    paid_once(order_id)


def test_a_forged_or_malformed_webhook_is_refused_and_moves_nothing(shop: dict[str, int], fake: FakeMoyasar, site: str) -> None:
    # given a paid invoice the buyer has not come back from yet
    order_id = place(shop)
    pay(start(shop, order_id))
    [genuine] = fake.events
    payment = fake.payments[genuine["data"]["id"]]
    client = httpx.Client(base_url=site)
    forged = [
        (fake.envelope(payment, secret_token="guessed"), "payment.bad_signature"),
        ({k: v for k, v in genuine.items() if k != "secret_token"}, "payment.bad_signature"),
        (fake.envelope(payment, secret_token=WEBHOOK_SECRET + " "), "payment.bad_signature"),
        (genuine | {"live": True}, "payment.bad_webhook"),
        (genuine | {"type": "balance_transferred"}, "payment.bad_webhook"),
        (genuine | {"data": "paid"}, "payment.bad_webhook"),
        (genuine | {"data": genuine["data"] | {"invoice_id": "5fe59d24-b1d1-450a-b7a9-44f4f27c5963"}}, "payment.unknown_payment"),
    ]
    # when forged, foreign or broken bodies arrive, then each is a 400 with its reason
    for body, key in forged:
        response = client.post(WEBHOOK, json=body)
        assert (response.status_code, response.json()) == (400, {"error": key})
    for raw in (b"not json", b"[]", b"\xff\xfe"):
        assert client.post(WEBHOOK, content=raw).json() == {"error": "payment.bad_webhook"}
    # and nothing moved or was remembered
    unpaid(order_id)
    assert rows(MoyasarWebhookEvent) == []
    # when the genuine one arrives, then it pays
    assert fake.deliver(site + WEBHOOK) == [200]
    paid_once(order_id)


def test_without_a_webhook_secret_every_webhook_is_refused(shop: dict[str, int], fake: FakeMoyasar, site: str, monkeypatch: pytest.MonkeyPatch) -> None:
    order_id = place(shop)
    pay(start(shop, order_id))
    monkeypatch.setenv("MIHAN_MOYASAR_WEBHOOK_SECRET", "")
    get_settings.cache_clear()
    assert fake.deliver(site + WEBHOOK, [fake.envelope(p, secret_token="") for p in fake.payments.values()]) == [400]
    unpaid(order_id)


@pytest.mark.parametrize("change", [{"amount": 100}, {"currency": "USD"}, {"amount": 100, "payment": False}])
def test_money_changed_at_the_gateway_is_refused(
    shop: dict[str, int], fake: FakeMoyasar, site: str, change: dict[str, object], caplog: pytest.LogCaptureFixture
) -> None:
    # given an invoice paid, then changed at Moyasar (a payment of 1.00 SAR, another currency)
    order_id = place(shop)
    url = start(shop, order_id)
    reference = back_to_site(pay(url), site, order_id)
    fake.tamper(fake.invoice_of(url)["id"], **change)  # type: ignore[arg-type]
    # when the buyer comes back or the webhook arrives
    with caplog.at_level(logging.ERROR, logger="app.payments.moyasar"):
        assert refusal(come_back, reference) == "payment.amount_mismatch"
        assert fake.deliver(site + WEBHOOK) == [400]
    # then it is refused and logged, the payment still waits, and no money moved
    assert "refused, no money moves" in caplog.text
    assert [p.status for p in payment_rows(order_id)] == ["initiated"]
    unpaid(order_id)


# -- starting: faults and idempotency -----------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "creates"),
    [
        ({"status": 500, "applied": True}, 1),  # made, but the answer was a 5xx: found, not made again
        ({"status": 500, "applied": False}, 2),  # not made: made on the retry
        ({"status": None, "delay": 1.5, "applied": True}, 1),  # made, answered too late
    ],
)
def test_a_create_that_fails_is_retried_once_and_makes_one_invoice(shop: dict[str, int], fake: FakeMoyasar, site: str, fault: dict[str, object], creates: int) -> None:
    # given Moyasar failing the next create
    order_id = place(shop)
    fake.fail_next("POST", "/v1/invoices", **fault)  # type: ignore[arg-type]
    # when checkout starts the payment
    url = start(shop, order_id)
    # then there is one invoice and one payment, and it pays
    assert (len(fake.invoices), fake.count("POST", "/v1/invoices")) == (1, creates)
    assert len(payment_rows(order_id)) == 1
    come_back(back_to_site(pay(url), site, order_id))
    paid_once(order_id)


def test_a_start_that_cannot_reach_moyasar_writes_nothing_and_can_be_retried(shop: dict[str, int], fake: FakeMoyasar, site: str) -> None:
    # given Moyasar failing the create and its retry
    order_id = place(shop)
    fake.fail_next("POST", "/v1/invoices", applied=False)
    fake.fail_next("POST", "/v1/invoices", applied=False)
    # when checkout starts, then the buyer is told to try again and nothing was written
    assert refusal(start, shop, order_id) == "payment.gateway_unavailable"
    assert (payment_rows(order_id), rows(MoyasarInvoice), fake.invoices) == ([], [], {})
    # when it is tried again, then it works
    come_back(back_to_site(pay(start(shop, order_id)), site, order_id))
    paid_once(order_id)


def test_an_invoice_made_in_a_rolled_back_transaction_is_reused(shop: dict[str, int], fake: FakeMoyasar, site: str) -> None:
    # given a start whose transaction failed after Moyasar made the invoice
    order_id = place(shop)
    with pytest.raises(RuntimeError), db.transaction() as session:
        checkout.start_payment(session, order_id=order_id, user_id=shop["buyer"], gateway="moyasar", return_url=f"/checkout/{order_id}/return")
        raise RuntimeError("the page's transaction failed")
    assert (rows(MoyasarInvoice), len(fake.invoices)) == ([], 1)
    # when the buyer clicks again, then that invoice is found by its reference, not made twice
    url = start(shop, order_id)
    assert (len(fake.invoices), fake.count("POST", "/v1/invoices")) == (1, 1)
    come_back(back_to_site(pay(url), site, order_id))
    paid_once(order_id)


def test_a_wrong_secret_key_is_refused_by_moyasar(shop: dict[str, int], fake: FakeMoyasar, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIHAN_MOYASAR_SECRET_KEY", "sk_test_someone_else")
    get_settings.cache_clear()
    order_id = place(shop)
    assert refusal(start, shop, order_id) == "payment.gateway_unavailable"
    assert (fake.invoices, payment_rows(order_id)) == ({}, [])
    unpaid(order_id)


# -- refunds -------------------------------------------------------------------------------------


def test_full_and_partial_refunds_are_made_once_per_key(shop: dict[str, int], fake: FakeMoyasar, site: str) -> None:
    # given a paid order
    order_id, reference = paid_order(shop, site)
    total = order_of(order_id).total_minor
    [payment] = fake.payments.values()
    # when 40.00 SAR is refunded, then Moyasar refunded it and the payment stays paid
    first = refund(reference, 4000, "refund:1")
    assert (first.amount, first.refunded) == (Money(4000), Money(4000))
    assert (payment["refunded"], payment["status"]) == (4000, "paid")
    # when the same refund is asked again (a retry), then nothing more is refunded
    assert refund(reference, 4000, "refund:1") == first
    assert refusal(refund, reference, 5000, "refund:1") == "payment.idempotency_conflict"
    assert fake.count("POST", "/v1/payments/") == 1
    # when the rest is refunded, then the payment is fully refunded
    rest = refund(reference, total - 4000, "refund:2")
    assert rest.refunded == Money(total) and (payment["refunded"], payment["status"]) == (total, "refunded")
    assert [r.amount_minor for r in rows(MoyasarRefund)] == [4000, total - 4000]
    with db.reading() as session:
        assert get_gateway("moyasar").verify(session, reference=reference).refunded == Money(total)
    # and the card refunds moved nothing in our books (the order's refund flows are not wired to them yet)
    paid_once(order_id)


def test_a_refund_above_what_was_paid_is_refused_before_calling_moyasar(shop: dict[str, int], fake: FakeMoyasar, site: str) -> None:
    order_id, reference = paid_order(shop, site)
    total = order_of(order_id).total_minor
    assert refusal(refund, reference, total + 1, "refund:1") == "payment.refund_too_much"
    assert refusal(refund, reference, 100, "refund:1", currency="AED") == "payment.refund_too_much"
    refund(reference, 4000, "refund:2")
    assert refusal(refund, reference, total - 3999, "refund:3") == "payment.refund_too_much"
    assert fake.count("POST", "/v1/payments/") == 1 and rows(MoyasarRefund)[0].amount_minor == 4000
    # an unpaid invoice and an unknown reference cannot be refunded
    other = place(shop)
    start(shop, other)
    [unpaid_row] = [r for r in rows(MoyasarInvoice) if r.reference != reference]
    assert refusal(refund, unpaid_row.reference, 100, "refund:4") == "payment.not_refundable"
    assert refusal(refund, "mys_" + "x" * 24, 100, "refund:5") == "payment.unknown_payment"
    paid_once(order_id)


def test_a_refund_whose_answer_or_record_was_lost_is_not_made_twice(shop: dict[str, int], fake: FakeMoyasar, site: str) -> None:
    order_id, reference = paid_order(shop, site)
    [payment] = fake.payments.values()
    # given a refund Moyasar made but answered with a 5xx: found by re-fetching, not repeated
    fake.fail_next("POST", "/v1/payments/", applied=True)
    assert refund(reference, 4000, "refund:1").refunded == Money(4000)
    assert (payment["refunded"], fake.count("POST", "/v1/payments/")) == (4000, 1)
    # given one Moyasar did not make: made on the retry
    fake.fail_next("POST", "/v1/payments/", applied=False)
    assert refund(reference, 1000, "refund:2").refunded == Money(5000)
    assert (payment["refunded"], fake.count("POST", "/v1/payments/")) == (5000, 3)
    # given one made whose record was rolled back with the caller's transaction
    with pytest.raises(RuntimeError), db.transaction() as session:
        get_gateway("moyasar").refund(session, reference=reference, amount=Money(2000), idempotency_key="refund:3")
        raise RuntimeError("the dispute's transaction failed")
    assert (payment["refunded"], len(rows(MoyasarRefund))) == (7000, 2)
    # when it is asked again, then it is recorded, not repeated
    assert refund(reference, 2000, "refund:3").refunded == Money(7000)
    assert (payment["refunded"], fake.count("POST", "/v1/payments/")) == (7000, 4)
    # given a refund made on Moyasar's dashboard, then further refunds wait for a person
    fake.refund_outside(payment["id"], 100)
    assert refusal(refund, reference, 500, "refund:4") == "payment.refund_out_of_sync"
    assert payment["refunded"] == 7100
    paid_once(order_id)


# -- settings ------------------------------------------------------------------------------------


def test_moyasar_needs_its_secret_key_and_never_shows_it(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    monkeypatch.setenv("MIHAN_PAYMENT_GATEWAYS", "sandbox,moyasar")
    monkeypatch.delenv("MIHAN_MOYASAR_SECRET_KEY", raising=False)
    get_settings.cache_clear()
    try:
        # given moyasar switched on without its key, then the gateways cannot be listed
        with pytest.raises(ValueError, match="MIHAN_MOYASAR_SECRET_KEY"):
            enabled_gateways()
        # and `mihan run` stops before serving, with one line
        assert main(["--lang", "en", "run", "--no-browser"]) == 2
        assert "MIHAN_MOYASAR_SECRET_KEY" in capsys.readouterr().err
        # given the keys, then neither the settings nor the gateway show them
        monkeypatch.setenv("MIHAN_MOYASAR_SECRET_KEY", "sk_live_verysecret")
        monkeypatch.setenv("MIHAN_MOYASAR_WEBHOOK_SECRET", "whsec-verysecret")
        get_settings.cache_clear()
        shown = repr(get_settings()) + repr(get_gateway("moyasar")) + str(enabled_gateways())
        assert "verysecret" not in shown and "secret_key=<set>" in shown
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


@pytest.mark.parametrize(
    ("message", "key"),
    [
        ("INSUFFICIENT FUNDS", "payment.insufficient_funds"),
        ("DECLINED: LOST CARD", "payment.card_lost"),
        ("STOLEN CARD", "payment.card_stolen"),
        ("EXPIRED CARD", "payment.card_expired"),
        ("EXCEEDS WITHDRAWAL LIMIT", "payment.limit_exceeded"),
        ("3DS: attempted but not available", "payment.authentication_failed"),
        ("DECLINED", "payment.declined"),
        ("UNSPECIFIED FAILURE", "payment.declined"),
        (None, "payment.declined"),
        ("Card brand not supported", "Card brand not supported"),
    ],
)
def test_the_banks_messages_become_catalogue_keys(message: str | None, key: str) -> None:
    # a failed attempt's message, as the bank wrote it, becomes what checkout stores and shows
    reason = reason_of({"status": "failed", "source": {"message": message}})
    assert reason == key
    if reason.startswith("payment."):
        assert translate(reason, "ar") != reason and translate(reason, "en") != reason

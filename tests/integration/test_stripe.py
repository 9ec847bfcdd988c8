"""The Stripe gateway against a fake Stripe on loopback, through checkout's real services.

Every test runs on SQLite and Postgres (the ``shop`` fixture's backends). The buyer's side is
played over HTTP: the fake's Checkout page (paying, 3-D Secure, the back link), Stripe's signed
events POSTed to Mihan's real webhook route (served on loopback), and the return to the site,
which the checkout page turns into ``confirm_payment``. After each step the ledger's balances are
read and ``ledger.check`` must find nothing. The shared shapes are ``gatewaykit``'s.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest

from app.core import clock
from app.core.money import Money
from app.core.settings import get_settings
from app.payments import stripe as gateway_module
from app.payments.stripe import StripeGateway, sign
from models.payments import StripeCheckout, StripeRefund, StripeWebhookEvent
from tests.fakes.stripe import ASYNC, DECLINED_CARD, PAID_CARD, SECRET_KEY, WEBHOOK_SECRET, FakeStripe
from app.core import db
from app.payments import PaymentError
from tests.integration import gatewaykit as kit
from tests.integration.gatewaykit import back_to_site, on_page, payment_rows, refusal, site  # noqa: F401 (fixtures)
from tests.integration.orderkit import now, order_of, place, shop  # noqa: F401 (fixtures)
from tests.integration.statekit import rows

NAME = "stripe"
WEBHOOK = "/payments/webhook/stripe"


@pytest.fixture
def fake(shop: dict[str, int], site: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeStripe]:
    """A running fake Stripe (its clock is the test's), switched on beside the sandbox."""
    keys = {"MIHAN_STRIPE_SECRET_KEY": SECRET_KEY, "MIHAN_STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET}
    with kit.fake_switched_on(monkeypatch, gateway_module, FakeStripe(now=lambda: clock.now().timestamp()), site, keys) as running:
        yield running


def start(shop: dict[str, int], order_id: int) -> str:
    return kit.start(shop, order_id, NAME)


def pay(url: str, number: str = PAID_CARD, **form: object) -> httpx.Response:
    """The buyer pays on the fake's Checkout page (``url`` is the session's)."""
    return on_page(url, "", number=number, **form)


def paid_order(shop: dict[str, int], site: str) -> tuple[int, str]:
    order_id = place(shop)
    reference = back_to_site(pay(start(shop, order_id)), site, order_id)
    kit.come_back(NAME, reference)
    kit.paid_once(order_id, NAME)
    return order_id, reference


def status_of(order_id: int) -> tuple[str, str]:
    [payment] = payment_rows(order_id)
    return payment.status, payment.failure


# -- paying ------------------------------------------------------------------------------------


@pytest.mark.parametrize("webhook_first", [True, False])
def test_a_paid_session_moves_the_money_once_by_return_and_webhook(shop: dict[str, int], fake: FakeStripe, site: str, webhook_first: bool) -> None:
    # given the Checkout Session checkout starts for an unpaid order
    order_id = place(shop)
    url = start(shop, order_id)
    created = fake.session_of(url)
    [row] = rows(StripeCheckout)
    total = order_of(order_id).total_minor
    # then it asks for the order's total in halalas, in lowercase SAR, and names our reference
    assert (created["amount_total"], created["currency"], created["mode"]) == (total, "sar", "payment")
    assert created["client_reference_id"] == row.reference == created["metadata"]["mihan_reference"]
    assert created["metadata"]["order"] == str(order_id) and created["success_url"].startswith(site)
    # when the buyer pays, and Stripe's event and the buyer's return arrive in either order
    reference = back_to_site(pay(url), site, order_id)
    if webhook_first:
        assert fake.deliver(site + WEBHOOK) == [200]
    kit.come_back(NAME, reference)
    assert fake.deliver(site + WEBHOOK) == ([] if webhook_first else [200])
    kit.come_back(NAME, reference)
    # then the money moved once
    kit.paid_once(order_id, NAME)


def test_a_declined_card_keeps_the_session_open_for_another(shop: dict[str, int], fake: FakeStripe, site: str) -> None:
    order_id = place(shop)
    url = start(shop, order_id)
    assert pay(url, DECLINED_CARD).status_code == 200  # Stripe's page says so and stays
    [row] = rows(StripeCheckout)
    kit.come_back(NAME, row.reference)
    kit.unpaid(order_id, NAME)
    assert status_of(order_id) == ("initiated", "")
    back_to_site(pay(url), site, order_id)
    kit.come_back(NAME, row.reference)
    kit.paid_once(order_id, NAME)


@pytest.mark.parametrize(("passes", "status"), [(True, "paid"), (False, "initiated")])
def test_a_3ds_challenge_waits_for_the_bank(shop: dict[str, int], fake: FakeStripe, site: str, passes: bool, status: str) -> None:
    order_id = place(shop)
    challenge = pay(start(shop, order_id), challenge=True)
    assert challenge.status_code == 302
    [row] = rows(StripeCheckout)
    kit.come_back(NAME, row.reference)  # the buyer came back before answering the bank
    assert status_of(order_id) == ("initiated", "")
    on_page(challenge.headers["Location"], "", **({"pass": True} if passes else {}))
    kit.come_back(NAME, row.reference)
    assert status_of(order_id)[0] == status


@pytest.mark.parametrize(("succeeded", "status", "failure"), [(True, "paid", ""), (False, "failed", "payment.declined")])
def test_a_delayed_payment_is_settled_by_its_later_event(shop: dict[str, int], fake: FakeStripe, site: str, succeeded: bool, status: str, failure: str) -> None:
    # given a method that completes the session unpaid (a bank debit)
    order_id = place(shop)
    url = start(shop, order_id)
    reference = back_to_site(pay(url, ASYNC), site, order_id)
    assert fake.deliver(site + WEBHOOK) == [200]  # checkout.session.completed, unpaid
    kit.come_back(NAME, reference)
    kit.unpaid(order_id, NAME)
    # when Stripe settles it later, then its event decides
    fake.settle_async(fake.session_of(url)["id"], succeeded=succeeded)
    assert fake.deliver(site + WEBHOOK) == [200]
    assert status_of(order_id)[0] == status and (status == "paid" or status_of(order_id)[1] == failure)
    if succeeded:
        kit.paid_once(order_id, NAME)
    else:
        kit.unpaid(order_id, NAME)


def test_an_abandoned_session_stays_unpaid_until_it_expires(shop: dict[str, int], fake: FakeStripe, site: str) -> None:
    order_id = place(shop)
    url = start(shop, order_id)
    reference = back_to_site(on_page(url.replace("/pay/", "/cancel/"), ""), site, order_id)
    kit.come_back(NAME, reference)
    kit.unpaid(order_id, NAME)
    assert start(shop, order_id) == url  # the same session while it is open
    fake.expire(fake.session_of(url)["id"])
    assert fake.deliver(site + WEBHOOK) == [200]
    assert status_of(order_id) == ("failed", "payment.expired")
    kit.unpaid(order_id, NAME)


# -- webhooks ----------------------------------------------------------------------------------


def test_a_replayed_event_is_answered_without_asking_stripe_again(shop: dict[str, int], fake: FakeStripe, site: str) -> None:
    order_id = place(shop)
    url = start(shop, order_id)
    pay(url)
    [event] = fake.events
    assert fake.deliver(site + WEBHOOK) == [200]
    fetches = fake.count("GET", "/v1/checkout/sessions/")
    assert fake.deliver(site + WEBHOOK, [event, event]) == [200, 200]
    assert fake.count("GET", "/v1/checkout/sessions/") == fetches
    assert [(e.event_id, e.status) for e in rows(StripeWebhookEvent)] == [(event["id"], "paid")]
    kit.paid_once(order_id, NAME)


def test_forged_stale_or_malformed_events_are_refused_and_move_nothing(shop: dict[str, int], fake: FakeStripe, site: str) -> None:
    order_id = place(shop)
    pay(start(shop, order_id))
    [genuine] = fake.events
    t = int(clock.now().timestamp())
    client = httpx.Client(base_url=site)
    refused = [
        (fake.signed(genuine, secret="whsec_guessed"), "payment.bad_signature"),
        (fake.signed(genuine, at=t - 301), "payment.bad_signature"),  # stale: a replay of an old capture
        (fake.signed(genuine, at=t + 301), "payment.bad_signature"),
        (fake.signed(genuine | {"type": "charge.succeeded"}), "payment.bad_webhook"),
        (fake.signed(genuine | {"data": "paid"}), "payment.bad_webhook"),
        (fake.signed(genuine | {"data": {"object": genuine["data"]["object"] | {"id": "cs_test_other"}}}), "payment.unknown_payment"),
    ]
    body, headers = fake.signed(genuine)
    refused += [
        ((body + b" ", headers), "payment.bad_signature"),  # the body changed after signing
        ((body, {"Stripe-Signature": headers["Stripe-Signature"].replace("v1=", "v0=")}), "payment.bad_signature"),
        ((body, {"Stripe-Signature": "t=abc,v1=00"}), "payment.bad_signature"),
        ((body, {}), "payment.bad_signature"),
    ]
    for (content, sent), key in refused:
        response = client.post(WEBHOOK, content=content, headers=sent)
        assert (response.status_code, response.json()) == (400, {"error": key}), key
    kit.unpaid(order_id, NAME)
    assert rows(StripeWebhookEvent) == []
    # a secret being rolled: two v1 signatures, one of them right, is accepted
    assert fake.deliver(site + WEBHOOK, extra=("v1=" + "0" * 64,)) == [200]
    kit.paid_once(order_id, NAME)


def test_the_signature_scheme_matches_the_reference_vector() -> None:
    # payments.md §3.3: secret whsec_test_secret, t=1700000000, body {"id":"evt_1"}
    assert sign(b'{"id":"evt_1"}', "whsec_test_secret", 1700000000) == "248a374f50f943a28b0f6ab50faf9a7e7e29b710fa26df9fb1618b9bf8ea9c9a"


@pytest.mark.parametrize("change", [{"amount": 1}, {"currency": "aed"}])
def test_money_changed_at_stripe_is_refused(
    shop: dict[str, int], fake: FakeStripe, site: str, change: dict[str, object], caplog: pytest.LogCaptureFixture
) -> None:
    order_id = place(shop)
    url = start(shop, order_id)
    reference = back_to_site(pay(url), site, order_id)
    fake.tamper(fake.session_of(url)["id"], **change)  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR, logger="app.payments.stripe"):
        assert refusal(kit.come_back, NAME, reference) == "payment.amount_mismatch"
        assert fake.deliver(site + WEBHOOK) == [400]
    assert "refused, no money moves" in caplog.text
    kit.unpaid(order_id, NAME)


# -- creating: faults and the idempotency key ----------------------------------------------------


@pytest.mark.parametrize(
    "fault", [{"status": 500, "applied": True}, {"status": 500, "applied": False}, {"status": None, "delay": 0.8, "applied": True}]
)
def test_a_create_that_fails_is_retried_under_the_same_key_and_makes_one_session(
    shop: dict[str, int], fake: FakeStripe, site: str, fault: dict[str, object]
) -> None:
    order_id = place(shop)
    fake.fail_next("POST", "/v1/checkout/sessions", **fault)  # type: ignore[arg-type]
    url = start(shop, order_id)
    assert fake.count("POST", "/v1/checkout/sessions") == 2 and len(fake.sessions) == 1
    back_to_site(pay(url), site, order_id)
    [row] = rows(StripeCheckout)
    kit.come_back(NAME, row.reference)
    kit.paid_once(order_id, NAME)


def test_a_start_that_cannot_reach_stripe_writes_nothing_and_the_retry_reuses_the_key(shop: dict[str, int], fake: FakeStripe, site: str) -> None:
    order_id = place(shop)
    fake.fail_next("POST", "/v1/checkout/sessions", status=503, applied=True)
    fake.fail_next("POST", "/v1/checkout/sessions", status=503, applied=False)
    assert refusal(start, shop, order_id) == "payment.gateway_unavailable"
    assert (payment_rows(order_id), rows(StripeCheckout), len(fake.sessions)) == ([], [], 1)
    # the next click repeats the request under the same Idempotency-Key: Stripe's first session
    url = start(shop, order_id)
    assert len(fake.sessions) == 1 and fake.session_of(url)["client_reference_id"] == rows(StripeCheckout)[0].reference


def test_a_reused_key_with_other_money_is_an_idempotency_error(shop: dict[str, int], fake: FakeStripe) -> None:
    with db.transaction() as session:
        started = StripeGateway().start(session, amount=Money(5000), description="x", return_url="/orders", idempotency_key="k1", metadata={})
    with pytest.raises(PaymentError, match="payment.currency_unsupported"), db.transaction() as session:  # not MIHAN_STRIPE_CURRENCY
        StripeGateway().start(session, amount=Money(5000, "AED"), description="x", return_url="/orders", idempotency_key="k2", metadata={})
    with pytest.raises(PaymentError) as caught, db.transaction() as session:
        session.exec(StripeCheckout.__table__.delete())  # type: ignore[attr-defined]  # our record lost: Stripe still knows the key
        StripeGateway().start(session, amount=Money(6000), description="x", return_url="/orders", idempotency_key="k1", metadata={})
    assert caught.value.key == "payment.idempotency_conflict"
    assert started.redirect_url.startswith(fake.url) and len(fake.sessions) == 1


# -- refunds -------------------------------------------------------------------------------------


def test_full_and_partial_refunds_are_made_once_per_key(shop: dict[str, int], fake: FakeStripe, site: str) -> None:
    order_id, reference = paid_order(shop, site)
    total = order_of(order_id).total_minor
    first = kit.refund(NAME, reference, 4000, "refund:1")
    assert (first.amount, first.refunded) == (Money(4000), Money(4000))
    assert kit.refund(NAME, reference, 4000, "refund:1").refund_reference == first.refund_reference
    assert refusal(kit.refund, NAME, reference, 5000, "refund:1") == "payment.idempotency_conflict"
    assert refusal(kit.refund, NAME, reference, total - 3999, "refund:2") == "payment.refund_too_much"  # before any call
    assert refusal(kit.refund, NAME, reference, 100, "refund:3", currency="AED") == "payment.refund_too_much"
    assert fake.count("POST", "/v1/refunds") == 1
    # a 5xx after Stripe refunded: the retry under the same key gets Stripe's first answer
    fake.fail_next("POST", "/v1/refunds", applied=True)
    rest = kit.refund(NAME, reference, total - 4000, "refund:4")
    assert rest.refunded == Money(total) and fake.count("POST", "/v1/refunds") == 3 and len(fake.refunds) == 2
    assert [r.amount_minor for r in rows(StripeRefund)] == [4000, total - 4000]
    with db.reading() as session:
        assert StripeGateway().verify(session, reference=reference).refunded == Money(total)
    kit.paid_once(order_id, NAME)


def test_stripe_needs_its_secret_key_and_a_gulf_currency(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIHAN_STRIPE_SECRET_KEY", "")
    get_settings.cache_clear()
    with pytest.raises(ValueError, match="MIHAN_STRIPE_SECRET_KEY"):
        StripeGateway()
    monkeypatch.setenv("MIHAN_STRIPE_SECRET_KEY", SECRET_KEY)
    monkeypatch.setenv("MIHAN_STRIPE_CURRENCY", "usd")
    get_settings.cache_clear()
    try:
        with pytest.raises(ValueError, match="AED or SAR"):
            StripeGateway()
        assert SECRET_KEY not in repr(get_settings())
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()

"""The PayTabs gateway against a fake PayTabs on loopback, through checkout's real services.

Every test runs on SQLite and Postgres (the ``shop`` fixture's backends). The buyer's side is
played over HTTP: the fake's hosted page (paying, 3-D Secure), PayTabs' signed callbacks POSTed
to Mihan's real webhook route, and the browser's signed return POSTed to Mihan's real return
route, which sends the buyer on to the checkout's return page. After each step the ledger's
balances are read and ``ledger.check`` must find nothing.
"""

from __future__ import annotations

import logging
from functools import partial
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from app.core import db
from app.core.i18n import translate
from app.core.money import Money
from app.core.settings import get_settings
from app.orders import tips
from app.payments import enabled_gateways, get_gateway
from app.payments import paytabs as gateway_module
from app.payments.paytabs import decimal_to_money, sign_return
from models.orders import OrderTip
from models.payments import PaytabsNotification, PaytabsPayment, PaytabsRefund
from state.checkout import CheckoutState
from tests.fakes.paytabs import PAID_CARD, PROFILE_ID, SERVER_KEY, FakePaytabs
from tests.integration import gatewaykit as kit
from tests.integration.gatewaykit import payment_rows, refusal, site, switched_on  # noqa: F401 (fixtures)
from tests.integration.orderkit import completed, ledger_clean, now, order_of, place, shop  # noqa: F401 (fixtures)
from tests.integration.statekit import Browser, add_session, ar, redirects, rows

WEBHOOK = "/payments/webhook/paytabs"
RETURN = "/payments/return/paytabs"
INSUFFICIENT_FUNDS = "4000000000000002"
TIMEOUT = 3.0  # seconds: generous on a loaded machine; the slow-answer fault waits longer


@pytest.fixture
def fake(shop: dict[str, int], site: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakePaytabs]:
    """A running fake PayTabs, switched on beside the sandbox; calls time out after ``TIMEOUT``."""
    with FakePaytabs().running() as running:
        settings = {
            "MIHAN_PAYMENT_GATEWAYS": "sandbox,paytabs",
            "MIHAN_PAYTABS_PROFILE_ID": PROFILE_ID,
            "MIHAN_PAYTABS_SERVER_KEY": SERVER_KEY,
            "MIHAN_PAYTABS_API_URL": running.url,
            "MIHAN_BASE_URL": site,
        }
        with switched_on(monkeypatch, gateway_module, settings, timeout=TIMEOUT):
            yield running


# -- the buyer, the site, the books ----------------------------------------------------------


start = partial(kit.start, gateway="paytabs")


def pay(url: str, number: str = PAID_CARD, **form: object) -> httpx.Response:
    """The buyer pays on PayTabs' hosted page (``url`` is its start address)."""
    return httpx.post(url.replace("/start", "/pay"), json={"number": number, **form})


def returned(page: httpx.Response, site: str, order_id: int) -> str:
    """The browser POSTs PayTabs' signed return form to the site; the reference it is sent on with."""
    answer = page.json()
    assert answer["return"] == site + RETURN, answer
    response = httpx.post(answer["return"], data=answer["form"], follow_redirects=False)
    assert response.status_code == 303, response.text
    target = urlsplit(response.headers["Location"])
    assert f"{target.scheme}://{target.netloc}" == site and target.path == f"/checkout/{order_id}/return"
    [reference] = parse_qs(target.query)["reference"]
    return reference


come_back = partial(kit.come_back, "paytabs")
refund = partial(kit.refund, "paytabs")
unpaid = partial(kit.unpaid, gateway="paytabs")
paid_once = partial(kit.paid_once, gateway="paytabs")


def paid_order(shop: dict[str, int], fake: FakePaytabs, site: str) -> tuple[int, str]:
    """An order paid on PayTabs' page, back through the return route; its id and reference."""
    order_id = place(shop)
    reference = returned(pay(start(shop, order_id)), site, order_id)
    paid_once(order_id)
    fake.notifications.clear()
    return order_id, reference


# -- the checkout page --------------------------------------------------------------------------


def test_the_checkout_offers_each_card_gateway_by_name_and_pays_through_the_one_picked(
    shop: dict[str, int], fake: FakePaytabs, site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given Moyasar and PayTabs both switched on (and the sandbox, which real gateways replace)
    monkeypatch.setenv("MIHAN_PAYMENT_GATEWAYS", "sandbox,moyasar,paytabs")
    monkeypatch.setenv("MIHAN_MOYASAR_SECRET_KEY", "sk_test_unused")
    get_settings.cache_clear()
    order_id = place(shop)
    token = add_session(shop["buyer"])
    page = Browser(token=token, path=f"/checkout/{order_id}")
    page.call(CheckoutState, "open_page")
    # then the buyer sees one card option per real gateway, by its real name, and the total in SAR
    state = page.state(CheckoutState)
    assert [(c["value"], c["title_ar"], c["hint_ar"]) for c in state.card_methods] == [
        ("moyasar", ar("checkout.method_moyasar"), ar("checkout.card_hint_moyasar")),
        ("paytabs", ar("checkout.method_paytabs"), ar("checkout.card_hint_paytabs")),
    ]
    assert "(PayTabs)" in ar("checkout.method_paytabs") and "ر.س" in state.total_ar and state.method == "moyasar"
    # when the buyer picks a method that is not offered, then nothing changes
    page.call(CheckoutState, "choose", "sandbox")
    assert page.state(CheckoutState).method == "moyasar"
    # when the buyer picks PayTabs and pays, then PayTabs' page asks for the order's total
    page.call(CheckoutState, "choose", "paytabs")
    [url] = redirects(page.call(CheckoutState, "pay"))
    assert url.startswith(fake.url) and decimal_to_money(fake.sale_of(url)["cart_amount"], "SAR").minor == order_of(order_id).total_minor
    reference = returned(pay(url), site, order_id)
    # and the return page, asked again, lands the buyer on the paid order
    back = Browser(token=token, path=f"/checkout/{order_id}/return?reference={reference}")
    assert redirects(back.call(CheckoutState, "come_back")) == [f"/orders/{order_id}"]
    paid_once(order_id)


def test_the_return_page_says_why_a_paytabs_payment_failed_in_arabic(shop: dict[str, int], fake: FakePaytabs, site: str) -> None:
    order_id = place(shop)
    token = add_session(shop["buyer"])
    page = Browser(token=token, path=f"/checkout/{order_id}")
    page.call(CheckoutState, "open_page")
    assert page.state(CheckoutState).method == "paytabs"
    [url] = redirects(page.call(CheckoutState, "pay"))
    reference = returned(pay(url, INSUFFICIENT_FUNDS), site, order_id)
    back = Browser(token=token, path=f"/checkout/{order_id}/return?reference={reference}")
    result = back.call(CheckoutState, "come_back")
    assert redirects(result) == [] and back.state(CheckoutState).result == "failed"
    assert ar("payment.insufficient_funds") in back.state(CheckoutState).error
    unpaid(order_id)


# -- paying ------------------------------------------------------------------------------------


def test_a_paid_page_moves_the_money_once_on_return_and_callback(shop: dict[str, int], fake: FakePaytabs, site: str) -> None:
    # given an unpaid order and the PayTabs page checkout starts for it
    order_id = place(shop)
    url = start(shop, order_id)
    [row] = rows(PaytabsPayment)
    [request] = fake.requests
    total = order_of(order_id).total_minor
    # then the request is the documented hosted-page request, in major units as a decimal string
    assert request == {
        "profile_id": int(PROFILE_ID),
        "tran_type": "sale",
        "tran_class": "ecom",
        "cart_id": row.reference,
        "cart_currency": "SAR",
        "cart_amount": f"{total // 100}.{total % 100:02d}",
        "cart_description": order_of(order_id).gig_title,
        "paypage_lang": "ar",
        "callback": site + WEBHOOK,
        "return": site + RETURN,
        "hide_shipping": True,
    }
    assert row.tran_ref == fake.sale_of(url)["tran_ref"] and row.url == url
    unpaid(order_id)
    # when the buyer pays and the browser posts the signed return
    assert returned(pay(url), site, order_id) == row.reference
    # then the order is paid once, and the callback arriving later changes nothing
    paid_once(order_id)
    assert fake.deliver(site + WEBHOOK) == [200]
    paid_once(order_id)
    # and the checkout's return page, asking again, changes nothing either
    come_back(row.reference)
    paid_once(order_id)


def test_a_declined_card_fails_with_its_reason_in_arabic(shop: dict[str, int], fake: FakePaytabs, site: str) -> None:
    # given a buyer whose card has no funds
    order_id = place(shop)
    url = start(shop, order_id)
    page = pay(url, INSUFFICIENT_FUNDS)
    assert page.json()["form"]["respStatus"] == "D"
    # when the browser comes back
    reference = returned(page, site, order_id)
    # then the payment failed with the bank's reason, in Arabic, and nothing moved
    [payment] = payment_rows(order_id)
    assert (payment.status, payment.failure) == ("failed", "payment.insufficient_funds")
    assert translate(payment.failure, "ar") == "رصيد البطاقة غير كافٍ."
    unpaid(order_id)
    assert fake.deliver(site + WEBHOOK) == [200]
    unpaid(order_id)
    # when the buyer tries again, then it is a new page, and the other card pays
    again = start(shop, order_id)
    assert again != url and len(fake.sales()) == 2 and reference != rows(PaytabsPayment)[-1].reference
    returned(pay(again), site, order_id)
    paid_once(order_id)


@pytest.mark.parametrize(("passes", "status", "failure"), [(True, "paid", ""), (False, "failed", "payment.authentication_failed")])
def test_a_3ds_challenge_waits_for_the_bank(shop: dict[str, int], fake: FakePaytabs, site: str, passes: bool, status: str, failure: str) -> None:
    # given a buyer whose bank asks for 3-D Secure
    order_id = place(shop)
    url = start(shop, order_id)
    challenge = pay(url, challenge=True).json()["challenge"]
    [row] = rows(PaytabsPayment)
    # when checkout asks while the challenge is open, then the payment waits and nothing moves
    assert come_back(row.reference) is not None
    with db.reading() as session:
        assert get_gateway("paytabs").verify(session, reference=row.reference).message == "payment.pending"
    assert payment_rows(order_id)[0].status == "initiated"
    unpaid(order_id)
    # when the bank's page is answered and PayTabs calls back
    page = httpx.post(challenge, json={"pass": passes})
    assert fake.deliver(site + WEBHOOK) == [200]
    # then the payment ends as the bank said, and the later return changes nothing
    [payment] = payment_rows(order_id)
    assert (payment.status, payment.failure) == (status, failure)
    returned(page, site, order_id)
    paid_once(order_id) if passes else unpaid(order_id)


def test_an_abandoned_page_stays_unpaid_and_the_same_page_can_be_paid_later(shop: dict[str, int], fake: FakePaytabs, site: str) -> None:
    # given a buyer who opens PayTabs' page and leaves without paying
    order_id = place(shop)
    url = start(shop, order_id)
    assert httpx.post(url, json={}).json()["page"] == "pay"
    [row] = rows(PaytabsPayment)
    come_back(row.reference)
    # then the payment still waits and nothing moved
    assert [p.status for p in payment_rows(order_id)] == ["initiated"]
    unpaid(order_id)
    # when they pay later, then it is the same page, requested once
    assert start(shop, order_id) == url
    assert fake.count("POST", "/payment/request") == 1
    returned(pay(url), site, order_id)
    paid_once(order_id)


@pytest.mark.parametrize("callback_first", [True, False])
def test_callback_and_return_in_either_order_move_the_money_once(shop: dict[str, int], fake: FakePaytabs, site: str, callback_first: bool) -> None:
    order_id = place(shop)
    page = pay(start(shop, order_id))
    steps = [lambda: fake.deliver(site + WEBHOOK) == [200], lambda: bool(returned(page, site, order_id))]
    for step in steps if callback_first else reversed(steps):
        assert step()
        paid_once(order_id)


def test_a_replayed_callback_is_answered_without_asking_paytabs_again(shop: dict[str, int], fake: FakePaytabs, site: str) -> None:
    # given a paid page whose callback was delivered
    order_id = place(shop)
    pay(start(shop, order_id))
    [notice] = list(fake.notifications)
    assert fake.deliver(site + WEBHOOK) == [200]
    paid_once(order_id)
    queries = fake.count("POST", "/payment/query")
    # when PayTabs delivers the same callback again, twice
    assert fake.deliver(site + WEBHOOK, [notice, notice]) == [200, 200]
    # then it was answered from the first delivery: no new query, one row, money once
    assert fake.count("POST", "/payment/query") == queries
    assert [n.status for n in rows(PaytabsNotification)] == ["paid"]
    paid_once(order_id)


def test_a_forged_or_malformed_callback_is_refused_logged_and_moves_nothing(
    shop: dict[str, int], fake: FakePaytabs, site: str, caplog: pytest.LogCaptureFixture
) -> None:
    # given a paid page the buyer has not come back from yet
    order_id = place(shop)
    pay(start(shop, order_id))
    [(body, headers)] = fake.notifications
    client = httpx.Client(base_url=site)
    forged = [
        (body, {"Signature": "0" * 64}, "payment.bad_signature"),
        (body, {}, "payment.bad_signature"),
        (body.replace(b'"A"', b'"A" '), headers, "payment.bad_signature"),  # the body changed after signing
        (*fake.notification(fake.sales()[0], key="someone-elses-key"), "payment.bad_signature"),
        (*fake.notification({"tran_ref": 7}), "payment.bad_webhook"),
        (*fake.notification(fake.sales()[0] | {"cart_id": "pts_" + "x" * 24}), "payment.unknown_payment"),
    ]
    # when forged, foreign or broken bodies arrive, then each is a 400 with its reason
    with caplog.at_level(logging.WARNING, logger="app.payments.paytabs"):
        for raw, sent, key in forged:
            response = client.post(WEBHOOK, content=raw, headers=sent)
            assert (response.status_code, response.json()) == (400, {"error": key})
        raw = b"not json"
        assert client.post(WEBHOOK, content=raw, headers={"Signature": gateway_module.sign_body(SERVER_KEY, raw)}).json() == {"error": "payment.bad_webhook"}
    # and the forgeries were logged, nothing moved and nothing was remembered
    assert "wrong signature refused" in caplog.text
    unpaid(order_id)
    assert rows(PaytabsNotification) == []
    # when the genuine one arrives, then it pays
    assert fake.deliver(site + WEBHOOK) == [200]
    paid_once(order_id)


def test_a_forged_return_is_refused_and_moves_nothing(shop: dict[str, int], fake: FakePaytabs, site: str) -> None:
    order_id = place(shop)
    form = pay(start(shop, order_id)).json()["form"]
    for changed in ({"respStatus": "A", "respMessage": "Authorised "}, {"signature": "0" * 64}, {"signature": ""}):
        response = httpx.post(site + RETURN, data=form | changed, follow_redirects=False)
        assert (response.status_code, response.json()) == (400, {"error": "payment.bad_signature"})
    unpaid(order_id)


def test_a_callback_or_return_pointing_at_another_orders_payment_is_refused(shop: dict[str, int], fake: FakePaytabs, site: str) -> None:
    # given two orders: the first paid on its page, the second waiting on its own
    first, second = place(shop), place(shop)
    page = pay(start(shop, first))
    start(shop, second)
    paid_sale, waiting = (fake.transactions[r.tran_ref] for r in rows(PaytabsPayment))  # type: ignore[index]
    # when the first's paid transaction is sent under the second's cart, signed (a key leak, a bug at PayTabs)
    crossed = fake.notification(paid_sale | {"cart_id": waiting["cart_id"]})
    assert fake.deliver(site + WEBHOOK, [crossed]) == [400]
    form = page.json()["form"] | {"cartId": waiting["cart_id"]}
    response = httpx.post(site + RETURN, data=form | {"signature": sign_return(SERVER_KEY, form)})
    assert (response.status_code, response.json()) == (400, {"error": "payment.unknown_payment"})
    # then the second order is not paid by the first's money
    unpaid(second)
    # and the first's own return still pays the first, once, and only the first
    returned(page, site, first)
    paid_once(first)
    assert order_of(second).status == "placed" and [p.status for p in payment_rows(second)] == ["initiated"]


@pytest.mark.parametrize("change", [{"amount": "1.00"}, {"currency": "AED"}])
def test_money_changed_at_the_gateway_is_refused(
    shop: dict[str, int], fake: FakePaytabs, site: str, change: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    # given a page paid, then changed at PayTabs (1.00 SAR, or another currency)
    order_id = place(shop)
    url = start(shop, order_id)
    page = pay(url)
    fake.tamper(fake.sale_of(url)["tran_ref"], **change)
    [row] = rows(PaytabsPayment)
    # when the buyer comes back or the callback arrives
    with caplog.at_level(logging.ERROR, logger="app.payments.paytabs"):
        returned(page, site, order_id)  # the buyer still goes on; the payment is not applied
        assert refusal(come_back, row.reference) == "payment.amount_mismatch"
        assert fake.deliver(site + WEBHOOK) == [400]
    # then it is refused and logged, the payment still waits, and no money moved
    assert "refused, no money moves" in caplog.text
    assert [p.status for p in payment_rows(order_id)] == ["initiated"]
    unpaid(order_id)


# -- starting: faults and PayTabs' duplicate guard ------------------------------------------------


def test_a_create_that_was_not_made_is_sent_again_with_the_same_cart_id(shop: dict[str, int], fake: FakePaytabs, site: str) -> None:
    order_id = place(shop)
    fake.fail_next("POST", "/payment/request", applied=False)
    url = start(shop, order_id)
    assert fake.count("POST", "/payment/request") == 2 and len(fake.sales()) == 1
    assert [r["cart_id"] for r in fake.requests] == [rows(PaytabsPayment)[0].reference]  # the one that reached PayTabs
    returned(pay(url), site, order_id)
    paid_once(order_id)


@pytest.mark.parametrize("fault", [{"status": 500}, {"status": None, "delay": TIMEOUT + 1}])
def test_a_create_made_but_not_answered_is_not_doubled(shop: dict[str, int], fake: FakePaytabs, site: str, fault: dict[str, object]) -> None:
    # given PayTabs making the page but answering 5xx, or too late
    order_id = place(shop)
    fake.fail_next("POST", "/payment/request", **fault)  # type: ignore[arg-type]
    # when checkout starts: the retry with the same cart_id is refused by PayTabs as a duplicate
    assert refusal(start, shop, order_id) == "payment.gateway_unavailable"
    # then no second page was made, and nothing was written on our side
    assert fake.count("POST", "/payment/request") == 2 and len(fake.sales()) == 1
    assert (payment_rows(order_id), rows(PaytabsPayment)) == ([], [])
    unpaid(order_id)
    # when the buyer tries again after PayTabs' duplicate window, then one new page pays, once
    fake.forget_duplicates()
    url = start(shop, order_id)
    returned(pay(url), site, order_id)
    assert len(fake.sales()) == 2 and [s["payment_result"]["response_status"] for s in fake.sales()] == ["P", "A"]
    paid_once(order_id)


def test_a_wrong_server_key_is_refused_by_paytabs(shop: dict[str, int], fake: FakePaytabs, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIHAN_PAYTABS_SERVER_KEY", "SOMEONE-ELSES-KEY")
    get_settings.cache_clear()
    order_id = place(shop)
    assert refusal(start, shop, order_id) == "payment.gateway_unavailable"
    assert (fake.transactions, payment_rows(order_id)) == ({}, [])
    unpaid(order_id)


# -- refunds -------------------------------------------------------------------------------------


def test_full_and_partial_refunds_are_made_once_per_key(shop: dict[str, int], fake: FakePaytabs, site: str) -> None:
    # given a paid order
    order_id, reference = paid_order(shop, fake, site)
    total = order_of(order_id).total_minor
    [row] = rows(PaytabsPayment)
    # when 40.00 SAR is refunded, then PayTabs was asked for a refund of that sale, in major units
    first = refund(reference, 4000, "refund:1")
    assert (first.amount, first.refunded) == (Money(4000), Money(4000))
    asked = fake.requests[-1]
    assert (asked["tran_type"], asked["tran_class"], asked["tran_ref"], asked["cart_amount"], asked["cart_currency"]) == (
        "refund", "ecom", row.tran_ref, "40.00", "SAR"
    )
    # when the same refund is asked again (a retry), then nothing more is refunded
    assert refund(reference, 4000, "refund:1") == first
    assert refusal(refund, reference, 5000, "refund:1") == "payment.idempotency_conflict"
    assert fake.count("POST", "/payment/request") == 2
    # when the rest is refunded, then all of it is refunded
    rest = refund(reference, total - 4000, "refund:2")
    assert rest.refunded == Money(total) and fake.refunded[row.tran_ref] * 100 == total
    assert [r.amount_minor for r in rows(PaytabsRefund)] == [4000, total - 4000]
    with db.reading() as session:
        assert get_gateway("paytabs").verify(session, reference=reference).refunded == Money(total)
    # and PayTabs' refund callbacks are checked against the sale, and move nothing
    assert fake.deliver(site + WEBHOOK) == [200, 200]
    paid_once(order_id)


def test_a_refund_above_what_was_paid_is_refused_before_calling_paytabs(shop: dict[str, int], fake: FakePaytabs, site: str) -> None:
    order_id, reference = paid_order(shop, fake, site)
    total = order_of(order_id).total_minor
    calls = fake.count("POST", "/payment/")
    assert refusal(refund, reference, total + 1, "refund:1") == "payment.refund_too_much"
    assert refusal(refund, reference, 100, "refund:1", currency="AED") == "payment.refund_too_much"
    assert fake.count("POST", "/payment/") == calls
    refund(reference, 4000, "refund:2")
    calls = fake.count("POST", "/payment/")
    assert refusal(refund, reference, total - 3999, "refund:3") == "payment.refund_too_much"
    assert fake.count("POST", "/payment/") == calls and [r.amount_minor for r in rows(PaytabsRefund)] == [4000]
    # an unpaid page and an unknown reference cannot be refunded
    other = place(shop)
    start(shop, other)
    [unpaid_row] = [r for r in rows(PaytabsPayment) if r.reference != reference]
    assert refusal(refund, unpaid_row.reference, 100, "refund:4") == "payment.not_refundable"
    assert refusal(refund, "pts_" + "x" * 24, 100, "refund:5") == "payment.unknown_payment"
    paid_once(order_id)


def test_a_refund_whose_answer_or_record_was_lost_is_not_made_twice(shop: dict[str, int], fake: FakePaytabs, site: str) -> None:
    order_id, reference = paid_order(shop, fake, site)
    [row] = rows(PaytabsPayment)
    assert row.tran_ref is not None
    # given a refund PayTabs made but answered with a 5xx: found by its cart_id, not repeated
    fake.fail_next("POST", "/payment/request")
    assert refund(reference, 4000, "refund:1").refunded == Money(4000)
    assert (fake.refunded[row.tran_ref], fake.count("POST", "/payment/request")) == (40, 2)
    # given one PayTabs did not make: made on the retry
    fake.fail_next("POST", "/payment/request", applied=False)
    assert refund(reference, 1000, "refund:2").refunded == Money(5000)
    assert (fake.refunded[row.tran_ref], fake.count("POST", "/payment/request")) == (50, 4)
    # given one made whose record was rolled back with the caller's transaction
    with pytest.raises(RuntimeError), db.transaction() as session:
        get_gateway("paytabs").refund(session, reference=reference, amount=Money(2000), idempotency_key="refund:3")
        raise RuntimeError("the dispute's transaction failed")
    assert (fake.refunded[row.tran_ref], len(rows(PaytabsRefund))) == (70, 2)
    # when it is asked again, then it is found at PayTabs and recorded, not repeated
    assert refund(reference, 2000, "refund:3").refunded == Money(7000)
    assert (fake.refunded[row.tran_ref], fake.count("POST", "/payment/request")) == (70, 5)
    paid_once(order_id)


# -- a tip by card -------------------------------------------------------------------------------


def test_a_tip_is_paid_by_card_through_paytabs(shop: dict[str, int], fake: FakePaytabs, site: str) -> None:
    # given a completed order and a buyer who tips 25.00 SAR by card
    order_id = completed(shop)
    with db.transaction() as session:
        given = tips.give_tip(session, order_id=order_id, user_id=shop["buyer"], amount=Money(2500), method="paytabs", return_url=f"/orders/{order_id}/tip")
    assert given.redirect_url.startswith(fake.url)
    # when the buyer pays on PayTabs' page and PayTabs calls back (twice)
    page = pay(given.redirect_url).json()
    assert page["form"]["respStatus"] == "A" and fake.requests[-1]["cart_amount"] == "25.00"
    assert fake.deliver(site + WEBHOOK, fake.notifications * 2) == [200, 200]
    # then the tip is paid once and the books are clean
    [tip] = rows(OrderTip)
    assert tip.status == "paid"
    [payment] = [p for p in payment_rows(order_id) if p.tip_id is not None]
    assert (payment.gateway, payment.status, payment.amount_minor) == ("paytabs", "paid", 2500)
    ledger_clean()


# -- settings ------------------------------------------------------------------------------------


def test_paytabs_needs_its_keys_and_never_shows_them(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    monkeypatch.setenv("MIHAN_PAYMENT_GATEWAYS", "sandbox,paytabs")
    monkeypatch.delenv("MIHAN_PAYTABS_SERVER_KEY", raising=False)
    monkeypatch.setenv("MIHAN_PAYTABS_PROFILE_ID", PROFILE_ID)
    get_settings.cache_clear()
    try:
        # given paytabs switched on without its server key, then the gateways cannot be listed
        with pytest.raises(ValueError, match="MIHAN_PAYTABS_SERVER_KEY"):
            enabled_gateways()
        # and `mihan run` stops before serving, with one line
        assert main(["--lang", "en", "run", "--no-browser"]) == 2
        assert "MIHAN_PAYTABS_SERVER_KEY" in capsys.readouterr().err
        # given a region PayTabs does not have, then it is refused too
        monkeypatch.setenv("MIHAN_PAYTABS_SERVER_KEY", "SVERYSECRET-KEY")
        monkeypatch.setenv("MIHAN_PAYTABS_REGION", "Mars")
        get_settings.cache_clear()
        with pytest.raises(ValueError, match="MIHAN_PAYTABS_REGION"):
            enabled_gateways()
        # given the keys and a region, then the region's host is used and no key is shown
        monkeypatch.setenv("MIHAN_PAYTABS_REGION", "are")
        monkeypatch.setenv("MIHAN_PAYTABS_CLIENT_KEY", "CVERYSECRET-CLIENT")
        get_settings.cache_clear()
        assert get_settings().paytabs.api_url == "https://secure.paytabs.com"
        shown = repr(get_settings()) + repr(get_gateway("paytabs")) + str(enabled_gateways())
        assert "VERYSECRET" not in shown and "server_key=<set>" in shown
        monkeypatch.delenv("MIHAN_PAYTABS_REGION")
        get_settings.cache_clear()
        assert get_settings().paytabs.api_url == "https://secure.paytabs.sa"
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()

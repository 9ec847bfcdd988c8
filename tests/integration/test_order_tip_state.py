"""The tip card of the order page through its real Reflex handler: who is offered it, tipping
from the wallet and by the sandbox card (paid, declined, replayed returns), and every call with
bad arguments or by the wrong person, each of which must leave the database as it was."""

from __future__ import annotations

from typing import Any

import pytest

from app.ledger import chart
from app.payments import sandbox
from models.orders import OrderTip
from state.orders import OrderState
from tests.integration.orderkit import act, completed, money, now, order_of, pay_by_card, place, shop, top_up  # noqa: F401 (fixtures)
from tests.integration.statekit import Browser, add_session, ar, redirects, rows, snapshot_database
from tests.integration.test_order_state import open_order, toasts
from tests.passwords import use_fast_password_hashing


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_password_hashing(monkeypatch)


def test_only_the_buyer_of_a_completed_order_is_offered_a_tip(shop: dict[str, int]) -> None:
    # an order still being worked on offers no tip
    working = place(shop)
    pay_by_card(shop, working)
    assert not open_order(shop, "buyer", working).state(OrderState).tip_open
    # a completed one does, to its buyer only, with the wallet's balance and the card
    order_id = completed(shop)
    buyer = open_order(shop, "buyer", order_id).state(OrderState)
    assert (buyer.tip_open, buyer.card_enabled, buyer.tip_method, buyer.tip_note_ar) == (True, True, "card", "")
    assert "0.00" in buyer.tip_wallet_en
    for who in ("seller", "admin"):
        assert not open_order(shop, who, order_id).state(OrderState).tip_open
    # a funded wallet is offered first
    top_up(shop["buyer"], 5000)
    assert open_order(shop, "buyer", order_id).state(OrderState).tip_method == "wallet"


def test_a_wallet_tip_from_the_page(shop: dict[str, int]) -> None:
    order_id = completed(shop)
    top_up(shop["buyer"], 5000)
    page = open_order(shop, "buyer", order_id)
    # a typed amount wins over the picked one, in Arabic-Indic digits too
    result = page.call(OrderState, "give_tip", {"amount": "10.00", "custom": "١٥", "method": "wallet"})
    state = page.state(OrderState)
    assert ar("orders.done_tip") in toasts(result) and state.error == ""
    assert not state.tip_open and state.tip_note_ar.startswith("شكرًا! أرسلت إكرامية بقيمة") and "15.00" in state.tip_note_en
    assert state.timeline[0]["what_ar"] == ar("timeline.tipped") and ar("checkout.method_wallet") in state.timeline[0]["who_ar"]
    assert money(chart.buyer_wallet(shop["buyer"])) == 3500
    # the seller sees it with what they keep
    seller = open_order(shop, "seller", order_id).state(OrderState)
    assert "15.00" in seller.tip_note_en and "11.55" in seller.tip_note_en and seller.tip_note_ar.startswith("أرسل لك المشتري إكرامية")
    # a second tip (a stale tab) is refused with its sentence
    page.call(OrderState, "give_tip", {"amount": "25.00", "method": "wallet"})
    assert state.error == ar("order.tip_already_given")
    assert len(rows(OrderTip)) == 1


BAD_FORMS: list[Any] = [
    None,
    [],
    "25",
    {},
    {"amount": "25.00"},  # no way to pay
    {"amount": "25.00", "method": "bitcoin"},
    {"amount": "25.00", "method": ["wallet"]},
    {"amount": "25.00", "method": "sandbox"},  # the gateway's own name is not a form value
    {"amount": {"$gt": 0}, "method": "wallet"},
    {"amount": "10.005", "method": "wallet"},
    {"amount": "4.99", "method": "wallet"},
    {"amount": "1000.01", "method": "wallet"},
    {"amount": "-25", "method": "wallet"},
    {"amount": 25.5, "method": "wallet"},
    {"amount": True, "method": "wallet"},
    {"custom": "9" * 30, "method": "wallet"},
    {"custom": "<script>", "amount": "25.00", "method": "wallet"},
    {"amount": "60.00", "method": "wallet"},  # more than the wallet holds
]


@pytest.mark.parametrize("form", BAD_FORMS)
def test_bad_arguments_get_an_arabic_message_and_change_nothing(shop: dict[str, int], form: Any) -> None:
    order_id = completed(shop)
    top_up(shop["buyer"], 5000)
    page = open_order(shop, "buyer", order_id)
    before = snapshot_database()
    result = page.call(OrderState, "give_tip", form)
    error = page.state(OrderState).error
    assert error and error in toasts(result) and redirects(result) == []
    assert error in {ar(key) for key in ("payment.unknown_gateway", "order.tip_wallet_short")} | {ar("order.tip_invalid_amount", min=5, max=1000)}
    assert snapshot_database() == before and page.state(OrderState).tip_open


@pytest.mark.parametrize(("who", "key"), [("seller", "order.tip_buyer_only"), ("other", "order.not_found"), ("admin", "order.not_found")])
def test_the_wrong_person_is_refused_and_changes_nothing(shop: dict[str, int], who: str, key: str) -> None:
    order_id = completed(shop)
    top_up(shop[who], 5000)
    page = Browser(token=add_session(shop[who]), path=f"/orders/{order_id}")
    before = snapshot_database()
    page.call(OrderState, "give_tip", {"amount": "25.00", "method": "wallet"})
    assert page.state(OrderState).error == ar(key)
    assert snapshot_database() == before


def test_signed_out_and_off_the_order_page_nothing_happens(shop: dict[str, int]) -> None:
    order_id = completed(shop)
    top_up(shop["buyer"], 5000)
    elsewhere = Browser(token=add_session(shop["buyer"]), path="/wallet")
    before = snapshot_database()
    Browser(path=f"/orders/{order_id}").call(OrderState, "give_tip", {"amount": "25.00", "method": "wallet"})
    elsewhere.call(OrderState, "give_tip", {"amount": "25.00", "method": "wallet"})
    assert elsewhere.state(OrderState).error == ar("order.not_found")
    assert snapshot_database() == before


def test_a_card_tip_goes_to_the_sandbox_and_back_to_the_order(shop: dict[str, int]) -> None:
    order_id = completed(shop)
    page = open_order(shop, "buyer", order_id)
    # a declined card comes back to the order with the reason; the card is offered again
    [url] = redirects(page.call(OrderState, "give_tip", {"amount": "25.00", "method": "card"}))
    assert url.startswith(sandbox.PAY_PATH)
    reference = url.rsplit("/", 1)[-1]
    act(sandbox.submit_card, reference=reference, number="4000000000000002", expiry="12/30", cvc="123", holder="Abdullah")
    back = Browser(token=page.token, path=f"/orders/{order_id}?reference={reference}")
    result = back.call(OrderState, "open_page")
    assert redirects(result) == [f"/orders/{order_id}"] and ar("payment.declined") in toasts(result)
    assert open_order(shop, "buyer", order_id).state(OrderState).tip_open
    # a good card pays; coming back (twice, as a reload would) tips once
    [again] = redirects(page.call(OrderState, "give_tip", {"amount": "25.00", "method": "card"}))
    assert again != url
    reference = again.rsplit("/", 1)[-1]
    act(sandbox.submit_card, reference=reference, number="4111111111111111", expiry="12/30", cvc="123", holder="Abdullah")
    for _ in range(2):
        result = Browser(token=page.token, path=f"/orders/{order_id}?reference={reference}").call(OrderState, "open_page")
        assert redirects(result) == [f"/orders/{order_id}"] and ar("orders.done_tip") in toasts(result)
    shown = open_order(shop, "buyer", order_id).state(OrderState)
    assert not shown.tip_open and "25.00" in shown.tip_note_en
    assert money(chart.seller_pending(shop["seller"])) == 7700 + 1925 and money(chart.psp_clearing("sandbox")) == 12500


def test_a_junk_or_foreign_return_changes_nothing(shop: dict[str, int]) -> None:
    order_id = completed(shop)
    other = place(shop)
    reference = pay_by_card(shop, other)  # an order's payment, not a tip's
    token = add_session(shop["buyer"])
    before = snapshot_database()
    for query in ("sbx_" + "a" * 24, "%00", "x" * 300, reference):
        result = Browser(token=token, path=f"/orders/{order_id}?reference={query}").call(OrderState, "open_page")
        assert redirects(result) == [f"/orders/{order_id}"] and ar("orders.done_tip") not in toasts(result)
    blank = Browser(token=token, path=f"/orders/{order_id}?reference=")  # no reference: just the order
    assert redirects(blank.call(OrderState, "open_page")) == [] and blank.state(OrderState).tip_open
    assert snapshot_database() == before
    assert order_of(order_id).status == "completed" and not rows(OrderTip)

"""The order pages through their real Reflex handlers: ordering from the gig page, checkout with
the wallet and the sandbox card (paid and declined), the order page for each party and for a
stranger, and the lists. Each page is opened as the browser would (a ``Browser`` tab on the URL,
then the page's on_load handler); every refusal is checked to leave the database as it was."""

from __future__ import annotations

import re

import pytest

from app.core import clock, db
from app.core.clock import as_utc
from app.orders import lifecycle
from app.orders.policy import POLICY
from app.payments import sandbox
from models.catalog import GigRequirement, GigStatus
from models.orders import CardRefund, Order, OrderFile, OrderStatus, Payment
from state.checkout import CheckoutState, OrderChoiceState
from state.orders import OrderListState, OrderState, card_texts, method_key, order_id_of, span_text, when_text
from tests.integration.statekit import Browser, add_session, ar, events_of, redirects, rows, snapshot_database, spec_args, upload
from tests.integration.test_catalog_state import make_gig
from tests.integration.test_orders import act, now, order_of, pay_by_card, place, shop  # noqa: F401 (fixtures)
from tests.samples import wav_bytes

WAV = wav_bytes(0.2)


def tab(shop: dict[str, int], who: str | None, path: str) -> Browser:
    return Browser(token=add_session(shop[who]) if who else "", path=path)


def toasts(result: object) -> str:
    return " ".join(str(spec_args(event)) for event in events_of(result))


def open_order(shop: dict[str, int], who: str | None, order_id: int) -> Browser:
    page = tab(shop, who, f"/orders/{order_id}")
    page.call(OrderState, "open_page")
    return page


def gig_page(shop: dict[str, int], who: str | None) -> Browser:
    page = tab(shop, who, f"/gig/{shop['gig']}")
    page.call(OrderChoiceState, "open_page")
    return page


# -- ordering from the gig page ----------------------------------------------------------------


def test_order_id_comes_only_from_the_path() -> None:
    assert order_id_of("/orders/12") == 12 and order_id_of("/orders/12/") == 12
    assert order_id_of("/checkout/7/return", "/checkout/", "/return") == 7
    for path in ("/orders/0", "/orders/-1", "/orders/١٢", "/orders/12x", "/orders/" + "9" * 20, None, 12, "/account"):
        assert order_id_of(path) is None


def test_order_now_sends_visitors_to_log_in_and_back_to_the_gig(shop: dict[str, int]) -> None:
    page = gig_page(shop, None)
    assert redirects(page.call(OrderChoiceState, "order_now", "basic")) == [f"/login?next=/gig/{shop['gig']}"]
    assert rows(Order) == []


def test_the_seller_cannot_order_their_own_gig(shop: dict[str, int]) -> None:
    page = gig_page(shop, "seller")
    result = page.call(OrderChoiceState, "order_now", "basic")
    assert ar("order.own_gig") in toasts(result) and redirects(result) == []
    assert rows(Order) == []


def test_a_buyer_orders_a_package_with_extras_and_a_quantity(shop: dict[str, int]) -> None:
    # given the buyer's picks on the gig page (an extra ticked, unticked, ticked again; junk ignored)
    page = gig_page(shop, "buyer")
    for place_, checked in ((1, True), (0, True), (0, False), ("junk", True), (-1, True), (1, "on")):
        page.call(OrderChoiceState, "toggle_extra", place_, checked)
    for value in ("٣", "11", "x", 0, "2"):
        page.call(OrderChoiceState, "set_quantity", value)
    choice = page.state(OrderChoiceState)
    assert (choice.picked_extras, choice.quantity) == ([1], "2")
    # when «اطلب الآن» under the basic package
    result = page.call(OrderChoiceState, "order_now", "basic")
    # then the order is placed with those picks and the buyer goes to pay
    [order] = rows(Order)
    assert redirects(result) == [f"/checkout/{order.id}"]
    assert (order.buyer_id, order.quantity, order.subtotal_minor, order.delivery_days) == (shop["buyer"], 2, 2 * 10000 + 15000, 3)
    # and a junk package places nothing
    assert ar("order.invalid_choice") in toasts(page.call(OrderChoiceState, "order_now", {"$ne": 1}))
    assert len(rows(Order)) == 1


# -- checkout ----------------------------------------------------------------------------------


def checkout(shop: dict[str, int], who: str | None, order_id: int, suffix: str = "") -> tuple[Browser, object]:
    page = tab(shop, who, f"/checkout/{order_id}{suffix}")
    return page, page.call(CheckoutState, "come_back" if suffix.startswith("/return") else "open_page")


def test_checkout_shows_the_buyer_the_breakdown_and_nobody_else_the_order(shop: dict[str, int]) -> None:
    order_id = place(shop, quantity=2, extras=[0])
    page, _ = checkout(shop, "buyer", order_id)
    state = page.state(CheckoutState)
    assert not state.not_found and state.gig_title == "تعليق صوتي احترافي لإعلانك باللهجة النجدية"
    assert [line["label_ar"] for line in state.lines] == [
        ar("checkout.package_line", n=2), ar("checkout.extra_line", title="تسليم سريع"), ar("checkout.subtotal"), ar("checkout.total"),
    ]
    assert "250.00" in state.total_ar and "250.00" in state.lines[-1]["amount_en"]
    assert (state.wallet_enough, state.card_enabled, state.method) == (False, True, "sandbox")
    for who in ("seller", "other"):
        page, _ = checkout(shop, who, order_id)
        assert page.state(CheckoutState).not_found and page.state(CheckoutState).lines == []
        assert "250.00" not in page.client_json()
    _, result = checkout(shop, None, order_id)
    assert redirects(result) == [f"/login?next=/checkout/{order_id}"]


def test_paying_from_a_short_wallet_is_refused_and_writes_nothing(shop: dict[str, int]) -> None:
    order_id = place(shop)
    page, _ = checkout(shop, "buyer", order_id)
    page.call(CheckoutState, "choose", "wallet")
    before = snapshot_database()
    result = page.call(CheckoutState, "pay")
    assert page.state(CheckoutState).error == ar("ledger.insufficient_funds") and redirects(result) == []
    assert snapshot_database() == before


def test_a_declined_card_comes_back_to_try_again_then_a_good_card_pays(shop: dict[str, int]) -> None:
    order_id = place(shop)
    page, _ = checkout(shop, "buyer", order_id)
    page.call(CheckoutState, "choose", "bitcoin")  # not a method: ignored
    assert page.state(CheckoutState).method == "sandbox"
    [url] = redirects(page.call(CheckoutState, "pay"))
    assert re.fullmatch(r"/sandbox/pay/sbx_[\w-]{24}", url)
    reference = url.rsplit("/", 1)[-1]
    act(sandbox.submit_card, reference=reference, number="4000000000000002", expiry="12/30", cvc="123", holder="Abdullah")
    # the buyer comes back: declined, so the result page gives the reason and the way back to pay
    back, result = checkout(shop, "buyer", order_id, f"/return?reference={reference}")
    shown = back.state(CheckoutState)
    assert redirects(result) == [] and (shown.result, shown.checkout_href) == ("failed", f"/checkout/{order_id}")
    assert ar("payment.declined") in shown.error and order_of(order_id).status == OrderStatus.PLACED
    # a second attempt is a new payment; this card pays
    [again] = redirects(page.call(CheckoutState, "pay"))
    assert again != url
    act(sandbox.submit_card, reference=again.rsplit("/", 1)[-1], number="4111111111111111", expiry="12/30", cvc="123", holder="Abdullah")
    # a stranger opening the return link learns nothing (the result is still applied: it is the gateway's)
    _, stranger = checkout(shop, "other", order_id, f"/return?reference={again.rsplit('/', 1)[-1]}")
    assert redirects(stranger) == [f"/checkout/{order_id}"] and "checkout.paid" not in toasts(stranger)
    _, result = checkout(shop, "buyer", order_id, f"/return?reference={again.rsplit('/', 1)[-1]}")
    assert redirects(result) == [f"/orders/{order_id}"] and ar("checkout.paid") in toasts(result)
    assert order_of(order_id).status == OrderStatus.IN_PROGRESS
    assert [p.status for p in rows(Payment)] == ["failed", "paid"]
    # and the checkout of a paid order sends the buyer to the order
    _, result = checkout(shop, "buyer", order_id)
    assert redirects(result) == [f"/orders/{order_id}"]


def test_a_junk_return_changes_nothing(shop: dict[str, int]) -> None:
    order_id = place(shop)
    token = add_session(shop["buyer"])
    before = snapshot_database()
    for query in ("", "?reference=", "?reference=sbx_" + "a" * 24, "?reference=%00"):
        result = Browser(token=token, path=f"/checkout/{order_id}/return{query}").call(CheckoutState, "come_back")
        assert redirects(result) == [f"/checkout/{order_id}"]
    assert snapshot_database() == before


def test_the_buyer_can_drop_an_unpaid_order(shop: dict[str, int]) -> None:
    order_id = place(shop)
    page, _ = checkout(shop, "buyer", order_id)
    assert redirects(page.call(CheckoutState, "abandon")) == [f"/orders/{order_id}"]
    assert order_of(order_id).status == OrderStatus.CANCELLED


# -- the order page ----------------------------------------------------------------------------


def test_a_stranger_sees_not_found_and_can_change_nothing(shop: dict[str, int]) -> None:
    order_id = place(shop)
    pay_by_card(shop, order_id)
    page = open_order(shop, "other", order_id)
    state = page.state(OrderState)
    assert state.not_found and state.gig_title == "" and state.timeline == []
    assert "عبدالله" not in page.client_json()
    before = snapshot_database()
    for action in ("accept", "dispute", "request_cancellation", "cancel_late"):
        page.call(OrderState, "act", {"action": action, "note": "سبب"})
        assert page.state(OrderState).error == ar("order.not_found")
    page.call(OrderState, "deliver", {"message": "تسليم"})
    page.call(OrderState, "submit_requirements", {"answer_0": "x"})
    page.call(OrderState, "upload", [upload(WAV, "x.wav")])
    assert snapshot_database() == before
    # signed out: to log in, and back here after
    assert redirects(tab(shop, None, f"/orders/{order_id}").call(OrderState, "open_page")) == [f"/login?next=/orders/{order_id}"]


def test_the_wrong_party_is_refused_by_the_services(shop: dict[str, int]) -> None:
    order_id = place(shop)
    pay_by_card(shop, order_id)
    seller, buyer = open_order(shop, "seller", order_id), open_order(shop, "buyer", order_id)
    before = snapshot_database()
    seller.call(OrderState, "act", {"action": "accept"})
    assert seller.state(OrderState).error == ar("order.not_allowed")
    buyer.call(OrderState, "deliver", {"message": "سلّمت نفسي"})
    assert buyer.state(OrderState).error == ar("order.not_allowed")
    buyer.call(OrderState, "act", {"action": "resolve_release"})  # not a page action at all
    assert buyer.state(OrderState).error == ar("order.not_allowed")
    assert snapshot_database() == before


def test_the_whole_order_through_the_page(shop: dict[str, int]) -> None:
    # given a gig that asks for a script (text), a tone (choice) and a reference file
    with db.transaction() as session:
        session.add(GigRequirement(gig_id=shop["gig"], position=0, question="أرسل النص المطلوب تسجيله", kind="text"))
        session.add(GigRequirement(gig_id=shop["gig"], position=1, question="نبرة الصوت", kind="choice", choices="رسمية\nحماسية"))
        session.add(GigRequirement(gig_id=shop["gig"], position=2, question="ملف مرجعي", kind="file", required=False))
    order_id = place(shop)
    pay_by_card(shop, order_id)

    # the buyer answers: uploads a file, then sends the form
    buyer = open_order(shop, "buyer", order_id)
    state = buyer.state(OrderState)
    assert (state.role, state.status, state.status_ar) == ("buyer", "awaiting_requirements", ar("orders.status_awaiting_requirements"))
    assert state.actions == ["submit_requirements", "request_cancellation", "dispute"]
    assert state.choices[1] == ["رسمية", "حماسية"] and state.has_file_question
    buyer.call(OrderState, "upload", [upload(b"script text", "script.txt")])
    assert [f["name"] for f in state.my_files] == ["script.txt"]
    [stored] = rows(OrderFile)
    assert stored.token not in buyer.client_json()  # the browser names it by place only
    buyer.call(OrderState, "submit_requirements", {"answer_0": "نص الإعلان", "answer_1": "حماسية", "answer_2": "0"})
    assert state.error == "" and state.status == "in_progress"
    assert state.left_ar.startswith(ar("orders.time_left", span="")[:4]) and not state.late

    # the seller sees the answers, uploads the recording and delivers
    seller = open_order(shop, "seller", order_id)
    sstate = seller.state(OrderState)
    assert [q["answer"] for q in sstate.questions[:2]] == ["نص الإعلان", "حماسية"]
    assert sstate.questions[2]["file_name"] == "script.txt" and sstate.questions[2]["file_href"] == f"/files/{stored.token}"
    assert "deliver" in sstate.actions and sstate.lines[-1]["label_ar"] == ar("orders.seller_net")
    seller.call(OrderState, "upload", [upload(WAV, "take-1.wav"), upload(b"", "empty.wav")])
    assert [f["name"] for f in sstate.my_files] == ["take-1.wav"] and sstate.error == ar("order.invalid_file")
    seller.call(OrderState, "deliver", {"message": "النسخة الأولى", "file_0": "on"})
    assert sstate.status == "delivered" and sstate.my_files == []
    # the clock now counts down to the automatic completion, three days after the delivery
    completes = as_utc(order_of(order_id).delivered_at) + POLICY.auto_complete_after  # type: ignore[arg-type]
    assert (sstate.due_ar, sstate.late) == (when_text(completes)["ar"], False)
    assert sstate.left_ar == ar("orders.time_left", span=span_text((completes - clock.now()).total_seconds(), "ar"))
    assert [len(files) for files in sstate.delivery_files] == [1]

    # the buyer asks a revision (revisions left shown), the seller delivers again, the buyer accepts
    buyer.call(OrderState, "open_page")
    assert state.revisions_left == 1 and state.revisions_ar == ar("orders.revisions_left", left=1, allowed=1)
    assert state.delivery_files[0][0]["name"] == "take-1.wav"
    buyer.call(OrderState, "act", {"action": "request_revision", "note": "أبطئ قليلًا في المقطع الثاني"})
    assert state.status == "in_progress" and state.revisions_left == 0
    seller.call(OrderState, "open_page")
    seller.call(OrderState, "upload", [upload(WAV, "take-2.wav")])
    seller.call(OrderState, "deliver", {"message": "النسخة المعدلة", "file_0": "on"})
    buyer.call(OrderState, "open_page")
    assert "request_revision" not in state.actions and "accept" in state.actions
    result = buyer.call(OrderState, "act", {"action": "accept"})
    assert ar("orders.done_accept") in toasts(result)
    assert (state.status, state.actions) == ("completed", [])
    # the timeline, newest first, in words, notes as written
    assert [line["what_ar"] for line in state.timeline] == [
        ar(f"timeline.{kind}")
        for kind in ("accepted", "delivered", "revision_requested", "delivered", "requirements_submitted", "paid", "placed")
    ]
    assert state.timeline[2]["note"] == "أبطئ قليلًا في المقطع الثاني"
    assert ar("checkout.method_sandbox") in state.timeline[-2]["who_ar"]
    assert order_of(order_id).seller_net_minor == 7700


def test_a_cancellation_request_is_answered_from_the_page(shop: dict[str, int]) -> None:
    order_id = place(shop)
    pay_by_card(shop, order_id)
    seller = open_order(shop, "seller", order_id)
    seller.call(OrderState, "act", {"action": "request_cancellation", "note": ""})
    assert seller.state(OrderState).error == ar("order.invalid_reason", limit=500)
    seller.call(OrderState, "act", {"action": "request_cancellation", "note": "ظرف طارئ"})
    assert seller.state(OrderState).cancel_request == "mine" and "withdraw_cancellation" in seller.state(OrderState).actions
    buyer = open_order(shop, "buyer", order_id)
    assert buyer.state(OrderState).cancel_request == "theirs" and buyer.state(OrderState).cancel_reason == "ظرف طارئ"
    # the buyer of an order paid by card chooses where the refund goes; junk is refused
    assert (buyer.state(OrderState).refund_card, seller.state(OrderState).refund_card) == (True, False)
    buyer.call(OrderState, "act", {"action": "accept_cancellation", "refund_to": "bank"})
    assert buyer.state(OrderState).error == ar("order.invalid_refund_to") and order_of(order_id).status != "cancelled"
    buyer.call(OrderState, "act", {"action": "accept_cancellation", "refund_to": "card"})
    assert buyer.state(OrderState).status == "cancelled"
    assert [(r.order_id, r.status, r.amount_minor) for r in rows(CardRefund)] == [(order_id, "done", 10000)]


def test_an_admin_reads_the_order_without_buttons(shop: dict[str, int]) -> None:
    order_id = place(shop)
    page = open_order(shop, "admin", order_id)
    assert page.state(OrderState).role == "admin" and page.state(OrderState).actions == []


# -- the lists ---------------------------------------------------------------------------------


def test_the_lists_show_each_side_its_orders_by_tab(shop: dict[str, int]) -> None:
    unpaid = place(shop)
    paid = place(shop)
    pay_by_card(shop, paid)
    mine = tab(shop, "buyer", "/orders")
    mine.call(OrderListState, "open_page")
    state = mine.state(OrderListState)
    assert [row["href"] for row in state.rows] == [f"/orders/{paid}", f"/orders/{unpaid}"]
    assert state.rows[0]["other"] == "فهد العتيبي" and "100.00" in state.rows[0]["total_ar"]
    assert [t["label_ar"] for t in state.tabs] == [ar(f"orders.tab_{k}") for k in ("active", "awaiting", "delivered", "completed", "cancelled", "disputed")]
    assert state.tabs[0]["count"] == "2" and state.tabs[3]["href"] == "/orders?status=completed"
    incoming = tab(shop, "seller", "/seller/orders?status=active&page=9")
    incoming.call(OrderListState, "open_page")
    assert [row["href"] for row in incoming.state(OrderListState).rows] == [f"/orders/{paid}"]
    assert incoming.state(OrderListState).page == 1 and incoming.state(OrderListState).selling
    junk = tab(shop, "buyer", "/orders?status=%3Cscript%3E&page=-3")
    junk.call(OrderListState, "open_page")
    assert junk.state(OrderListState).tab == "active"
    completed = tab(shop, "buyer", "/orders?status=completed")
    completed.call(OrderListState, "open_page")
    assert completed.state(OrderListState).rows == []
    # a buyer who does not sell is told how to; a stranger's list is empty; visitors log in
    other = tab(shop, "other", "/seller/orders")
    other.call(OrderListState, "open_page")
    assert other.state(OrderListState).needs_seller and other.state(OrderListState).rows == []
    assert redirects(tab(shop, None, "/seller/orders").call(OrderListState, "open_page")) == ["/login?next=/seller/orders"]


def test_without_a_tab_the_list_opens_the_first_that_has_orders(shop: dict[str, int]) -> None:
    with db.transaction() as session:
        session.add(GigRequirement(gig_id=shop["gig"], position=0, question="أرسل النص المطلوب تسجيله", kind="text"))
    order_id = place(shop)
    pay_by_card(shop, order_id)  # waits for the requirements
    incoming = tab(shop, "seller", "/seller/orders")
    incoming.call(OrderListState, "open_page")
    state = incoming.state(OrderListState)
    assert state.tab == "awaiting" and [row["href"] for row in state.rows] == [f"/orders/{order_id}"]
    assert state.tabs[0]["href"] == "/seller/orders?status=active"  # a tab's link always names it
    asked = tab(shop, "seller", "/seller/orders?status=active")
    asked.call(OrderListState, "open_page")
    assert asked.state(OrderListState).rows == []


def test_a_paused_gig_cannot_be_ordered(shop: dict[str, int]) -> None:
    paused = make_gig(shop["seller"], "تعليق صوتي لإعلان متوقف مؤقتًا عن البيع", status=GigStatus.PAUSED)
    page = Browser(token=add_session(shop["buyer"]), path=f"/gig/{paused}")
    assert ar("order.gig_unavailable") in toasts(page.call(OrderChoiceState, "order_now", "basic"))
    assert rows(Order) == []


@pytest.mark.parametrize("who", ["buyer", "seller"])
def test_actions_on_a_closed_order_are_refused(shop: dict[str, int], who: str) -> None:
    order_id = place(shop)
    act(lifecycle.abandon, order_id=order_id, user_id=shop["buyer"])
    page = open_order(shop, who, order_id)
    assert page.state(OrderState).actions == []
    before = snapshot_database()
    page.call(OrderState, "act", {"action": "dispute", "note": "خلاف"})
    assert page.state(OrderState).error == ar("order.closed")
    page.call(OrderState, "upload", [upload(WAV, "late.wav")])
    assert snapshot_database() == before


@pytest.mark.parametrize(
    ("gateway", "title", "hint"),
    [
        ("sandbox", "checkout.method_sandbox", "checkout.card_hint_sandbox"),
        ("moyasar", "checkout.method_moyasar", "checkout.card_hint_moyasar"),
        ("gone", "checkout.method_card", None),  # a gateway switched off since: «بطاقة», no hint
    ],
)
def test_the_card_option_is_named_after_its_gateway(gateway: str, title: str, hint: str | None) -> None:
    texts = card_texts(gateway)
    assert (texts["title_ar"], texts["hint_ar"]) == (ar(title), ar(hint) if hint else "")
    assert method_key(gateway) == title

"""Custom offers through the services and the messages page's handlers, on SQLite and Postgres:
a seller's terms in a conversation, accepted into an unpaid order the buyer pays at checkout,
declined, withdrawn, expired; every refusal changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import offers
from app.core import db
from app.offers import OfferPolicy
from app.orders import checkout
from models.catalog import GigRequirement, GigStatus
from models.messages import Message
from models.offers import CustomOffer, OfferStatus
from models.orders import Notification, Order, OrderRequirement, OrderStatus
from state.messages import MessagesState
from tests.integration.orderkit import T0, act, now, order_of, refused, shop, top_up  # noqa: F401 (fixtures)
from tests.integration.statekit import Browser, ar, rows, snapshot_database
from tests.integration.test_catalog_state import make_gig
from tests.integration.test_messages import start
from tests.integration.test_messages_state import opened, redirects
from tests.integration.test_order_concurrency import at_once

TERMS = {"description": "تعليق صوتي لإعلان مدته ٦٠ ثانية بلهجة نجدية، ملف WAV", "price": "٣٥٠", "days": "4", "revisions": "2", "expires": "3"}


def offer(shop: dict[str, int], conversation: int, **changes: object) -> int:
    data = offers.parse_offer({"gig": str(shop["gig"]), **TERMS, **changes})
    made, _ = act(offers.send_offer, conversation_id=conversation, seller_id=shop["seller"], data=data)
    return made.id


def test_an_accepted_offer_becomes_an_unpaid_order_on_its_own_terms(shop: dict[str, int]) -> None:
    # given a question on the gig and an offer of 350 SAR in 4 days with 2 revisions
    with db.transaction() as session:
        session.add(GigRequirement(gig_id=shop["gig"], position=0, question="نص الإعلان؟", kind="text", required=True))
    conversation = start(shop)
    offer_id = offer(shop, conversation)
    # when the buyer accepts (twice: a double click)
    order = act(offers.accept_offer, offer_id=offer_id, buyer_id=shop["buyer"])
    again = act(offers.accept_offer, offer_id=offer_id, buyer_id=shop["buyer"])
    # then one order, on the offer's terms, waits for payment
    assert again.id == order.id and len(rows(Order)) == 1
    placed = order_of(order.id)
    assert (placed.status, placed.package_tier, placed.subtotal_minor, placed.delivery_days, placed.revisions_allowed) == (
        OrderStatus.PLACED.value, checkout.CUSTOM_TIER, 35000, 4, 2)
    assert placed.package_name.startswith("تعليق صوتي لإعلان") and placed.seller_id == shop["seller"]
    assert [q.question for q in rows(OrderRequirement)] == ["نص الإعلان؟"]
    [made] = rows(CustomOffer)
    assert (made.status, made.order_id) == (OfferStatus.ACCEPTED.value, order.id)
    # and the thread says so, the seller is told, and the buyer pays from the wallet like any order
    assert [m.kind for m in rows(Message)] == ["offer", "notice"]
    assert {(n.user_id, n.kind) for n in rows(Notification)} >= {(shop["buyer"], "offer_received"), (shop["seller"], "offer_accepted")}
    top_up(shop["buyer"], placed.total_minor)
    act(checkout.pay_with_wallet, order_id=order.id, user_id=shop["buyer"])
    assert order_of(order.id).status == OrderStatus.AWAITING_REQUIREMENTS.value


def test_decline_and_withdraw_belong_to_one_side_each_and_happen_once(shop: dict[str, int]) -> None:
    conversation = start(shop)
    first, second = offer(shop, conversation), offer(shop, conversation)
    refused("offer.not_buyer", offers.accept_offer, offer_id=first, buyer_id=shop["seller"])
    refused("offer.not_seller", offers.withdraw_offer, offer_id=first, seller_id=shop["buyer"])
    refused("offer.not_found", offers.decline_offer, offer_id=first, buyer_id=shop["other"])
    act(offers.decline_offer, offer_id=first, buyer_id=shop["buyer"])
    act(offers.withdraw_offer, offer_id=second, seller_id=shop["seller"])
    for offer_id in (first, second):
        refused("offer.decided", offers.accept_offer, offer_id=offer_id, buyer_id=shop["buyer"])
    assert sorted(o.status for o in rows(CustomOffer)) == ["declined", "withdrawn"] and rows(Order) == []


def test_accepting_while_the_seller_withdraws_ends_with_one_outcome(shop: dict[str, int]) -> None:
    offer_id = offer(shop, start(shop))
    outcomes = at_once(
        lambda: act(offers.accept_offer, offer_id=offer_id, buyer_id=shop["buyer"]),
        lambda: act(offers.withdraw_offer, offer_id=offer_id, seller_id=shop["seller"]),
    )
    assert outcomes == ["offer.decided", "ok"]
    [made] = rows(CustomOffer)
    assert len(rows(Order)) == (1 if made.status == OfferStatus.ACCEPTED.value else 0)


def test_an_offer_expires_for_everyone_when_its_time_runs_out(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    offer_id = offer(shop, start(shop), expires="1")
    now(T0 + timedelta(days=1))
    refused("offer.expired", offers.accept_offer, offer_id=offer_id, buyer_id=shop["buyer"])
    refused("offer.expired", offers.withdraw_offer, offer_id=offer_id, seller_id=shop["seller"])
    with db.reading() as session:
        [terms] = offers.offers_in(session, [m.id for m in rows(Message)]).values()
    assert terms.status is OfferStatus.EXPIRED


def test_a_paused_gig_cannot_be_bought_through_an_old_offer(shop: dict[str, int]) -> None:
    offer_id = offer(shop, start(shop))
    with db.transaction() as session:
        from models.catalog import Gig

        gig = session.get(Gig, shop["gig"])
        gig.status = GigStatus.PAUSED.value  # type: ignore[union-attr]
        session.add(gig)
    refused("order.gig_unavailable", offers.accept_offer, offer_id=offer_id, buyer_id=shop["buyer"])


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"price": "5"}, "offer.invalid_price"),
        ({"price": "100.555"}, "offer.invalid_price"),
        ({"price": "-300"}, "offer.invalid_price"),
        ({"description": "قصير"}, "offer.invalid_description"),
        ({"description": "ا" * 1501}, "offer.invalid_description"),
        ({"description": "تعليق صوتي\u202eمعكوس الاتجاه"}, "offer.invalid_description"),
        ({"days": "0"}, "offer.invalid_days"),
        ({"days": "91"}, "offer.invalid_days"),
        ({"days": "two"}, "offer.invalid_days"),
        ({"revisions": "21"}, "offer.invalid_revisions"),
        ({"expires": "15"}, "offer.invalid_expiry"),
        ({"gig": "abc"}, "offer.invalid_gig"),
    ],
)
def test_bad_terms_are_refused_with_their_own_sentence(changes: dict[str, str], key: str) -> None:
    with pytest.raises(offers.OfferError) as caught:
        offers.parse_offer({"gig": "1", **TERMS, **changes})
    assert caught.value.key == key


def test_only_the_conversations_seller_offers_and_only_on_an_own_active_gig(shop: dict[str, int]) -> None:
    conversation = start(shop)
    data = offers.parse_offer({"gig": str(shop["gig"]), **TERMS})
    refused("offer.not_seller", offers.send_offer, conversation_id=conversation, seller_id=shop["buyer"], data=data)
    refused("message.not_found", offers.send_offer, conversation_id=conversation, seller_id=shop["other"], data=data)
    paused = make_gig(shop["seller"], "خدمة متوقفة للتعليق الصوتي باللهجة", status=GigStatus.PAUSED)
    for gig in (paused, 999_999):
        bad = offers.parse_offer({"gig": str(gig), **TERMS})
        refused("offer.invalid_gig", offers.send_offer, conversation_id=conversation, seller_id=shop["seller"], data=bad)


def test_a_contact_in_an_offer_is_masked_like_any_message_before_an_order(shop: dict[str, int]) -> None:
    offer_id = offer(shop, start(shop), description="تعليق صوتي كامل، وللتفاصيل كلمني واتساب 0551234567")
    [made] = rows(CustomOffer)
    [message] = rows(Message)
    assert made.id == offer_id and "0551234567" not in made.description and "0551234567" not in message.body
    assert "0551234567" in message.raw_body  # for moderators only


def test_a_seller_sends_a_limited_number_of_offers_a_day(shop: dict[str, int]) -> None:
    conversation = start(shop)
    data = offers.parse_offer({"gig": str(shop["gig"]), **TERMS})
    policy = OfferPolicy(per_day=2)
    for _ in range(2):
        act(offers.send_offer, conversation_id=conversation, seller_id=shop["seller"], data=data, policy=policy)
    refused("offer.daily_limit", offers.send_offer, conversation_id=conversation, seller_id=shop["seller"], data=data, policy=policy)


# -- the messages page ----------------------------------------------------------------------


def test_the_seller_sends_an_offer_from_the_thread_and_the_buyer_accepts_it_into_checkout(shop: dict[str, int]) -> None:
    conversation = start(shop)
    path = f"/messages/{conversation}"
    seller = opened(shop["seller"], path)
    assert seller.state(MessagesState).can_offer
    seller.call(MessagesState, "open_offer_form")
    state = seller.state(MessagesState)
    assert state.offer_open and [g["value"] for g in state.offer_gigs] == [str(shop["gig"])]
    seller.call(MessagesState, "send_offer", {"gig": str(shop["gig"]), **TERMS})
    [card] = seller.state(MessagesState).lines
    assert card["kind"] == "offer" and card["offer_withdraw"] == "1" and card["offer_answer"] == ""
    assert "350" in card["offer_price_en"] and not seller.state(MessagesState).offer_open
    # the buyer sees the card with «قبول والدفع» and «رفض»; the buyer cannot send offers
    buyer = opened(shop["buyer"], path)
    [seen] = buyer.state(MessagesState).lines
    assert seen["offer_answer"] == "1" and seen["offer_status_ar"] == ar("offers.status_pending")
    assert not buyer.state(MessagesState).can_offer
    before = snapshot_database()
    buyer.call(MessagesState, "open_offer_form")
    buyer.call(MessagesState, "send_offer", {"gig": str(shop["gig"]), **TERMS})
    assert snapshot_database() == before and buyer.state(MessagesState).error == ar("offer.not_seller")
    # accepting goes to the order's checkout
    result = buyer.call(MessagesState, "accept_offer", seen["offer_id"])
    [order] = rows(Order)
    assert any(f"/checkout/{order.id}" in event for event in redirects(result))
    buyer.call(MessagesState, "open_page")
    lines = buyer.state(MessagesState).lines
    assert lines[0]["offer_order"] == f"/orders/{order.id}" and lines[1]["notice_ar"] == ar("offers.notice_accepted")


def test_offer_buttons_with_junk_or_someone_elses_offer_change_nothing(shop: dict[str, int]) -> None:
    conversation = start(shop)
    offer_id = offer(shop, conversation)
    stranger = opened(shop["other"], f"/messages/{conversation}")
    seller = opened(shop["seller"], f"/messages/{conversation}")
    before = snapshot_database()
    for browser, handler in ((stranger, "accept_offer"), (stranger, "withdraw_offer"), (seller, "accept_offer"), (seller, "decline_offer")):
        for junk in (offer_id, str(offer_id), None, -1, "1; drop", {"id": offer_id}):
            browser.call(MessagesState, handler, junk)
            assert browser.state(MessagesState).error
    signed_out = Browser(path=f"/messages/{conversation}")
    signed_out.call(MessagesState, "accept_offer", offer_id)
    assert snapshot_database() == before

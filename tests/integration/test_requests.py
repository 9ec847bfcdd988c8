"""Buyer requests (طلبات الخدمات) through the services and the requests pages' handlers, on SQLite
and Postgres: posting, the sellers' board by category, one answer per seller as a custom offer,
accepting one (which closes the request), closing, a moderator's removal; refusals change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import buyer_requests as requests
from app import offers
from app.core import db
from app.buyer_requests import RequestPolicy
from models.catalog import Category, Gig
from models.messages import Conversation
from models.offers import CustomOffer
from models.orders import Notification, Order
from models.requests import BuyerRequest, RequestStatus
from state.requests import RequestsState
from tests.integration.orderkit import T0, act, now, refused, shop  # noqa: F401 (fixtures)
from tests.integration.statekit import Browser, add_session, ar, rows, snapshot_database
from tests.integration.test_catalog_state import make_gig, make_seller
from tests.integration.test_messages_state import redirects
from tests.integration.test_order_concurrency import at_once

NEED = "أحتاج تعليقًا صوتيًا بلهجة نجدية لإعلان مدته ٣٠ ثانية"
OFFER = {"description": "أسجل إعلانك بلهجة نجدية خلال يومين مع تعديل", "price": "180", "days": "2", "revisions": "1"}


def category_of(gig: int) -> int:
    with db.reading() as session:
        return session.get(Gig, gig).category_id  # type: ignore[union-attr,return-value]


def post(shop: dict[str, int], **changes: object) -> int:
    data = requests.parse_request({"category": str(category_of(shop["gig"])), "description": NEED, "budget": "200", "days": "5", **changes})
    return act(requests.post_request, buyer_id=shop["buyer"], data=data).id


def answer(shop: dict[str, int], request_id: int, seller: str = "seller", gig: str = "gig") -> CustomOffer:
    data = offers.parse_offer({"gig": str(shop[gig]), **OFFER})
    return act(requests.answer_request, request_id=request_id, seller_id=shop[seller], data=data)


@pytest.fixture
def rival(shop: dict[str, int]) -> dict[str, int]:
    """A second seller in the same category, and one in another."""
    second = make_seller("rival@example.com", "خالد")
    elsewhere = make_seller("elsewhere@example.com", "منى")
    return {
        **shop,
        "rival": second,
        "rival_gig": make_gig(second, "تعليق صوتي نجدي سريع للإعلانات القصيرة"),
        "elsewhere": elsewhere,
        "elsewhere_gig": make_gig(elsewhere, "ترجمة نصوص الإعلانات من العربية إلى الإنجليزية", category="translation"),
    }


def test_sellers_of_the_category_answer_once_and_the_buyer_accepts_one(rival: dict[str, int]) -> None:
    request_id = post(rival)
    # the board shows the request to the sellers of its category only, never to its buyer
    with db.reading() as session:
        assert [c.id for c in requests.board(session, seller_id=rival["seller"]).cards] == [request_id]
        assert requests.board(session, seller_id=rival["elsewhere"]).cards == ()
        assert requests.board(session, seller_id=rival["buyer"]).cards == ()
    # two sellers answer; a second answer and an answer from another category are refused
    first = answer(rival, request_id)
    second = answer(rival, request_id, "rival", "rival_gig")
    refused("request.answered", requests.answer_request, request_id=request_id, seller_id=rival["seller"], data=offers.parse_offer({"gig": str(rival["gig"]), **OFFER}))
    refused("request.wrong_category", requests.answer_request, request_id=request_id, seller_id=rival["elsewhere"], data=offers.parse_offer({"gig": str(rival["elsewhere_gig"]), **OFFER}))
    # each answer is an offer in the buyer and seller's conversation
    assert {(c.buyer_id, c.seller_id) for c in rows(Conversation)} == {(rival["buyer"], rival["seller"]), (rival["buyer"], rival["rival"])}
    with db.reading() as session:
        card, answers = requests.get_request(session, request_id=request_id, buyer_id=rival["buyer"])
        board = requests.board(session, seller_id=rival["seller"]).cards
    assert card.answers == 2 and [a.offer_id for a in answers] == [first.id, second.id] and board[0].answered
    # accepting one places its order and closes the request
    order = act(offers.accept_offer, offer_id=second.id, buyer_id=rival["buyer"])
    assert order.seller_id == rival["rival"] and order.subtotal_minor == 18000
    [request] = rows(BuyerRequest)
    assert request.status == RequestStatus.CLOSED.value
    refused("request.closed", requests.answer_request, request_id=request_id, seller_id=rival["elsewhere"], data=offers.parse_offer({"gig": str(rival["elsewhere_gig"]), **OFFER}))
    with db.reading() as session:
        assert requests.board(session, seller_id=rival["seller"]).cards == ()


def test_one_seller_answering_from_two_tabs_sends_one_offer(shop: dict[str, int]) -> None:
    request_id = post(shop)
    outcomes = at_once(lambda: answer(shop, request_id), lambda: answer(shop, request_id))
    assert outcomes == ["ok", "request.answered"] and len(rows(CustomOffer)) == 1


def test_a_request_leaves_the_board_when_closed_removed_or_expired(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    closed, removed, expiring = post(shop), post(shop), post(shop)
    refused("request.not_found", requests.close_request, request_id=closed, buyer_id=shop["other"])
    act(requests.close_request, request_id=closed, buyer_id=shop["buyer"])
    refused("request.invalid_reason", requests.remove_request, request_id=removed, moderator_id=shop["admin"], reason="")
    act(requests.remove_request, request_id=removed, moderator_id=shop["admin"], reason="يطلب التواصل خارج المنصة")
    assert (shop["buyer"], "request_removed") in {(n.user_id, n.kind) for n in rows(Notification)}
    with db.reading() as session:
        assert [c.id for c in requests.board(session, seller_id=shop["seller"]).cards] == [expiring]
    now(T0 + timedelta(days=14))
    with db.reading() as session:
        assert requests.board(session, seller_id=shop["seller"]).cards == ()
        mine = {c.id: c.status for c in requests.my_requests(session, buyer_id=shop["buyer"]).cards}
    assert mine == {closed: RequestStatus.CLOSED, removed: RequestStatus.REMOVED, expiring: RequestStatus.EXPIRED}
    refused("request.closed", requests.answer_request, request_id=expiring, seller_id=shop["seller"], data=offers.parse_offer({"gig": str(shop["gig"]), **OFFER}))


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"description": "قصير جدًا"}, "request.invalid_description"),
        ({"description": "<b>" * 700}, "request.invalid_description"),
        ({"budget": "10"}, "request.invalid_budget"),
        ({"budget": "abc"}, "request.invalid_budget"),
        ({"days": "0"}, "request.invalid_days"),
        ({"days": "200"}, "request.invalid_days"),
        ({"category": "x"}, "request.invalid_category"),
    ],
)
def test_bad_requests_are_refused_with_their_own_sentence(changes: dict[str, str], key: str) -> None:
    with pytest.raises(requests.RequestError) as caught:
        requests.parse_request({"category": "1", "description": NEED, "budget": "200", "days": "5", **changes})
    assert caught.value.key == key


def test_a_hidden_category_a_flood_and_a_contact_in_the_text(shop: dict[str, int]) -> None:
    with db.transaction() as session:
        hidden = Category(slug="hidden-one", name_ar="مخفي", name_en="Hidden", is_active=False)
        session.add(hidden)
        session.flush()
        hidden_id = hidden.id
    data = requests.parse_request({"category": str(hidden_id), "description": NEED, "budget": "200", "days": "5"})
    refused("request.invalid_category", requests.post_request, buyer_id=shop["buyer"], data=data)
    post(shop, description=NEED + "، كلموني على 0551234567")
    [request] = rows(BuyerRequest)
    assert "0551234567" not in request.description and "0551234567" in request.raw_description
    data = requests.parse_request({"category": str(category_of(shop["gig"])), "description": NEED, "budget": "200", "days": "5"})
    act(requests.post_request, buyer_id=shop["buyer"], data=data, policy=RequestPolicy(per_day=2))
    refused("request.daily_limit", requests.post_request, buyer_id=shop["buyer"], data=data, policy=RequestPolicy(per_day=2))


# -- the pages ----------------------------------------------------------------------------------


def page(user: int | None, path: str = "/requests") -> Browser:
    browser = Browser(token=add_session(user) if user else "", path=path)
    browser.call(RequestsState, "open_page")
    return browser


def test_post_answer_compare_and_accept_through_the_pages(shop: dict[str, int]) -> None:
    category = str(category_of(shop["gig"]))
    buyer = page(shop["buyer"])
    assert category in [c["value"] for c in buyer.state(RequestsState).categories]
    result = buyer.call(RequestsState, "post", {"category": category, "description": NEED, "budget": "٢٠٠", "days": "5"})
    [request] = rows(BuyerRequest)
    assert any(f"/requests/{request.id}" in event for event in redirects(result))
    # the seller's board shows it; «أرسل عرضًا» opens the dialog for it and sends the offer
    seller = page(shop["seller"])
    [card] = seller.state(RequestsState).board_cards
    assert card["id"] == str(request.id) and card["description"] == NEED
    seller.call(RequestsState, "open_answer", card["id"])
    assert seller.state(RequestsState).answering == str(request.id)
    seller.call(RequestsState, "answer", {"request": card["id"], "gig": str(shop["gig"]), **OFFER})
    assert seller.state(RequestsState).board_cards[0]["answered"] == "1" and seller.state(RequestsState).answering == ""
    # the buyer compares on /requests/<n> and accepts: on to checkout
    mine = page(shop["buyer"], f"/requests/{request.id}")
    [offer] = mine.state(RequestsState).answers
    assert offer["seller"] == "فهد العتيبي" and "180" in offer["price_en"] and offer["pending"] == "1"
    result = mine.call(RequestsState, "accept", offer["id"])
    [order] = rows(Order)
    assert any(f"/checkout/{order.id}" in event for event in redirects(result))
    assert page(shop["buyer"]).state(RequestsState).mine[0]["status_ar"] == ar("requests.status_closed")


def test_strangers_buyers_and_junk_change_nothing_through_the_pages(shop: dict[str, int]) -> None:
    request_id = post(shop)
    answer(shop, request_id)
    [offer] = rows(CustomOffer)
    stranger = page(shop["other"], f"/requests/{request_id}")
    buyer = page(shop["buyer"])
    before = snapshot_database()
    assert stranger.state(RequestsState).missing and stranger.state(RequestsState).answers == []
    for junk in (offer.id, str(offer.id), None, -5, "x", [offer.id]):
        stranger.call(RequestsState, "accept", junk)
        stranger.call(RequestsState, "decline", junk)
        stranger.call(RequestsState, "close", junk)
        stranger.call(RequestsState, "remove", {"request": junk, "reason": "لا يعجبني"})
    buyer.call(RequestsState, "open_answer", request_id)
    buyer.call(RequestsState, "answer", {"request": str(request_id), "gig": str(shop["gig"]), **OFFER})
    assert buyer.state(RequestsState).error
    signed_out = Browser(path="/requests")
    assert any("/login?next=/requests" in event for event in redirects(signed_out.call(RequestsState, "open_page")))
    assert snapshot_database() == before
    # a moderator sees every open request and removes it with a reason the buyer reads
    moderator = page(shop["admin"])
    assert moderator.state(RequestsState).moderating and [c["id"] for c in moderator.state(RequestsState).board_cards] == [str(request_id)]
    moderator.call(RequestsState, "remove", {"request": str(request_id), "reason": "يطلب التواصل خارج المنصة"})
    assert page(shop["buyer"]).state(RequestsState).mine[0]["reason"] == "يطلب التواصل خارج المنصة"

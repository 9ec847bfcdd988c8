"""Reviews through the real Reflex handlers: the order page's form for each party, the blind
wait, the seller's reply, the gig page's reviews, the seller and buyer pages; wrong users and
bad arguments get a clear Arabic message and change nothing; a hidden review's numbers and text
never reach the other party's browser."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import reviews
from app.core import db
from models.reviews import Review
from state.buyer_profile import BuyerProfileState, buyer_key_of
from state.gig import GigState
from state.order_reviews import OrderReviewState, stars
from state.orders import OrderState
from state.seller_profile import SellerProfileState
from tests.integration.orderkit import T0, act, now, shop  # noqa: F401 (fixtures)
from tests.integration.statekit import Browser, add_session, ar, rows, snapshot_database
from tests.integration.test_reviews import GOOD, buyer_review, completed, seller_review
from tests.passwords import use_fast_password_hashing

HIDDEN_TEXT = "نص سري لا يراه البائع قبل الكشف"


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_password_hashing(monkeypatch)


def order_page(shop: dict[str, int], who: str | None, order_id: int) -> Browser:
    page = Browser(token=add_session(shop[who]) if who else "", path=f"/orders/{order_id}")
    page.call(OrderState, "open_page")
    page.call(OrderReviewState, "open_page")
    return page


def review_of(page: Browser) -> OrderReviewState:
    return page.state(OrderReviewState)


def test_star_fields_parse_digits_only() -> None:
    assert [stars(v) for v in ("1", "٥", 5, "", None)] == [1, 5, 5, None, None]
    assert [stars(v) for v in ("6", "0", "5.0", " 5", True, ["5"])] == ["6", "0", "5.0", " 5", True, ["5"]]


def test_each_party_reviews_from_the_order_page_blind_until_both_are_in(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    order_id = completed(shop)
    # the buyer sees the form, with the four star fields' rules and the deadline
    buyer = order_page(shop, "buyer", order_id)
    state = review_of(buyer)
    assert (state.side, state.stage, state.buyer_href) == ("buyer", "open", "")
    assert state.note_ar.startswith(ar("reviews.until", when="").split("{")[0].strip()[:10])
    buyer.call(
        OrderReviewState, "submit_review", {"overall": "5", "communication": "٤", "quality": "5", "on_time": "3", "text": HIDDEN_TEXT}
    )
    assert (state.stage, state.mine["overall"], state.mine["hidden"], state.error) == ("waiting", "5", "1", "")
    assert any(event["kind"] == "reviewed_by_buyer" for event in buyer.state(OrderState).timeline)  # the timeline followed
    # the seller sees their own form, a link to the buyer's page, and nothing of the hidden review
    seller = order_page(shop, "seller", order_id)
    mine = review_of(seller)
    assert (mine.side, mine.stage, mine.has_theirs, mine.buyer_href) == ("seller", "open", False, f"/buyers/{shop['buyer']}")
    assert HIDDEN_TEXT not in seller.client_json()
    # the seller's review reveals both
    seller.call(OrderReviewState, "submit_review", {"overall": "4", "text": "مشترٍ متعاون"})
    assert (mine.stage, mine.has_theirs, mine.theirs["text"], mine.theirs["communication"], mine.can_reply) == ("revealed", True, HIDDEN_TEXT, "4", True)
    # and the seller replies once
    seller.call(OrderReviewState, "reply", {"reply": "شكرًا لك!"})
    assert (mine.theirs["reply"], mine.can_reply, mine.error) == ("شكرًا لك!", False, "")
    buyer = order_page(shop, "buyer", order_id)
    assert (review_of(buyer).stage, review_of(buyer).theirs["overall"], review_of(buyer).mine["reply"]) == ("revealed", "4", "شكرًا لك!")


@pytest.mark.parametrize(
    ("form", "key"),
    [
        ({**GOOD, "overall": "0"}, "review.invalid_rating"),
        ({**GOOD, "overall": "6"}, "review.invalid_rating"),
        ({**GOOD, "overall": "خمسة"}, "review.invalid_rating"),
        ({**GOOD, "overall": True}, "review.invalid_rating"),
        ({**GOOD, "overall": 2.5}, "review.invalid_rating"),
        ({**GOOD, "overall": {"$ne": 1}}, "review.invalid_rating"),
        ({"overall": "5"}, "review.invalid_communication"),
        ({**GOOD, "text": "ممتاز " * 4000}, "review.invalid_text"),
        ({**GOOD, "text": ["x"]}, "review.invalid_text"),
        ({**GOOD, "text": "<script>alert(1)</script>"}, "review.markup"),
        ({**GOOD, "text": "\u202eرائع"}, "review.hidden_characters"),
        ("junk", "review.invalid_rating"),
    ],
)
def test_bad_forms_get_a_clear_message_and_change_nothing(shop: dict[str, int], form: object, key: str) -> None:
    order_id = completed(shop)
    page = order_page(shop, "buyer", order_id)
    before = snapshot_database()
    page.call(OrderReviewState, "submit_review", form)
    assert review_of(page).error == ar(key, limit=1500)
    assert snapshot_database() == before


def test_wrong_users_are_refused_and_change_nothing(shop: dict[str, int]) -> None:
    order_id = completed(shop)
    stranger, buyer, seller = (order_page(shop, who, order_id) for who in ("other", "buyer", "seller"))
    visitor = Browser(path=f"/orders/{order_id}")
    elsewhere = Browser(token=add_session(shop["buyer"]), path="/account")
    before = snapshot_database()
    # a stranger sees no review part and cannot review or reply
    assert review_of(stranger).side == ""
    stranger.call(OrderReviewState, "submit_review", GOOD)
    assert review_of(stranger).error == ar("review.order_not_found")
    stranger.call(OrderReviewState, "reply", {"reply": "مرحبًا"})
    assert review_of(stranger).error == ar("review.order_not_found")
    # signed out: nothing either
    visitor.call(OrderReviewState, "submit_review", GOOD)
    assert review_of(visitor).error and review_of(visitor).side == ""
    # the buyer cannot reply, and the seller cannot rate sub-ratings
    buyer.call(OrderReviewState, "reply", {"reply": "أنا البائع"})
    assert review_of(buyer).error == ar("review.reply_not_allowed")
    seller.call(OrderReviewState, "submit_review", {**GOOD, "overall": "5"})
    assert review_of(seller).error == ar("review.buyer_only")
    # a page on another path names no order
    elsewhere.call(OrderReviewState, "submit_review", GOOD)
    assert review_of(elsewhere).error == ar("review.order_not_found")
    assert snapshot_database() == before
    # a second review is refused with its own message
    buyer.call(OrderReviewState, "submit_review", {**{k: str(v) for k, v in GOOD.items()}})
    buyer.call(OrderReviewState, "submit_review", {**{k: str(v) for k, v in GOOD.items()}})
    assert review_of(buyer).error == ar("review.already_reviewed")
    assert len(rows(Review)) == 1


def test_the_review_part_waits_for_completion(shop: dict[str, int]) -> None:
    from tests.integration.orderkit import pay_by_card, place

    order_id = place(shop)
    pay_by_card(shop, order_id)
    seller = order_page(shop, "seller", order_id)
    assert (review_of(seller).side, review_of(seller).buyer_href) == ("", f"/buyers/{shop['buyer']}")


def test_the_gig_page_shows_revealed_reviews_with_averages_and_more(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    # given twelve reviewed orders (both sides: revealed) and one hidden buyer review
    for number in range(12):
        order_id = completed(shop)
        now(T0 + number * timedelta(minutes=5))
        buyer_review(shop, order_id, overall=5 if number % 2 else 4)
        seller_review(shop, order_id)
    hidden = completed(shop)
    act(reviews.submit_review, order_id=hidden, user_id=shop["buyer"], text=HIDDEN_TEXT, **{**GOOD, "overall": 1})
    # when a visitor opens the gig page
    page = Browser(path=f"/gig/{shop['gig']}")
    page.call(GigState, "open_page")
    gig = page.state(GigState)
    # then the summary and the first page count revealed reviews only
    assert (gig.review_summary["average"], gig.review_summary["count"], gig.review_summary["communication"]) == ("4.5", "12", "4.0")
    assert gig.rating == "4.5" and gig.rating_count == 12  # the cached card figures agree
    assert len(gig.reviews) == 10 and gig.reviews_more
    assert gig.reviews[0]["author_href"] == f"/buyers/{shop['buyer']}" and gig.reviews[0]["text"] == "صوت رائع وتسليم سريع"
    assert HIDDEN_TEXT not in page.client_json()
    page.call(GigState, "more_reviews")
    assert len(gig.reviews) == 12 and not gig.reviews_more
    page.call(GigState, "more_reviews")  # nothing more: nothing changes
    assert len(gig.reviews) == 12
    # a page that never opened a gig lists nothing
    blank = Browser(path="/gig/abc")
    blank.call(GigState, "more_reviews")
    assert blank.state(GigState).reviews == []


def test_seller_and_buyer_pages_show_what_the_other_side_said(shop: dict[str, int]) -> None:
    order_id = completed(shop)
    buyer_review(shop, order_id)
    seller_review(shop, order_id, overall=5)
    seller = Browser(path=f"/sellers/{shop['seller']}")
    seller.call(SellerProfileState, "open_page")
    profile = seller.state(SellerProfileState)
    assert (profile.review_summary["average"], profile.reviews[0]["gig_href"]) == ("5.0", f"/gig/{shop['gig']}")
    buyer = Browser(path=f"/buyers/{shop['buyer']}")
    buyer.call(BuyerProfileState, "open_page")
    page = buyer.state(BuyerProfileState)
    assert (page.not_found, page.name, page.review_summary["count"], page.reviews[0]["author"]) == (False, "عبدالله", "1", "فهد العتيبي")
    assert page.reviews[0]["author_href"] == f"/sellers/{shop['seller']}" and page.review_summary["communication"] == ""
    for path in (f"/buyers/{shop['other']}", f"/buyers/{shop['admin']}", "/buyers/0", "/buyers/abc", f"/buyers/{10**20}"):
        nobody = Browser(path=path)
        nobody.call(BuyerProfileState, "open_page")
        assert nobody.state(BuyerProfileState).not_found and nobody.state(BuyerProfileState).name == ""
    assert buyer_key_of("/buyers/12/") == 12 and buyer_key_of("/buyers/١٢") is None

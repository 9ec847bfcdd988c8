"""Reviews through the services on a migrated database (SQLite and Postgres): the blind reveal
with the clock moved, the ``reviews`` job, the gig's rating cache, replies, the public lists and
averages (never a hidden score), and the refusals that must change nothing."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from app import catalog, reviews
from app.core import db
from app.core.errors import MihanError
from app.orders import jobs, lifecycle
from app.reviews import Stage
from models.orders import Notification, OrderEvent
from models.reviews import Review
from tests.integration.orderkit import T0, act, now, order_of, pay_by_card, place, refused, shop  # noqa: F401 (fixtures)
from tests.integration.statekit import add_user, rows
from tests.integration.test_catalog_state import make_gig
from tests.passwords import use_fast_password_hashing

DAY = timedelta(days=1)
GOOD = {"overall": 5, "communication": 4, "quality": 5, "on_time": 3}


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_password_hashing(monkeypatch)


def completed(shop: dict[str, int], gig: str = "gig") -> int:
    """An order of ``shop[gig]`` paid, delivered and accepted at the clock's moment."""
    order_id = place(shop) if gig == "gig" else _place_on(shop, shop[gig])
    pay_by_card(shop, order_id)
    act(lifecycle.deliver, order_id=order_id, user_id=shop["seller"], message="التسجيل النهائي")
    act(lifecycle.accept, order_id=order_id, user_id=shop["buyer"])
    return order_id


def _place_on(shop: dict[str, int], gig_id: int) -> int:
    from app.orders import checkout

    with db.transaction() as session:
        order = checkout.place_order(session, buyer_id=shop["buyer"], gig_id=gig_id, data=checkout.parse_checkout({"tier": "basic"}))
        assert order.id is not None
        return order.id


def buyer_review(shop: dict[str, int], order_id: int, **ratings: object) -> Review:
    return act(reviews.submit_review, order_id=order_id, user_id=shop["buyer"], text="صوت رائع وتسليم سريع", **{**GOOD, **ratings})


def seller_review(shop: dict[str, int], order_id: int, overall: int = 4) -> Review:
    return act(reviews.submit_review, order_id=order_id, user_id=shop["seller"], overall=overall, text="مشترٍ واضح في طلبه")


def gig_cache(shop: dict[str, int]) -> tuple[float, int]:
    with db.reading() as session:
        [card] = catalog.cards(session, [shop["gig"]])
        return card.rating, card.rating_count


def panel(shop: dict[str, int], who: str, order_id: int, at=T0):  # type: ignore[no-untyped-def]
    with db.reading() as session:
        return reviews.order_reviews(session, order_id=order_id, user_id=shop[who], now=at)


def cache_is_right() -> None:
    with db.reading() as session:
        assert reviews.rating_mismatches(session) == []


# -- the blind rule ----------------------------------------------------------------------------


def test_both_reviews_appear_together_when_the_second_one_arrives(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    # given a completed order the buyer has reviewed
    order_id = completed(shop)
    now(T0 + DAY)
    buyer_review(shop, order_id)
    # then it is hidden: no card, average, list or page of the other side shows its numbers
    assert gig_cache(shop) == (0.0, 0)
    with db.reading() as session:
        assert reviews.gig_rating(session, gig_id=shop["gig"]).count == 0
        assert reviews.list_gig_reviews(session, gig_id=shop["gig"]).rows == ()
        assert reviews.seller_rating(session, seller_id=shop["seller"]).overall is None
    seller_view = panel(shop, "seller", order_id, T0 + DAY)
    assert (seller_view.stage, seller_view.theirs, seller_view.can_reply) == (Stage.OPEN, None, False)
    buyer_view = panel(shop, "buyer", order_id, T0 + DAY)
    assert buyer_view.stage == Stage.WAITING and buyer_view.mine is not None and buyer_view.mine.revealed_at is None
    assert [n.kind for n in rows(Notification, Notification.user_id == shop["seller"])][-1] == "review_received"
    # when the seller reviews the buyer
    now(T0 + 2 * DAY)
    seller_review(shop, order_id)
    # then both are public at once and the gig's rating counts the buyer's stars
    assert {r.side: r.revealed_at is not None for r in rows(Review)} == {"buyer": True, "seller": True}
    assert gig_cache(shop) == (5.0, 1)
    with db.reading() as session:
        summary = reviews.gig_rating(session, gig_id=shop["gig"])
        assert (summary.count, summary.overall, summary.communication, summary.quality, summary.on_time) == (1, 5.0, 4.0, 5.0, 3.0)
        assert reviews.buyer_rating(session, buyer_id=shop["buyer"]).overall == 4.0
        [line] = reviews.list_buyer_reviews(session, buyer_id=shop["buyer"]).rows
        assert (line.author_name, line.overall, line.communication, line.text) == ("فهد العتيبي", 4, None, "مشترٍ واضح في طلبه")
    assert panel(shop, "seller", order_id, T0 + 2 * DAY).theirs.overall == 5
    assert panel(shop, "seller", order_id, T0 + 2 * DAY).can_reply
    assert panel(shop, "buyer", order_id, T0 + 2 * DAY).stage == Stage.REVEALED
    kinds = [e.kind for e in rows(OrderEvent, OrderEvent.order_id == order_id)]
    assert kinds[-3:] == ["reviewed_by_buyer", "reviewed_by_seller", "reviews_revealed"]
    assert {(n.user_id, n.kind) for n in rows(Notification) if n.kind == "review_revealed"} == {
        (shop["buyer"], "review_revealed"), (shop["seller"], "review_revealed"),
    }
    cache_is_right()


def test_a_lone_review_is_revealed_by_the_job_ten_days_after_completion(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    # given a buyer review a day after completion, the seller silent
    order_id = completed(shop)
    now(T0 + DAY)
    buyer_review(shop, order_id, overall=3)
    # when the job runs before the tenth day, nothing is revealed
    assert jobs.run_all(T0 + 10 * DAY - timedelta(minutes=1))["reviews"] == 0
    assert gig_cache(shop) == (0.0, 0)
    # then on the tenth day it is, once: the second run (and a third) reveal nothing more
    assert jobs.run_all(T0 + 10 * DAY)["reviews"] == 1
    assert jobs.run_all(T0 + 10 * DAY)["reviews"] == 0
    assert jobs.run_all(T0 + 12 * DAY)["reviews"] == 0
    assert gig_cache(shop) == (3.0, 1)
    [review] = rows(Review)
    assert review.revealed_at is not None
    # the seller may still review within 14 days: their review is public at once
    now(T0 + 13 * DAY)
    assert panel(shop, "seller", order_id, T0 + 13 * DAY).theirs.overall == 3
    seller_review(shop, order_id, overall=2)
    assert all(r.revealed_at is not None for r in rows(Review))
    assert gig_cache(shop) == (3.0, 1)  # a seller's review never counts into the gig
    cache_is_right()


def test_the_window_closes_fourteen_days_after_completion(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    order_id = completed(shop)
    now(T0 + 14 * DAY + timedelta(minutes=1))
    refused("review.window_closed", reviews.submit_review, order_id=order_id, user_id=shop["buyer"], **GOOD)
    assert panel(shop, "buyer", order_id, T0 + 15 * DAY).stage == Stage.CLOSED
    now(T0 + 14 * DAY)
    buyer_review(shop, order_id)  # the last moment still counts, and it is public at once
    assert gig_cache(shop) == (5.0, 1)


# -- refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratings", "key"),
    [
        ({"overall": 0}, "review.invalid_rating"),
        ({"overall": 6}, "review.invalid_rating"),
        ({"overall": "5"}, "review.invalid_rating"),
        ({"overall": True}, "review.invalid_rating"),
        ({"overall": 2.5}, "review.invalid_rating"),
        ({"overall": None}, "review.invalid_rating"),
        ({"communication": 0}, "review.invalid_communication"),
        ({"quality": "4"}, "review.invalid_quality"),
        ({"on_time": False}, "review.invalid_on_time"),
        ({"on_time": None}, "review.invalid_on_time"),
    ],
)
def test_ratings_are_whole_stars_from_one_to_five(shop: dict[str, int], ratings: dict[str, object], key: str) -> None:
    order_id = completed(shop)
    refused(key, reviews.submit_review, order_id=order_id, user_id=shop["buyer"], **{**GOOD, **ratings})


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("ممتاز " * 4000, "review.invalid_text"),  # 20 000 characters
        ("x" * 1501, "review.invalid_text"),
        (["نص"], "review.invalid_text"),
        ("<script>alert(1)</script> رائع", "review.markup"),
        ("<b>رائع</b>", "review.markup"),
        ("رائع &lt;3", "review.markup"),
        ("البائع \u202eرائع\u202c جدًا", "review.hidden_characters"),
        ("رائع\u2066 جدًا", "review.hidden_characters"),
        ("رائع\x00", "review.hidden_characters"),
        ("رائع\x1b[31m", "review.hidden_characters"),
    ],
)
def test_review_text_is_plain_text_within_1500_characters(shop: dict[str, int], text: object, key: str) -> None:
    order_id = completed(shop)
    refused(key, reviews.submit_review, order_id=order_id, user_id=shop["buyer"], text=text, **GOOD)


def test_text_is_stripped_and_may_be_empty_and_plain_comparisons_are_fine(shop: dict[str, int]) -> None:
    order_id = completed(shop)
    review = act(reviews.submit_review, order_id=order_id, user_id=shop["buyer"], text="  السعر < المتوقع والجودة > الممتاز\r\n\r\n\r\n\r\nشكرًا  ", **GOOD)
    assert review.text == "السعر < المتوقع والجودة > الممتاز\n\nشكرًا"
    other = completed(shop)
    assert act(reviews.submit_review, order_id=other, user_id=shop["seller"], overall=5).text == ""
    assert len(act(reviews.submit_review, order_id=other, user_id=shop["buyer"], text="ج" * 1500, **GOOD).text) == 1500


def test_only_the_parties_of_a_completed_order_review_it_once_each(shop: dict[str, int]) -> None:
    order_id = completed(shop)
    # strangers, and a party of another order, are told the order does not exist
    stranger = shop["other"]
    refused("review.order_not_found", reviews.submit_review, order_id=order_id, user_id=stranger, overall=5)
    refused("review.order_not_found", reviews.submit_review, order_id=order_id, user_id=shop["admin"], **GOOD)
    refused("review.order_not_found", reviews.submit_review, order_id=order_id + 999, user_id=shop["buyer"], **GOOD)
    # the seller rates the buyer overall only
    refused("review.buyer_only", reviews.submit_review, order_id=order_id, user_id=shop["seller"], **GOOD)
    # one review per side: a second (or a double click) is refused and writes nothing
    buyer_review(shop, order_id)
    refused("review.already_reviewed", reviews.submit_review, order_id=order_id, user_id=shop["buyer"], **GOOD)
    assert len(rows(Review)) == 1
    with db.reading() as session:
        assert reviews.order_reviews(session, order_id=order_id, user_id=stranger, now=T0) is None


def test_open_cancelled_and_refunded_orders_cannot_be_reviewed(shop: dict[str, int]) -> None:
    open_order = place(shop)
    pay_by_card(shop, open_order)
    act(lifecycle.deliver, order_id=open_order, user_id=shop["seller"], message="تم")
    cancelled = place(shop)
    pay_by_card(shop, cancelled)
    act(lifecycle.request_cancellation, order_id=cancelled, user_id=shop["buyer"], reason="لم أعد أحتاجه")
    act(lifecycle.accept_cancellation, order_id=cancelled, user_id=shop["seller"])
    refunded = place(shop)
    pay_by_card(shop, refunded)
    act(lifecycle.dispute, order_id=refunded, user_id=shop["buyer"], reason="الصوت غير واضح")
    act(lifecycle.resolve, order_id=refunded, admin_id=shop["admin"], outcome="refund", note="نصف", refund_minor=5000)
    assert [order_of(o).status for o in (open_order, cancelled, refunded)] == ["delivered", "cancelled", "refunded"]
    for order_id in (open_order, cancelled, refunded):
        refused("review.not_completed", reviews.submit_review, order_id=order_id, user_id=shop["buyer"], **GOOD)
        refused("review.not_completed", reviews.submit_review, order_id=order_id, user_id=shop["seller"], overall=5)
        assert panel(shop, "buyer", order_id).stage == Stage.NONE


def test_reviewing_ones_own_gig_is_refused_explicitly(shop: dict[str, int]) -> None:
    # an order whose buyer is its seller cannot be placed; were one forged, it still cannot be reviewed
    order_id = completed(shop)
    with db.transaction() as session:
        order = lifecycle.locked(session, order_id)
        order.buyer_id = shop["seller"]
        session.add(order)
    refused("review.own_gig", reviews.submit_review, order_id=order_id, user_id=shop["seller"], overall=5)


def test_two_simultaneous_submissions_make_one_review(shop: dict[str, int]) -> None:
    order_id = completed(shop)
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def click() -> None:
        start.wait()
        try:
            buyer_review(shop, order_id)
            outcomes.append("saved")
        except MihanError as error:
            outcomes.append(error.key)

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["review.already_reviewed", "saved"]
    assert len(rows(Review)) == 1


# -- averages, lists and the cache ---------------------------------------------------------------


def test_averages_and_lists_count_revealed_reviews_only(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    # given one order reviewed by both (5 stars) and one reviewed by the buyer only (1 star, hidden)
    first, second = completed(shop), completed(shop)
    buyer_review(shop, first, overall=5, communication=5)
    seller_review(shop, first)
    buyer_review(shop, second, overall=1, communication=1, quality=1, on_time=1)
    # then every public figure ignores the hidden one
    with db.reading() as session:
        summary = reviews.gig_rating(session, gig_id=shop["gig"])
        assert (summary.count, summary.overall, summary.communication) == (1, 5.0, 5.0)
        assert reviews.seller_rating(session, seller_id=shop["seller"]).count == 1
        page = reviews.list_gig_reviews(session, gig_id=shop["gig"])
        assert (page.total, [r.overall for r in page.rows]) == (1, [5])
        assert [r.overall for r in reviews.list_seller_reviews(session, seller_id=shop["seller"]).rows] == [5]
        matches = catalog.search(session, "تعليق صوتي", catalog.queries.engine.Filters(min_rating=5)).cards
        assert [c.id for c in matches] == [shop["gig"]]
    assert gig_cache(shop) == (5.0, 1)
    # when the hidden one's reveal period is over
    assert jobs.run_all(T0 + 10 * DAY)["reviews"] == 1
    # then it counts everywhere, and the cache still equals the rows
    assert gig_cache(shop) == (3.0, 2)
    with db.reading() as session:
        assert reviews.gig_rating(session, gig_id=shop["gig"]).communication == 3.0
    cache_is_right()


def test_gig_reviews_are_paged_in_sql_newest_first(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    orders = [completed(shop) for _ in range(3)]
    for number, order_id in enumerate(orders, start=1):
        now(T0 + number * timedelta(hours=1))
        buyer_review(shop, order_id, overall=number + 2)
        seller_review(shop, order_id)
    with db.reading() as session:
        first = reviews.list_gig_reviews(session, gig_id=shop["gig"], page=1, per_page=2)
        second = reviews.list_gig_reviews(session, gig_id=shop["gig"], page=2, per_page=2)
        clamped = reviews.list_gig_reviews(session, gig_id=shop["gig"], page=99, per_page=10_000)
    assert ([r.overall for r in first.rows], first.pages, first.total) == ([5, 4], 2, 3)
    assert [r.overall for r in second.rows] == [3]
    assert (clamped.page, len(clamped.rows)) == (1, 3)


# -- replies -------------------------------------------------------------------------------------


def test_the_seller_replies_once_to_the_revealed_buyer_review(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    order_id = completed(shop)
    buyer_review(shop, order_id)
    # hidden: nothing to reply to yet
    refused("review.nothing_to_reply", reviews.reply_to_review, order_id=order_id, user_id=shop["seller"], text="شكرًا")
    seller_review(shop, order_id)
    refused("review.reply_not_allowed", reviews.reply_to_review, order_id=order_id, user_id=shop["buyer"], text="شكرًا")
    refused("review.order_not_found", reviews.reply_to_review, order_id=order_id, user_id=shop["other"], text="شكرًا")
    refused("review.invalid_reply", reviews.reply_to_review, order_id=order_id, user_id=shop["seller"], text="ش" * 1001)
    refused("review.invalid_reply", reviews.reply_to_review, order_id=order_id, user_id=shop["seller"], text="   ")
    refused("review.markup", reviews.reply_to_review, order_id=order_id, user_id=shop["seller"], text="<img src=x onerror=alert(1)>")
    now(T0 + DAY)
    act(reviews.reply_to_review, order_id=order_id, user_id=shop["seller"], text=" شكرًا لك، سعدت بالعمل معك ")
    refused("review.already_replied", reviews.reply_to_review, order_id=order_id, user_id=shop["seller"], text="مرة أخرى")
    with db.reading() as session:
        [line] = reviews.list_gig_reviews(session, gig_id=shop["gig"]).rows
    assert (line.reply, line.replied_at is not None) == ("شكرًا لك، سعدت بالعمل معك", True)
    assert not panel(shop, "seller", order_id, T0 + DAY).can_reply
    assert [n.kind for n in rows(Notification, Notification.user_id == shop["buyer"])][-1] == "review_replied"


# -- the buyer's public page ---------------------------------------------------------------------


def test_a_buyer_page_exists_for_accounts_that_paid_for_an_order(shop: dict[str, int]) -> None:
    newcomer = add_user("new@example.com", name="جديد")
    with db.reading() as session:
        for key in (newcomer, shop["other"], 10**9):
            with pytest.raises(MihanError) as caught:
                reviews.get_buyer_profile(session, buyer_key=key)
            assert caught.value.key == "review.buyer_not_found"
    completed(shop)
    with db.reading() as session:
        profile = reviews.get_buyer_profile(session, buyer_key=shop["buyer"])
    assert (profile.name, profile.seller) == ("عبدالله", False)


def test_reviews_of_two_gigs_add_up_on_the_seller(shop: dict[str, int]) -> None:
    second_gig = make_gig(shop["seller"], "تعليق صوتي وثائقي بصوت رخيم وهادئ")
    shop = {**shop, "second": second_gig}
    one, two = completed(shop), completed(shop, "second")
    for order_id, stars in ((one, 5), (two, 2)):
        buyer_review(shop, order_id, overall=stars)
        seller_review(shop, order_id)
    with db.reading() as session:
        assert reviews.seller_rating(session, seller_id=shop["seller"]).overall == 3.5
        assert {line.gig_id for line in reviews.list_seller_reviews(session, seller_id=shop["seller"]).rows} == {shop["gig"], second_gig}
        assert reviews.gig_rating(session, gig_id=second_gig).overall == 2.0
    cache_is_right()

"""Seller levels on a migrated database (SQLite and Postgres): the record measured in SQL (only
revealed reviews count), the nightly ``levels`` job with the clock moved (once a night, up and
down, with a notification), commission and clearance following the stored level, and the pages:
the seller's own progress card and the public trust signals."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from app import messages, reviews
from app.core import db
from app.core.clock import as_utc
from app.core.settings import get_settings
from app.orders import jobs, lifecycle
from app.trust import seller_metrics
from models.accounts import SellerProfile
from models.orders import Notification
from state.seller import SellerGigsState
from state.seller_profile import SellerProfileState
from tests.integration.orderkit import T0, act, completed, now, order_of, pay_by_card, place, shop  # noqa: F401 (fixtures)
from tests.integration.statekit import Browser, add_session, add_user, ar
from tests.passwords import use_fast_password_hashing

DAY = timedelta(days=1)
# a small ladder so a test reaches level one with two orders: every other criterion as the defaults
SMALL = {"thresholds": {"level1": {"age_days": 0, "completed": 2, "reviews": 1}}}


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_password_hashing(monkeypatch)


def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, data: object) -> None:
    """Point ``variable`` at a JSON file holding ``data`` for this test (monkeypatch undoes it)."""
    path = tmp_path / f"{variable.lower()}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv(variable, str(path))
    get_settings.cache_clear()


@pytest.fixture
def small_ladder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    settings_file(tmp_path, monkeypatch, "MIHAN_LEVELS_FILE", SMALL)
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def level_of(user_id: int) -> str:
    with db.reading() as session:
        return session.exec(select(SellerProfile.level).where(SellerProfile.user_id == user_id)).one()


def checked_at(user_id: int):  # type: ignore[no-untyped-def]
    with db.reading() as session:
        return as_utc(session.exec(select(SellerProfile.level_checked_at).where(SellerProfile.user_id == user_id)).one())


def measured(shop: dict[str, int], moment=T0):  # type: ignore[no-untyped-def]
    with db.reading() as session:
        return seller_metrics(session, seller_id=shop["seller"], now=moment)


def reviewed(shop: dict[str, int], overall: int) -> int:
    """A completed order the buyer rated ``overall`` (hidden until the seller reviews too)."""
    order_id = completed(shop)
    act(reviews.submit_review, order_id=order_id, user_id=shop["buyer"], overall=overall, communication=5, quality=5, on_time=5, text="")
    return order_id


def reveal(shop: dict[str, int], order_id: int) -> None:
    act(reviews.submit_review, order_id=order_id, user_id=shop["seller"], overall=5, text="")


def test_the_record_counts_orders_and_only_revealed_reviews(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    first = reviewed(shop, 5)
    second = reviewed(shop, 4)
    place(shop)  # unpaid: counts nowhere
    late = place(shop)
    pay_by_card(shop, late)
    now(T0 + 3 * DAY)
    jobs.run_all(T0 + 3 * DAY)  # due after 2 days: flagged late, still in progress
    record = measured(shop, T0 + 3 * DAY)
    assert (record.completed, record.on_time, record.completion, record.queued) == (2, 10_000, 10_000, 1)
    assert (record.rating_x100, record.reviews) == (None, 0)  # both reviews still hidden
    reveal(shop, first)
    assert (measured(shop).rating_x100, measured(shop).reviews) == (500, 1)
    reveal(shop, second)
    assert (measured(shop).rating_x100, measured(shop).reviews) == (450, 2)
    act(lifecycle.deliver, order_id=late, user_id=shop["seller"], message="متأخر")
    act(lifecycle.accept, order_id=late, user_id=shop["buyer"])
    record = measured(shop, T0 + 3 * DAY)
    assert (record.completed, record.on_time) == (3, 6_666)  # two of three on time, rounded down


def test_the_nightly_job_moves_a_seller_up_once_a_night_and_down_again(shop: dict[str, int], now, small_ladder) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):
        reveal(shop, reviewed(shop, 5))
    assert level_of(shop["seller"]) == "new"
    night = T0 + DAY
    assert jobs.run_all(night)["levels"] == 1
    assert level_of(shop["seller"]) == "level1"
    jobs.run_all(night + timedelta(hours=14))  # 02:00 in Riyadh: before the next nightly moment
    assert checked_at(shop["seller"]) == night  # measured once a night
    with db.reading() as session:
        kinds = list(session.exec(select(Notification.kind).where(Notification.user_id == shop["seller"], Notification.order_id.is_(None))))  # type: ignore[union-attr]
    assert kinds == ["level_up"]
    # a refunded order drags the completion rate under 90%: down again the next night
    order_id = place(shop)
    pay_by_card(shop, order_id)
    act(lifecycle.request_cancellation, order_id=order_id, user_id=shop["seller"], reason="لا أستطيع التسجيل هذا الأسبوع")
    act(lifecycle.accept_cancellation, order_id=order_id, user_id=shop["buyer"])
    assert order_of(order_id).status == "cancelled"
    assert jobs.run_all(T0 + 2 * DAY + timedelta(hours=1))["levels"] == 1
    assert level_of(shop["seller"]) == "new"


def test_the_stored_level_sets_the_commission_of_the_next_order(
    shop: dict[str, int], now, small_ladder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    settings_file(tmp_path, monkeypatch, "MIHAN_FEES_FILE", {"level_bp": {"level1": 1500}})
    for _ in range(2):
        reveal(shop, reviewed(shop, 5))
    assert (order_of(place(shop)).commission_rate_bp, order_of(place(shop)).commission_rule) == (2000, "default")
    jobs.run_all(T0 + DAY)
    assert level_of(shop["seller"]) == "level1"
    order = order_of(place(shop))
    assert (order.commission_rate_bp, order.commission_rule) == (1500, "level")


def test_the_seller_sees_what_the_next_level_needs(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    completed(shop)
    page = Browser(token=add_session(shop["seller"]), path="/seller/gigs")
    page.call(SellerGigsState, "open_list")
    shown = page.state(SellerGigsState)
    assert (shown.level_ar, shown.next_level_ar) == (ar("level.new"), ar("level.level1"))
    rows = {row["criterion"]: row for row in shown.progress}
    assert rows["completed"]["have_ar"] == "1" and rows["completed"]["need_ar"] == "10" and rows["completed"]["met"] == ""
    assert rows["on_time"]["met"] == "1" and rows["response"]["have_ar"] == "—" and rows["response"]["met"] == "1"
    assert rows["rating_x100"]["need_en"] == "4.70"


def test_the_seller_page_shows_measured_signals_only(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    page = Browser(token="", path=f"/sellers/{shop['seller']}")
    page.call(SellerProfileState, "open_page")
    assert [row["signal"] for row in page.state(SellerProfileState).signals] == ["queued"]  # nothing measured yet
    completed(shop)
    page.call(SellerProfileState, "open_page")
    signals = {row["signal"]: row for row in page.state(SellerProfileState).signals}
    assert signals["on_time"]["value_en"] == "100%" and signals["completion"]["value_en"] == "100%"
    assert signals["queued"]["value_ar"] == "0"


def enquiry(shop: dict[str, int], buyer: int, at, answer_after: timedelta | None, now) -> None:  # type: ignore[no-untyped-def]
    """A buyer's enquiry at ``at``, answered by the seller ``answer_after`` later (or never)."""
    now(at)
    conversation = act(messages.start_conversation, buyer_id=buyer, gig_id=shop["gig"])
    act(messages.send_message, conversation_id=conversation.id, sender_id=buyer, body="السلام عليكم، هل تسجل إعلانًا بالنجدية؟")
    if answer_after is not None:
        now(at + answer_after)
        act(messages.send_message, conversation_id=conversation.id, sender_id=shop["seller"], body="وعليكم السلام، نعم أكيد")


def test_the_response_rate_counts_enquiries_answered_within_a_day(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    buyers = [shop["buyer"], shop["other"], *(add_user(f"b{n}@example.com", name=f"مشتري {n}") for n in range(3))]
    enquiry(shop, buyers[0], T0, timedelta(hours=2), now)
    enquiry(shop, buyers[1], T0, timedelta(hours=5), now)
    enquiry(shop, buyers[2], T0, timedelta(hours=30), now)  # answered, but late
    enquiry(shop, buyers[3], T0, None, now)  # never answered: missed once the day is over
    enquiry(shop, buyers[4], T0 + 2 * DAY, None, now)  # still inside its day: not counted yet
    record = measured(shop, T0 + 2 * DAY + timedelta(hours=1))
    assert (record.response, record.response_hours) == (5_000, 4)  # 2 of 4; the median of 2 h and 5 h, rounded up
    page = Browser(token="", path=f"/sellers/{shop['seller']}")
    page.call(SellerProfileState, "open_page")
    signals = {row["signal"]: row for row in page.state(SellerProfileState).signals}
    assert signals["response"]["value_en"] == "50%" and signals["response_hours"]["value_ar"] == ar("trust.within_hours", hours="4")

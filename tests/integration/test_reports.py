"""Reports and appeals on a migrated database (SQLite and Postgres): filing (public targets only,
once per person, never one's own, a daily cap), the seller's appeal of a buyer review, and the
moderators' decisions (a removed review leaves every average and the gig's rating cache, a gig
is suspended, every party is told), through the services and the state handlers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from app import catalog, reviews
from app.core import db
from app.core.errors import MihanError
from app.trust import reports
from models.catalog import Gig
from models.orders import Notification
from models.reviews import Review
from models.trust import Report
from state.reports import ReportsQueueState, ReportState
from tests.integration.orderkit import T0, act, completed, now, shop  # noqa: F401 (fixtures)
from tests.integration.statekit import Browser, add_session, add_user, ar, snapshot_database
from tests.integration.test_order_state import toasts
from tests.passwords import use_fast_password_hashing


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_password_hashing(monkeypatch)


def public_review(shop: dict[str, int], overall: int = 1) -> int:
    """A completed order reviewed by both sides: the buyer's review (``overall`` stars) is public."""
    order_id = completed(shop)
    act(reviews.submit_review, order_id=order_id, user_id=shop["buyer"], overall=overall, communication=1, quality=1, on_time=1, text="سيئ جدًا")
    act(reviews.submit_review, order_id=order_id, user_id=shop["seller"], overall=5, text="")
    with db.reading() as session:
        return session.exec(select(Review.id).where(Review.order_id == order_id, Review.side == "buyer")).one()


def file(reporter: int, kind: str, target: object, reason: str = "spam", note: str = "") -> Report:
    return act(reports.file_report, reporter_id=reporter, kind=kind, target_id=target, reason=reason, note=note, now=T0)


def refused(reporter: int, kind: object, target: object, reason: object = "spam", note: object = "") -> str:
    before = snapshot_database()
    with pytest.raises(MihanError) as caught:
        act(reports.file_report, reporter_id=reporter, kind=kind, target_id=target, reason=reason, note=note, now=T0)
    assert snapshot_database() == before
    return caught.value.key


def decide(moderator: int, report_id: int, action: str, resolution: str = "مخالف للقواعد") -> Report:
    return act(reports.decide, moderator_id=moderator, report_id=report_id, action=action, resolution=resolution, now=T0)


def gig_rating(gig_id: int) -> tuple[int, int]:
    with db.reading() as session:
        gig = session.get(Gig, gig_id)
        assert gig is not None
        return gig.rating_sum, gig.rating_count


def test_an_upheld_appeal_removes_the_review_from_every_average(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    review_id = public_review(shop)
    assert gig_rating(shop["gig"]) == (1, 1)
    appeal = file(shop["seller"], "review", review_id, "fake_review", "المشتري لم يستلم الملف بعد")
    assert appeal.appeal
    decide(shop["admin"], appeal.id, "actioned", "التقييم لا يتعلق بالطلب")  # type: ignore[arg-type]
    assert gig_rating(shop["gig"]) == (0, 0)
    with db.reading() as session:
        assert reviews.rating_mismatches(session) == []
        assert reviews.gig_rating(session, gig_id=shop["gig"]).count == 0
        assert reviews.list_gig_reviews(session, gig_id=shop["gig"]).total == 0
        told = list(session.exec(select(Notification.user_id, Notification.kind).where(Notification.order_id.is_(None))))  # type: ignore[union-attr]
    assert sorted(told) == sorted([(shop["seller"], "report_actioned"), (shop["buyer"], "reported_review_actioned")])
    # the removed review can no longer be reported, and a decided report is not decided again
    assert refused(shop["other"], "review", review_id) == "trust.target_not_found"
    with pytest.raises(MihanError, match="trust.report_decided"):
        decide(shop["admin"], appeal.id, "dismissed")  # type: ignore[arg-type]


def test_a_dismissed_report_changes_nothing_but_its_status(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    review_id = public_review(shop, overall=2)
    report = file(shop["other"], "review", review_id, "offensive")
    assert not report.appeal  # only the reviewed seller appeals
    decide(shop["admin"], report.id, "dismissed", "لا مخالفة")  # type: ignore[arg-type]
    assert gig_rating(shop["gig"]) == (2, 1)


def test_an_actioned_gig_report_suspends_the_gig_with_the_resolution(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    first = file(shop["buyer"], "gig", shop["gig"], "off_platform")
    second = file(shop["other"], "gig", shop["gig"], "spam")
    decide(shop["admin"], first.id, "actioned", "يطلب التواصل عبر واتساب")  # type: ignore[arg-type]
    with db.reading() as session:
        gig = session.exec(select(Gig.status, Gig.moderation_note).where(Gig.id == shop["gig"])).one()
        closed = session.exec(select(Report.status).where(Report.id == second.id)).one()
    assert tuple(gig) == ("suspended", "يطلب التواصل عبر واتساب")
    assert closed == "actioned"  # the same target's other reports are closed with it


def test_refusals_file_nothing(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    assert refused(shop["seller"], "gig", shop["gig"]) == "trust.report_self"
    assert refused(shop["buyer"], "user", shop["buyer"]) == "trust.report_self"
    assert refused(shop["buyer"], "gig", 999_999) == "trust.target_not_found"
    assert refused(shop["buyer"], "order", shop["gig"]) == "trust.bad_report"
    assert refused(shop["buyer"], "gig", shop["gig"], reason="boring") == "trust.bad_report"
    assert refused(shop["buyer"], "gig", "1") == "trust.target_not_found"
    assert refused(shop["buyer"], "gig", True) == "trust.target_not_found"
    assert refused(shop["buyer"], "gig", shop["gig"], note="<script>alert(1)</script>") == "review.markup"
    assert refused(shop["buyer"], "gig", shop["gig"], note="x" * 1001) == "trust.invalid_note"
    file(shop["buyer"], "gig", shop["gig"])
    assert refused(shop["buyer"], "gig", shop["gig"]) == "trust.report_twice"
    act(catalog.moderate, gig_id=shop["gig"], action="suspend", note="موقوفة")
    assert refused(shop["other"], "gig", shop["gig"]) == "trust.target_not_found"  # no longer public


def test_a_daily_cap_stops_flooding(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    people = [add_user(f"user{n}@example.com", name=f"مستخدم {n}") for n in range(reports.DAILY_CAP + 1)]
    for person in people[: reports.DAILY_CAP]:
        file(shop["buyer"], "user", person)
    assert refused(shop["buyer"], "user", people[-1]) == "trust.report_cap"
    # a day later there is room again
    act(reports.file_report, reporter_id=shop["buyer"], kind="user", target_id=people[-1], reason="spam", note="", now=T0 + timedelta(days=1, minutes=1))


def test_only_moderators_decide(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    report = file(shop["buyer"], "gig", shop["gig"])
    for who in ("buyer", "seller", "other"):
        with pytest.raises(MihanError, match="trust.moderators_only"):
            decide(shop[who], report.id, "actioned")  # type: ignore[arg-type]
    for action, resolution in (("open", "x"), ("delete", "x"), ("actioned", ""), ("actioned", "<b>x</b>")):
        with pytest.raises(MihanError):
            decide(shop["admin"], report.id, action, resolution)  # type: ignore[arg-type]


def test_the_report_dialog_and_the_queue_through_their_handlers(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    page = Browser(token=add_session(shop["buyer"]), path=f"/gig/{shop['gig']}")
    assert ar("report.filed") in toasts(page.call(ReportState, "file", {"kind": "gig", "target": str(shop["gig"]), "reason": "spam", "note": "إعلان"}))
    before = snapshot_database()
    for junk in (None, "x", {"kind": "gig"}, {"kind": "gig", "target": "-3", "reason": "spam"}, {"kind": "gig", "target": str(shop["gig"]), "reason": "spam"}):
        page.call(ReportState, "file", junk)
    Browser(token="", path="/").call(ReportState, "file", {"kind": "gig", "target": str(shop["gig"]), "reason": "spam"})
    assert snapshot_database() == before
    # a buyer cannot open the queue; the admin sees the report and decides it
    assert Browser(token=add_session(shop["buyer"]), path="/admin/reports").call(ReportsQueueState, "open_page") is not None
    queue = Browser(token=add_session(shop["admin"]), path="/admin/reports")
    queue.call(ReportsQueueState, "open_page")
    [item] = queue.state(ReportsQueueState).items
    assert (item["kind"], item["note"], item["reports"]) == ("gig", "إعلان", "1")
    queue.call(ReportsQueueState, "decide", {"report": item["key"], "action": "dismissed", "resolution": "لا مخالفة"})
    assert queue.state(ReportsQueueState).items == []

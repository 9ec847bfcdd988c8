"""Reports (بلاغات) and appeals: anyone signed in flags a gig, a review or a user; moderators
decide; a seller appeals a buyer review of their own order the same way.

Filing checks that the target exists and is public (nobody reports what they cannot see), that
the reporter is not reporting themselves, and a daily cap; the unique (reporter, target) row
makes a double click or a second tab file nothing new. Deciding locks the report, so two
moderators decide it once, and "actioned" does what the target needs: a gig is suspended with
the resolution as its reason, a review leaves every public page and average, a user is warned.
Every decision notifies the reporter and the reported party; nothing is removed silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from app import catalog
from app.notifications.queue import queue_notifications
from app.reviews.inputs import plain_text
from app.reviews.services import remove_review
from app.trust.errors import TrustError
from models.accounts import Role, User
from models.catalog import Gig, GigStatus
from models.reviews import Review, ReviewSide
from models.trust import Report, ReportReason, ReportStatus, ReportTarget

MAX_NOTE = 1000
MAX_RESOLUTION = 500
DAILY_CAP = 20


@dataclass(frozen=True)
class Target:
    """What a report points at, resolved: who answers for it and, for a review, its order."""

    kind: ReportTarget
    id: int
    owner_id: int  # the gig's seller, the review's author, the user
    order_id: int | None = None
    review_subject_id: int | None = None


def _enum(kind: type, value: object, key: str):  # type: ignore[no-untyped-def]
    try:
        return kind(value) if isinstance(value, str) else kind("")
    except ValueError:
        raise TrustError(key) from None


def _target(session: Session, kind: ReportTarget, target_id: object) -> Target:
    """The public thing ``(kind, target_id)`` names, or ``trust.target_not_found``."""
    if type(target_id) is not int or target_id <= 0:
        raise TrustError("trust.target_not_found")
    if kind is ReportTarget.GIG:
        gig = session.get(Gig, target_id)
        if gig is not None and gig.status == GigStatus.ACTIVE.value:
            return Target(kind, target_id, gig.seller_id)
    elif kind is ReportTarget.REVIEW:
        review = session.get(Review, target_id)
        if review is not None and review.revealed_at is not None and review.removed_at is None:
            return Target(kind, target_id, review.author_id, review.order_id, review.subject_id)
    else:
        user = session.get(User, target_id)
        if user is not None and user.is_active:
            return Target(kind, target_id, target_id)
    raise TrustError("trust.target_not_found")


def file_report(
    session: Session, *, reporter_id: int, kind: object, target_id: object, reason: object, note: object, now: datetime
) -> Report:
    """File one report; a seller's report of a buyer review about them is an appeal.

    Raises:
        TrustError: ``trust.bad_report`` (unknown kind or reason), ``trust.target_not_found``,
            ``trust.report_self``, ``trust.report_twice``, ``trust.report_cap``.
        ReviewError: ``trust.invalid_note``, ``review.markup``, ``review.hidden_characters``.
    """
    target = _target(session, _enum(ReportTarget, kind, "trust.bad_report"), target_id)
    why = _enum(ReportReason, reason, "trust.bad_report")
    text = plain_text(note if note is not None else "", limit=MAX_NOTE, key="trust.invalid_note")
    if target.owner_id == reporter_id:
        raise TrustError("trust.report_self")
    today = session.exec(
        select(func.count()).select_from(Report).where(Report.reporter_id == reporter_id, col(Report.created_at) > now - timedelta(days=1))
    ).one()
    if today >= DAILY_CAP:
        raise TrustError("trust.report_cap")
    appeal = target.kind is ReportTarget.REVIEW and target.review_subject_id == reporter_id and _side(session, target.id) == ReviewSide.BUYER.value
    report = Report(
        reporter_id=reporter_id, target_kind=target.kind.value, target_id=target.id, reason=why.value, note=text, appeal=appeal, created_at=now
    )
    try:
        with session.begin_nested():
            session.add(report)
            session.flush()
    except IntegrityError:
        raise TrustError("trust.report_twice") from None
    return report


def _side(session: Session, review_id: int) -> str:
    return session.exec(select(Review.side).where(Review.id == review_id)).one()


def _moderator(session: Session, user_id: int) -> None:
    user = session.get(User, user_id)
    if user is None or not user.is_active or user.role not in (Role.MODERATOR.value, Role.ADMIN.value):
        raise TrustError("trust.moderators_only")


def decide(session: Session, *, moderator_id: int, report_id: object, action: object, resolution: object, now: datetime) -> Report:
    """``dismissed`` or ``actioned`` one open report, with the resolution both sides read.

    Actioning a gig suspends it, a review is removed (its stars leave the averages), a user is
    warned; other open reports of the same target are closed with it.

    Raises:
        TrustError: ``trust.moderators_only``, ``trust.report_not_found``, ``trust.report_decided``,
            ``trust.bad_decision``.
        ReviewError: ``trust.resolution_required`` and the plain-text refusals.
    """
    _moderator(session, moderator_id)
    report = session.exec(select(Report).where(Report.id == report_id).with_for_update()).first() if type(report_id) is int else None
    if report is None:
        raise TrustError("trust.report_not_found")
    if report.status != ReportStatus.OPEN.value:
        raise TrustError("trust.report_decided")
    outcome = _enum(ReportStatus, action, "trust.bad_decision")
    if outcome is ReportStatus.OPEN:
        raise TrustError("trust.bad_decision")
    text = plain_text(resolution, limit=MAX_RESOLUTION, key="trust.resolution_required", required=True)
    owner = _owner(session, report)
    if outcome is ReportStatus.ACTIONED:
        _act(session, report, text, now)
    same = session.exec(
        select(Report).where(Report.target_kind == report.target_kind, Report.target_id == report.target_id, Report.status == ReportStatus.OPEN.value)
    ).all()
    for each in same:
        each.status, each.handled_by, each.handled_at, each.resolution = outcome.value, moderator_id, now, text
        session.add(each)
        queue_notifications(session, f"report_{outcome.value}", [each.reporter_id], order_id=None, now=now)
    if outcome is ReportStatus.ACTIONED and owner is not None:
        queue_notifications(session, f"reported_{report.target_kind}_actioned", [owner], order_id=None, now=now)
    session.flush()
    return report


def _owner(session: Session, report: Report) -> int | None:
    """Who answers for the reported thing (still there or not)."""
    if report.target_kind == ReportTarget.GIG.value:
        return session.exec(select(Gig.seller_id).where(Gig.id == report.target_id)).first()
    if report.target_kind == ReportTarget.REVIEW.value:
        return session.exec(select(Review.author_id).where(Review.id == report.target_id)).first()
    return report.target_id


def _act(session: Session, report: Report, resolution: str, now: datetime) -> None:
    if report.target_kind == ReportTarget.GIG.value:
        gig = session.get(Gig, report.target_id)
        if gig is not None and gig.status != GigStatus.SUSPENDED.value:
            catalog.moderate(session, gig_id=report.target_id, action="suspend", note=resolution)
    elif report.target_kind == ReportTarget.REVIEW.value:
        review = session.get(Review, report.target_id)
        if review is not None and review.removed_at is None:
            remove_review(session, review_id=report.target_id, now=now)


@dataclass(frozen=True)
class QueueItem:
    """One open report as the moderators' queue shows it, with the reported text for context."""

    id: int
    kind: str
    target_id: int
    reason: str
    note: str
    appeal: bool
    reporter: str
    created_at: datetime
    title: str  # the gig's title, the review's text, the user's name
    href: str  # where a moderator sees it in place
    reports: int  # how many people reported the same thing


def count_open(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Report).where(Report.status == ReportStatus.OPEN.value)).one())


def list_open(session: Session, *, moderator_id: int, limit: int, offset: int) -> list[QueueItem]:
    """One page of the open reports, oldest first (appeals first among equals are not promised)."""
    _moderator(session, moderator_id)
    rows = session.exec(
        select(Report, User.name)
        .join(User, col(User.id) == Report.reporter_id)
        .where(Report.status == ReportStatus.OPEN.value)
        .order_by(col(Report.id))
        .limit(limit)
        .offset(offset)
    ).all()
    return [_item(session, report, name) for report, name in rows]


def _item(session: Session, report: Report, reporter: str) -> QueueItem:
    title, href = "", ""
    if report.target_kind == ReportTarget.GIG.value:
        title = session.exec(select(Gig.title).where(Gig.id == report.target_id)).first() or ""
        href = f"/gig/{report.target_id}"
    elif report.target_kind == ReportTarget.REVIEW.value:
        found = session.exec(select(Review.text, Review.gig_id, Review.order_id).where(Review.id == report.target_id)).first()
        if found is not None:
            title, href = found[0], f"/gig/{found[1]}"
    else:
        title = session.exec(select(User.name).where(User.id == report.target_id)).first() or ""
        href = f"/sellers/{report.target_id}"
    same = session.exec(
        select(func.count()).select_from(Report).where(
            Report.target_kind == report.target_kind, Report.target_id == report.target_id, Report.status == ReportStatus.OPEN.value
        )
    ).one()
    assert report.id is not None
    return QueueItem(
        id=report.id,
        kind=report.target_kind,
        target_id=report.target_id,
        reason=report.reason,
        note=report.note,
        appeal=report.appeal,
        reporter=reporter,
        created_at=report.created_at,
        title=title,
        href=href,
        reports=int(same),
    )


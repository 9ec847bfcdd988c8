"""Read models of reviews: a gig's, a seller's and a buyer's revealed reviews, their averages,
the public buyer profile, and what the order page offers each party.

"No hidden scores": every public list and average goes through ``_public``, which keeps
revealed reviews only; the order page shows a party their own review (hidden or not) and the
other side's only once revealed. Lists are paged in SQL (newest reveal first) and averages are
SQL aggregates over the review indexes, so no page scans or loads more rows than it shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from app.reviews.errors import ReviewError
from app.reviews.policy import POLICY
from app.reviews.services import completed_at
from models.accounts import SellerProfile, User
from models.catalog import Gig
from models.orders import Order
from models.reviews import Review, ReviewSide

MAX_PER_PAGE = 50


@dataclass(frozen=True)
class RatingSummary:
    """How many revealed reviews, and their average ratings (``None`` where there are none)."""

    count: int
    overall: float | None
    communication: float | None = None
    quality: float | None = None
    on_time: float | None = None


@dataclass(frozen=True)
class ReviewLine:
    """One review as pages show it."""

    id: int
    side: str
    gig_id: int
    gig_title: str
    author_id: int
    author_name: str
    subject_name: str
    overall: int
    communication: int | None
    quality: int | None
    on_time: int | None
    text: str
    created_at: datetime
    revealed_at: datetime | None
    reply: str
    replied_at: datetime | None


@dataclass(frozen=True)
class ReviewPage:
    rows: tuple[ReviewLine, ...]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class BuyerProfileView:
    id: int
    name: str
    avatar_file: str
    member_since: datetime
    seller: bool  # also sells: the page links to the seller profile


class Stage:
    """Where a party stands with their review of an order."""

    NONE = "none"  # the order cannot be reviewed: not completed (open, cancelled or refunded)
    OPEN = "open"  # may review now
    WAITING = "waiting"  # reviewed; hidden until the other side reviews or the reveal period ends
    REVEALED = "revealed"  # their review is public
    CLOSED = "closed"  # the window ended without their review


@dataclass(frozen=True)
class OrderReviews:
    """The review panel of a completed order for one of its parties."""

    side: str  # the viewer's side: buyer | seller
    buyer_id: int
    stage: str
    review_until: datetime
    reveal_by: datetime
    mine: ReviewLine | None
    theirs: ReviewLine | None  # only once revealed, never once a moderator removed it
    can_reply: bool
    mine_removed: bool = False  # a moderator took the viewer's own review down
    theirs_removed: bool = False  # ... or the other side's


# -- the building blocks -----------------------------------------------------------------------


def _public(*conditions: Any) -> ColumnElement[bool]:
    """Revealed, not removed reviews matching ``conditions``: the only way public queries select
    reviews."""
    clause: ColumnElement[bool] = col(Review.revealed_at).is_not(None) & col(Review.removed_at).is_(None)
    for condition in conditions:
        clause = clause & condition
    return clause


def _summary(session: Session, condition: ColumnElement[bool]) -> RatingSummary:
    count, *averages = session.exec(
        select(
            func.count(col(Review.id)),
            func.avg(col(Review.overall)),
            func.avg(col(Review.communication)),
            func.avg(col(Review.quality)),
            func.avg(col(Review.on_time)),
        ).where(condition)
    ).one()
    overall, communication, quality, on_time = (None if value is None else float(value) for value in averages)
    return RatingSummary(count=count, overall=overall, communication=communication, quality=quality, on_time=on_time)


def _lines(session: Session, condition: ColumnElement[bool], *, offset: int = 0, limit: int | None = None) -> tuple[ReviewLine, ...]:
    author, subject = aliased(User), aliased(User)
    query = (
        select(Review, Gig.title, author.name, subject.name)
        .join(Gig, col(Gig.id) == Review.gig_id)
        .join(author, col(author.id) == Review.author_id)
        .join(subject, col(subject.id) == Review.subject_id)
        .where(condition)
        .order_by(col(Review.revealed_at).desc(), col(Review.id).desc())
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return tuple(
        ReviewLine(
            id=review.id or 0,
            side=review.side,
            gig_id=review.gig_id,
            gig_title=title,
            author_id=review.author_id,
            author_name=author_name,
            subject_name=subject_name,
            overall=review.overall,
            communication=review.communication,
            quality=review.quality,
            on_time=review.on_time,
            text=review.text,
            created_at=review.created_at,
            revealed_at=review.revealed_at,
            reply=review.reply,
            replied_at=review.replied_at,
        )
        for review, title, author_name, subject_name in session.exec(query)
    )


def _page(session: Session, condition: ColumnElement[bool], page: int, per_page: int) -> ReviewPage:
    per_page = min(max(1, per_page), MAX_PER_PAGE)
    total = session.exec(select(func.count()).select_from(Review).where(condition)).one()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    return ReviewPage(rows=_lines(session, condition, offset=(page - 1) * per_page, limit=per_page), total=total, page=page, pages=pages)


def _of_gig(gig_id: int) -> ColumnElement[bool]:
    return _public(col(Review.gig_id) == gig_id, col(Review.side) == ReviewSide.BUYER.value)


def _about(user_id: int, side: ReviewSide) -> ColumnElement[bool]:
    return _public(col(Review.subject_id) == user_id, col(Review.side) == side.value)


# -- public lists and averages -------------------------------------------------------------------


def gig_rating(session: Session, *, gig_id: int) -> RatingSummary:
    """The gig's revealed buyer reviews: count and averages (what its rating cache holds)."""
    return _summary(session, _of_gig(gig_id))


def list_gig_reviews(session: Session, *, gig_id: int, page: int = 1, per_page: int = POLICY.per_page) -> ReviewPage:
    """One page of the gig's revealed buyer reviews (the caller has checked the gig is visible)."""
    return _page(session, _of_gig(gig_id), page, per_page)


def gigs_rating(session: Session, *, gig_ids: Any) -> RatingSummary:
    """Revealed buyer reviews of several gigs together (``gig_ids``: ids or a select of them)."""
    return _summary(session, _public(col(Review.gig_id).in_(gig_ids), col(Review.side) == ReviewSide.BUYER.value))


def list_gigs_reviews(session: Session, *, gig_ids: Any, limit: int = POLICY.per_page) -> tuple[ReviewLine, ...]:
    """The newest revealed buyer reviews of several gigs (``gig_ids``: ids or a select of them)."""
    condition = _public(col(Review.gig_id).in_(gig_ids), col(Review.side) == ReviewSide.BUYER.value)
    return _lines(session, condition, limit=min(max(1, limit), MAX_PER_PAGE))


def seller_rating(session: Session, *, seller_id: int) -> RatingSummary:
    """What buyers said of the seller across all their gigs (revealed reviews only)."""
    return _summary(session, _about(seller_id, ReviewSide.BUYER))


def seller_stars(session: Session, *, seller_id: int) -> tuple[int, int]:
    """``(count, sum of overall stars)`` of the seller's public buyer reviews: exact integers for
    thresholds (the seller levels), where ``seller_rating``'s averages are for display."""
    count, stars = session.exec(select(func.count(col(Review.id)), func.coalesce(func.sum(col(Review.overall)), 0)).where(_about(seller_id, ReviewSide.BUYER))).one()
    return int(count), int(stars)


def list_seller_reviews(session: Session, *, seller_id: int, page: int = 1, per_page: int = POLICY.per_page) -> ReviewPage:
    return _page(session, _about(seller_id, ReviewSide.BUYER), page, per_page)


def buyer_rating(session: Session, *, buyer_id: int) -> RatingSummary:
    """What sellers said of the buyer (revealed reviews only)."""
    return _summary(session, _about(buyer_id, ReviewSide.SELLER))


def list_buyer_reviews(session: Session, *, buyer_id: int, page: int = 1, per_page: int = POLICY.per_page) -> ReviewPage:
    return _page(session, _about(buyer_id, ReviewSide.SELLER), page, per_page)


def get_buyer_profile(session: Session, *, buyer_key: int) -> BuyerProfileView:
    """The public buyer page of user ``buyer_key``: only an active account that has paid for an
    order is a buyer with a page, so the page reveals nothing about other accounts.

    Raises:
        ReviewError: ``review.buyer_not_found``.
    """
    user = session.get(User, buyer_key)
    if user is None or user.id is None or not user.is_active:
        raise ReviewError("review.buyer_not_found")
    paid = session.exec(select(Order.id).where(Order.buyer_id == user.id, col(Order.paid_at).is_not(None)).limit(1)).first()
    if paid is None:
        raise ReviewError("review.buyer_not_found")
    seller = session.exec(select(SellerProfile.id).where(SellerProfile.user_id == user.id)).first()
    return BuyerProfileView(id=user.id, name=user.name, avatar_file=user.avatar_file, member_since=user.created_at, seller=seller is not None)


# -- the order page ------------------------------------------------------------------------------


def order_reviews(session: Session, *, order_id: int, user_id: int, now: datetime) -> OrderReviews | None:
    """The review panel of ``order_id`` for its buyer or seller (``Stage.NONE`` while the order
    cannot be reviewed: open, cancelled or refunded); ``None`` for anyone else."""
    order = session.get(Order, order_id)
    if order is None or user_id not in (order.buyer_id, order.seller_id):
        return None
    side = ReviewSide.BUYER if user_id == order.buyer_id else ReviewSide.SELLER
    completed = completed_at(order)
    if completed is None or order.buyer_id == order.seller_id:
        never = datetime.min.replace(tzinfo=UTC)
        return OrderReviews(side=side.value, buyer_id=order.buyer_id, stage=Stage.NONE, review_until=never, reveal_by=never, mine=None, theirs=None, can_reply=False)
    lines = {line.side: line for line in _lines(session, col(Review.order_id) == order_id)}
    removed = set(session.exec(select(Review.side).where(Review.order_id == order_id, col(Review.removed_at).is_not(None))).all())
    mine = lines.get(side.value)
    other_side = (ReviewSide.SELLER if side is ReviewSide.BUYER else ReviewSide.BUYER).value
    other = lines.get(other_side)
    theirs = other if other is not None and other.revealed_at is not None and other_side not in removed else None
    until = completed + POLICY.window
    if mine is None:
        stage = Stage.OPEN if now <= until else Stage.CLOSED
    else:
        stage = Stage.REVEALED if mine.revealed_at is not None else Stage.WAITING
    can_reply = side is ReviewSide.SELLER and theirs is not None and theirs.replied_at is None
    return OrderReviews(
        mine_removed=side.value in removed,
        theirs_removed=other_side in removed,
        side=side.value,
        buyer_id=order.buyer_id,
        stage=stage,
        review_until=until,
        reveal_by=completed + POLICY.reveal_after,
        mine=None if side.value in removed else mine,
        theirs=theirs,
        can_reply=can_reply,
    )


# -- the cache and its audit ---------------------------------------------------------------------


def rating_mismatches(session: Session) -> list[tuple[int, tuple[int, int], tuple[int, int]]]:
    """Gigs whose cached ``(rating_sum, rating_count)`` differ from their revealed buyer reviews:
    ``(gig_id, cached, counted)``. Empty when the cache is right (tests and audits call it)."""
    counted = {
        gig_id: (int(total or 0), count)
        for gig_id, total, count in session.exec(
            select(Review.gig_id, func.sum(col(Review.overall)), func.count(col(Review.id)))
            .where(_public(col(Review.side) == ReviewSide.BUYER.value))
            .group_by(col(Review.gig_id))
        )
    }
    cached = {gig_id: (total, count) for gig_id, total, count in session.exec(select(Gig.id, Gig.rating_sum, Gig.rating_count)) if gig_id is not None}
    return [(gig_id, cached[gig_id], counted.get(gig_id, (0, 0))) for gig_id in sorted(cached) if cached[gig_id] != counted.get(gig_id, (0, 0))]

"""Writing reviews: submit one side's review, reveal hidden ones, and the seller's reply.

Every service locks the order first (``FOR UPDATE`` on Postgres; SQLite's write lock is held by
``transaction()``), so two clicks or two workers act one after the other and the second sees
the first's row: one review per side per order, one reveal, one reply. Every check runs before
anything is written, so a refusal changes nothing.

Blind rule: a review is written hidden. Both become public the moment the second side's review
arrives, or each on its own once ``POLICY.reveal_after`` has passed since completion (a review
submitted after that is public at once; the ``reviews`` job reveals the ones waiting). Only a
reveal touches the gig's rating cache, so no hidden score reaches a card, a filter or search.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.core import clock
from app.core.clock import as_utc
from app.orders.lifecycle import locked, notify, record
from app.reviews.errors import ReviewError
from app.reviews.inputs import plain_text, rating
from app.reviews.policy import POLICY
from models.catalog import Gig
from models.orders import Order, OrderStatus
from models.reviews import Review, ReviewSide


def reviews_of(session: Session, order_id: int) -> dict[ReviewSide, Review]:
    """The order's reviews by side (at most one each)."""
    return {ReviewSide(r.side): r for r in session.exec(select(Review).where(Review.order_id == order_id))}


def completed_at(order: Order) -> datetime | None:
    """When a reviewable order completed; ``None`` for any order that cannot be reviewed."""
    if order.status != OrderStatus.COMPLETED.value or order.closed_at is None:
        return None
    return as_utc(order.closed_at)


def _party(session: Session, order_id: int, user_id: int) -> tuple[Order, ReviewSide]:
    order = locked(session, order_id)
    if order is None or user_id not in (order.buyer_id, order.seller_id):
        raise ReviewError("review.order_not_found")
    return order, ReviewSide.BUYER if user_id == order.buyer_id else ReviewSide.SELLER


def _ratings(side: ReviewSide, overall: object, sub: dict[str, object]) -> dict[str, int | None]:
    """The side's ratings: the buyer gives all four, the seller the overall one only."""
    ratings: dict[str, int | None] = {"overall": rating(overall)}
    for name, value in sub.items():
        if side is ReviewSide.BUYER:
            ratings[name] = rating(value, f"review.invalid_{name}")
        elif value is not None:
            raise ReviewError("review.buyer_only")
        else:
            ratings[name] = None
    return ratings


def submit_review(
    session: Session,
    *,
    order_id: int,
    user_id: int,
    overall: object,
    communication: object = None,
    quality: object = None,
    on_time: object = None,
    text: object = "",
) -> Review:
    """The buyer reviews the seller, or the seller the buyer, once, within the window.

    Raises:
        ReviewError: ``review.order_not_found`` (not a party), ``review.own_gig``,
            ``review.not_completed`` (open, cancelled or refunded), ``review.window_closed``,
            ``review.invalid_rating`` and its sub-rating keys, ``review.buyer_only``,
            ``review.invalid_text``, ``review.markup``, ``review.hidden_characters``,
            ``review.already_reviewed``.
    """
    order, side = _party(session, order_id, user_id)
    if order.buyer_id == order.seller_id:
        raise ReviewError("review.own_gig")
    completed = completed_at(order)
    if completed is None:
        raise ReviewError("review.not_completed")
    now = clock.now()
    if now > completed + POLICY.window:
        raise ReviewError("review.window_closed")
    ratings = _ratings(side, overall, {"communication": communication, "quality": quality, "on_time": on_time})
    body = plain_text(text, limit=POLICY.max_text, key="review.invalid_text")
    reviews = reviews_of(session, order_id)
    if side in reviews:
        raise ReviewError("review.already_reviewed")
    buyer_side = side is ReviewSide.BUYER
    review = Review(
        order_id=order_id,
        gig_id=order.gig_id,
        author_id=user_id,
        subject_id=order.seller_id if buyer_side else order.buyer_id,
        side=side.value,
        text=body,
        created_at=now,
        **ratings,  # type: ignore[arg-type]
    )
    session.add(review)
    session.flush()
    reviews[side] = review
    record(session, order, f"reviewed_by_{side.value}", user_id)
    if len(reviews) == 2 or now >= completed + POLICY.reveal_after:
        reveal(session, order, reviews.values(), now)
    else:
        notify(session, order, "review_received", [review.subject_id])
    return review


def _count_in_rating(session: Session, review: Review, sign: int) -> None:
    """Add (``+1``) or take back (``-1``) a buyer review's stars in its gig's rating cache, by
    one atomic ``UPDATE`` so concurrent reveals never lose one another's stars."""
    if review.side == ReviewSide.BUYER.value:
        session.execute(
            update(Gig)
            .where(col(Gig.id) == review.gig_id)
            .values(rating_sum=col(Gig.rating_sum) + sign * review.overall, rating_count=col(Gig.rating_count) + sign)
        )


def reveal(session: Session, order: Order, reviews: Iterable[Review], now: datetime) -> int:
    """Make the hidden ones of ``reviews`` public now; the buyer's counts into the gig's rating.

    The cache is moved by one atomic ``UPDATE`` (``rating_sum + overall``), so reveals of two
    orders of the same gig never lose one another's stars.
    """
    hidden = [review for review in reviews if review.revealed_at is None]
    for review in hidden:
        review.revealed_at = now
        session.add(review)
        _count_in_rating(session, review, +1)
    if hidden:
        record(session, order, "reviews_revealed", None)
        notify(session, order, "review_revealed", [order.buyer_id, order.seller_id])
    return len(hidden)


def reveal_due(session: Session, *, order_id: int, now: datetime) -> bool:
    """The ``reviews`` job's step: reveal an order's hidden reviews once the reveal period is
    over; ``False`` when there is nothing (left) to reveal, so a second run does nothing."""
    order = locked(session, order_id)
    completed = completed_at(order) if order is not None else None
    if order is None or completed is None or completed + POLICY.reveal_after > now:
        return False
    return reveal(session, order, reviews_of(session, order_id).values(), now) > 0


def remove_review(session: Session, *, review_id: int, now: datetime) -> Review:
    """Take a public review down after a moderator upheld a report or an appeal (the caller
    checks the role); a buyer's stars leave the gig's rating by the same atomic ``UPDATE``.

    Raises:
        ReviewError: ``review.not_found`` (unknown, still hidden, or already removed).
    """
    review = session.exec(select(Review).where(Review.id == review_id).with_for_update()).first()
    if review is None or review.revealed_at is None or review.removed_at is not None:
        raise ReviewError("review.not_found")
    review.removed_at = now
    session.add(review)
    _count_in_rating(session, review, -1)
    return review


def reply_to_review(session: Session, *, order_id: int, user_id: int, text: object) -> Review:
    """The seller answers the buyer's revealed review of this order, publicly and once.

    Raises:
        ReviewError: ``review.order_not_found`` (not a party), ``review.reply_not_allowed``
            (the buyer), ``review.nothing_to_reply`` (no buyer review, or still hidden),
            ``review.already_replied``, ``review.invalid_reply``, ``review.markup``,
            ``review.hidden_characters``.
    """
    order, side = _party(session, order_id, user_id)
    if side is not ReviewSide.SELLER:
        raise ReviewError("review.reply_not_allowed")
    review = reviews_of(session, order_id).get(ReviewSide.BUYER)
    if review is None or review.revealed_at is None or review.removed_at is not None:
        raise ReviewError("review.nothing_to_reply")
    if review.replied_at is not None:
        raise ReviewError("review.already_replied")
    review.reply = plain_text(text, limit=POLICY.max_reply, key="review.invalid_reply", required=True)
    review.replied_at = clock.now()
    session.add(review)
    record(session, order, "review_replied", user_id)
    notify(session, order, "review_replied", [order.buyer_id])
    return review

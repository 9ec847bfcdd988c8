"""Posting, listing, answering, closing and removing buyer requests.

- A buyer posts at most five requests a day, in an active category; a contact in the
  description is masked like a message before an order (the original kept for moderators).
- The board shows a seller the open requests of the categories where they have an active gig
  (a gig in a sub-category sees its parent's requests too), newest first, never their own.
- A seller answers once per request, with a custom offer built on one of their active gigs in
  that category: the offer is posted in the buyer and seller's conversation (opened if needed),
  so the buyer can ask questions there, and it is accepted through ``app.offers`` like any
  offer; accepting it closes the request (``offers.accept_offer``).
- The buyer closes their request; a moderator removes one with a reason the buyer is told.

An open request whose time ran out is *expired* when read or acted on (``status_of``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from app.buyer_requests.errors import RequestError
from app.buyer_requests.inputs import RequestInput
from app.buyer_requests.policy import POLICY, RequestPolicy
from app.core import clock
from app.core.clock import as_utc
from app.core.money import Money
from app.core.text import has_hidden_characters
from app.messages import guard, start_conversation
from app.offers import OfferInput, send_offer, status_of as offer_status
from app.notifications import queue_notifications
from models.accounts import SellerProfile, User
from models.catalog import Category, Gig, GigStatus
from models.offers import CustomOffer, OfferStatus
from models.requests import BuyerRequest, RequestStatus


@dataclass(frozen=True)
class RequestCard:
    """A request as the board and the buyer's list show it."""

    id: int
    buyer_name: str
    category_ar: str
    category_en: str
    description: str
    budget: Money
    delivery_days: int
    status: RequestStatus
    created_at: datetime
    expires_at: datetime
    answers: int
    answered: bool  # the viewing seller has answered it
    removed_reason: str


@dataclass(frozen=True)
class RequestPage:
    cards: tuple[RequestCard, ...]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class Answer:
    """A seller's offer to a request, as the buyer compares them."""

    offer_id: int
    seller_name: str
    seller_level: str
    gig_id: int
    gig_title: str
    description: str
    price: Money
    delivery_days: int
    revisions: int
    status: OfferStatus
    conversation_id: int
    order_id: int | None


def status_of(request: BuyerRequest, now: datetime | None = None) -> RequestStatus:
    status = RequestStatus(request.status)
    if status is RequestStatus.OPEN and as_utc(request.expires_at) <= (now or clock.now()):
        return RequestStatus.EXPIRED
    return status


def post_request(session: Session, *, buyer_id: int, data: RequestInput, policy: RequestPolicy = POLICY) -> BuyerRequest:
    """Post a request.

    Raises:
        RequestError: ``request.invalid_category`` (none, or hidden), ``request.daily_limit``.
    """
    category = session.get(Category, data.category_id)
    if category is None or not category.is_active:
        raise RequestError("request.invalid_category")
    now = clock.now()
    posted = session.exec(
        select(func.count()).select_from(BuyerRequest).where(BuyerRequest.buyer_id == buyer_id, BuyerRequest.created_at > now - timedelta(days=1))
    ).one()
    if posted >= policy.per_day:
        raise RequestError("request.daily_limit", limit=policy.per_day)
    verdict = guard.inspect(data.description)
    shown = guard.mask(data.description, verdict) if verdict.has_contact else data.description
    request = BuyerRequest(
        buyer_id=buyer_id,
        category_id=category.id,  # type: ignore[arg-type]
        description=shown,
        raw_description=data.description if shown != data.description else "",
        budget_minor=data.budget_minor,
        delivery_days=data.delivery_days,
        created_at=now,
        expires_at=now + policy.lifetime,
    )
    session.add(request)
    session.flush()
    return request


def _seller_categories(session: Session, seller_id: int) -> set[int]:
    """The categories of the seller's active gigs, and their parents."""
    rows = session.exec(
        select(Category.id, Category.parent_id)
        .join(Gig, col(Gig.category_id) == Category.id)
        .where(Gig.seller_id == seller_id, Gig.status == GigStatus.ACTIVE.value)
    ).all()
    return {each for pair in rows for each in pair if each is not None}


def _page(session: Session, where: list, *, page: int, per_page: int, seller_id: int | None) -> RequestPage:  # type: ignore[type-arg]
    total = session.exec(select(func.count()).select_from(BuyerRequest).where(*where)).one()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = session.exec(
        select(BuyerRequest, User.name, Category.name_ar, Category.name_en)
        .join(User, col(User.id) == BuyerRequest.buyer_id)
        .join(Category, col(Category.id) == BuyerRequest.category_id)
        .where(*where)
        .order_by(col(BuyerRequest.id).desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    ids = [request.id for request, *_ in rows]
    answers = dict(
        session.exec(
            select(CustomOffer.request_id, func.count()).where(col(CustomOffer.request_id).in_(ids)).group_by(CustomOffer.request_id)
        ).all()
    )
    mine: set[int] = set()
    if seller_id is not None:
        mine = set(session.exec(select(CustomOffer.request_id).where(col(CustomOffer.request_id).in_(ids), CustomOffer.seller_id == seller_id)).all())  # type: ignore[arg-type]
    now = clock.now()
    cards = tuple(
        RequestCard(
            id=request.id,  # type: ignore[arg-type]
            buyer_name=name,
            category_ar=name_ar,
            category_en=name_en,
            description=request.description,
            budget=Money(request.budget_minor, request.currency),
            delivery_days=request.delivery_days,
            status=status_of(request, now),
            created_at=as_utc(request.created_at),
            expires_at=as_utc(request.expires_at),
            answers=answers.get(request.id, 0),
            answered=request.id in mine,
            removed_reason=request.removed_reason,
        )
        for request, name, name_ar, name_en in rows
    )
    return RequestPage(cards=cards, total=total, page=page, pages=pages)


def board(session: Session, *, seller_id: int | None, page: int = 1, everything: bool = False, policy: RequestPolicy = POLICY) -> RequestPage:
    """The open requests a seller may answer (``everything``: all open ones, for moderators)."""
    where = [BuyerRequest.status == RequestStatus.OPEN.value, BuyerRequest.expires_at > clock.now()]
    if not everything:
        categories = _seller_categories(session, seller_id) if seller_id is not None else set()
        where += [col(BuyerRequest.category_id).in_(categories), BuyerRequest.buyer_id != seller_id]
    return _page(session, where, page=page, per_page=policy.per_page, seller_id=seller_id)


def my_requests(session: Session, *, buyer_id: int, page: int = 1, policy: RequestPolicy = POLICY) -> RequestPage:
    """The buyer's own requests, every status, newest first."""
    return _page(session, [BuyerRequest.buyer_id == buyer_id], page=page, per_page=policy.per_page, seller_id=None)


def _owned(session: Session, request_id: object, buyer_id: int, *, lock: bool = False) -> BuyerRequest:
    if type(request_id) is not int or not 0 < request_id < 2**62:
        raise RequestError("request.not_found")
    query = select(BuyerRequest).where(BuyerRequest.id == request_id)
    found = session.exec(query.with_for_update() if lock else query).first()
    if found is None or found.buyer_id != buyer_id:
        raise RequestError("request.not_found")
    return found


def get_request(session: Session, *, request_id: object, buyer_id: int) -> tuple[RequestCard, tuple[Answer, ...]]:
    """The buyer's request and the offers that answer it, cheapest first.

    Raises:
        RequestError: ``request.not_found`` for anyone but its buyer.
    """
    request = _owned(session, request_id, buyer_id)
    [card] = _page(session, [BuyerRequest.id == request.id], page=1, per_page=1, seller_id=None).cards
    rows = session.exec(
        select(CustomOffer, User.name, SellerProfile.level, Gig.title)
        .join(User, col(User.id) == CustomOffer.seller_id)
        .join(SellerProfile, col(SellerProfile.user_id) == CustomOffer.seller_id, isouter=True)
        .join(Gig, col(Gig.id) == CustomOffer.gig_id)
        .where(CustomOffer.request_id == request.id)
        .order_by(col(CustomOffer.price_minor), col(CustomOffer.id))
    ).all()
    now = clock.now()
    answers = tuple(
        Answer(
            offer_id=offer.id,  # type: ignore[arg-type]
            seller_name=name,
            seller_level=level or "new",
            gig_id=offer.gig_id,
            gig_title=title,
            description=offer.description,
            price=Money(offer.price_minor, offer.currency),
            delivery_days=offer.delivery_days,
            revisions=offer.revisions,
            status=offer_status(offer, now),
            conversation_id=offer.conversation_id,
            order_id=offer.order_id,
        )
        for offer, name, level, title in rows
    )
    return card, answers


def answer_request(session: Session, *, request_id: object, seller_id: int, data: OfferInput) -> CustomOffer:
    """A seller's offer in answer to an open request (once per request).

    Raises:
        RequestError: ``request.not_found`` (no such open request, or one's own),
            ``request.closed``, ``request.wrong_category`` (the gig is in another category),
            ``request.answered``.
        OfferError / MessageError: the offer's own refusals (gig, daily limit, rate).
    """
    if type(request_id) is not int or not 0 < request_id < 2**62:
        raise RequestError("request.not_found")
    request = session.exec(select(BuyerRequest).where(BuyerRequest.id == request_id).with_for_update()).first()
    if request is None or request.buyer_id == seller_id or request.status == RequestStatus.REMOVED.value:
        raise RequestError("request.not_found")
    if status_of(request) is not RequestStatus.OPEN:
        raise RequestError("request.closed")
    gig = session.get(Gig, data.gig_id)
    if gig is None or gig.seller_id != seller_id or gig.status != GigStatus.ACTIVE.value:
        raise RequestError("request.wrong_category")
    category = session.get(Category, gig.category_id)
    if request.category_id not in {gig.category_id, category.parent_id if category else None}:
        raise RequestError("request.wrong_category")
    answered = session.exec(select(CustomOffer.id).where(CustomOffer.request_id == request.id, CustomOffer.seller_id == seller_id)).first()
    if answered is not None:
        raise RequestError("request.answered")
    conversation = start_conversation(session, buyer_id=request.buyer_id, gig_id=gig.id)
    try:
        with session.begin_nested():
            offer, _ = send_offer(session, conversation_id=conversation.id, seller_id=seller_id, data=data)
            offer.request_id = request.id
            session.add(offer)
            session.flush()
    except IntegrityError:  # a second tab of the same seller won the unique index
        raise RequestError("request.answered") from None
    return offer


def close_request(session: Session, *, request_id: object, buyer_id: int) -> BuyerRequest:
    """The buyer takes their open request off the board.

    Raises:
        RequestError: ``request.not_found``, ``request.closed``.
    """
    request = _owned(session, request_id, buyer_id, lock=True)
    if status_of(request) is not RequestStatus.OPEN:
        raise RequestError("request.closed")
    request.status, request.closed_at = RequestStatus.CLOSED.value, clock.now()
    session.add(request)
    session.flush()
    return request


def remove_request(session: Session, *, request_id: object, moderator_id: int, reason: object, policy: RequestPolicy = POLICY) -> BuyerRequest:
    """A moderator removes a request that breaks the rules; its buyer is told why.

    The caller checks the moderator role (the state does, from the session).

    Raises:
        RequestError: ``request.not_found``, ``request.invalid_reason``.
    """
    text = reason.strip() if isinstance(reason, str) else ""
    if not 3 <= len(text) <= policy.max_reason or has_hidden_characters(text):
        raise RequestError("request.invalid_reason", limit=policy.max_reason)
    if type(request_id) is not int or not 0 < request_id < 2**62:
        raise RequestError("request.not_found")
    request = session.exec(select(BuyerRequest).where(BuyerRequest.id == request_id).with_for_update()).first()
    if request is None or request.status == RequestStatus.REMOVED.value:
        raise RequestError("request.not_found")
    request.status, request.closed_at = RequestStatus.REMOVED.value, clock.now()
    request.removed_by, request.removed_reason = moderator_id, text
    session.add(request)
    session.flush()
    queue_notifications(session, "request_removed", [request.buyer_id], order_id=None)
    return request

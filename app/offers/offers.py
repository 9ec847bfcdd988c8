"""Sending and deciding custom offers.

A seller sends an offer in a conversation where they are the seller, built on one of their own
active gigs; its description goes through the contact guard like any message (masked before an
order), and the buyer is notified. The offer row is locked for every decision, so a double
click, two tabs, or the buyer accepting while the seller withdraws end with one outcome:

- accept (the buyer): places the unpaid order from the terms (``checkout.place_offer_order``)
  and returns it; accepting an offer already accepted by the same buyer returns the same order
  (the second click of a double click goes to the same checkout);
- decline (the buyer) and withdraw (the seller): only while pending.

A pending offer past its expiry is expired for everyone at once (``status_of``): no job has to
run for the buttons to stop working. Each decision writes a notice line into the conversation
(so the other party's open tab refreshes) and notifies the other party.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable

from sqlmodel import Session, col, func, select

from app.core import clock
from app.core.clock import as_utc
from app.core.money import Money
from app.messages import open_for_sending, post_notice, post_text
from app.messages.sending import Sent
from app.offers.errors import OfferError
from app.offers.inputs import OfferInput
from app.offers.policy import POLICY, OfferPolicy
from app.orders.checkout import CUSTOM_TIER, Terms, place_offer_order
from app.notifications import queue_notifications
from models.catalog import Gig, GigStatus
from models.messages import Message, MessageKind
from models.offers import CustomOffer, OfferStatus
from models.orders import Order
from models.requests import BuyerRequest, RequestStatus

NAME_LENGTH = 80  # the order's package name: the description's first line, cut


@dataclass(frozen=True)
class OfferTerms:
    """An offer as a thread shows it, with its status as of now."""

    id: int
    message_id: int
    gig_title: str
    price: Money
    delivery_days: int
    revisions: int
    status: OfferStatus
    expires_at: datetime
    order_id: int | None


def status_of(offer: CustomOffer, now: datetime | None = None) -> OfferStatus:
    """The offer's status now: a pending one past its expiry is expired."""
    status = OfferStatus(offer.status)
    if status is OfferStatus.PENDING and as_utc(offer.expires_at) <= (now or clock.now()):
        return OfferStatus.EXPIRED
    return status


def send_offer(session: Session, *, conversation_id: object, seller_id: int, data: OfferInput, policy: OfferPolicy = POLICY) -> tuple[CustomOffer, Sent]:
    """Post an offer to the buyer of the seller's conversation.

    Raises:
        MessageError: ``message.not_found`` (not a party), the message rate refusals.
        OfferError: ``offer.not_seller`` (the caller is the conversation's buyer),
            ``offer.invalid_gig`` (not the seller's active gig), ``offer.daily_limit``.
    """
    conversation = open_for_sending(session, conversation_id, seller_id)
    if conversation.seller_id != seller_id:
        raise OfferError("offer.not_seller")
    gig = session.get(Gig, data.gig_id)
    if gig is None or gig.seller_id != seller_id or gig.status != GigStatus.ACTIVE.value:
        raise OfferError("offer.invalid_gig")
    now = clock.now()
    sent_today = session.exec(
        select(func.count()).select_from(CustomOffer).where(CustomOffer.seller_id == seller_id, CustomOffer.created_at > now - timedelta(days=1))
    ).one()
    if sent_today >= policy.per_day:
        raise OfferError("offer.daily_limit", limit=policy.per_day)
    sent = post_text(session, conversation, seller_id, data.description, kind=MessageKind.OFFER, notify=False)
    offer = CustomOffer(
        conversation_id=conversation.id,  # type: ignore[arg-type]
        message_id=sent.message_id,
        seller_id=seller_id,
        buyer_id=conversation.buyer_id,
        gig_id=gig.id,  # type: ignore[arg-type]
        description=_shown(session, sent),
        price_minor=data.price_minor,
        delivery_days=data.delivery_days,
        revisions=data.revisions,
        created_at=now,
        expires_at=now + timedelta(days=data.expires_days),
    )
    session.add(offer)
    session.flush()
    queue_notifications(session, "offer_received", [conversation.buyer_id], order_id=None)
    return offer, sent


def _shown(session: Session, sent: Sent) -> str:
    """The description as the message shows it (masked when the guard masked a contact)."""
    return session.get(Message, sent.message_id).body  # type: ignore[union-attr]


def _locked(session: Session, offer_id: object, user_id: int) -> CustomOffer:
    """The offer, locked, if ``user_id`` is its buyer or seller; else ``offer.not_found``."""
    if type(offer_id) is not int or not 0 < offer_id < 2**62:
        raise OfferError("offer.not_found")
    offer = session.exec(select(CustomOffer).where(CustomOffer.id == offer_id).with_for_update()).first()
    if offer is None or user_id not in (offer.buyer_id, offer.seller_id):
        raise OfferError("offer.not_found")
    return offer


def _pending(offer: CustomOffer) -> None:
    status = status_of(offer)
    if status is OfferStatus.EXPIRED:
        raise OfferError("offer.expired")
    if status is not OfferStatus.PENDING:
        raise OfferError("offer.decided")


def _decide(session: Session, offer: CustomOffer, status: OfferStatus, actor_id: int, *, order_id: int | None = None) -> None:
    offer.status, offer.decided_at, offer.order_id = status.value, clock.now(), order_id
    session.add(offer)
    session.flush()
    post_notice(session, offer.conversation_id, actor_id, f"offers.notice_{status.value}")
    other = offer.seller_id if actor_id == offer.buyer_id else offer.buyer_id
    queue_notifications(session, f"offer_{status.value}", [other], order_id=order_id)


def accept_offer(session: Session, *, offer_id: object, buyer_id: int) -> Order:
    """The buyer accepts: the unpaid order placed from the offer (the same one on a second click).

    Raises:
        OfferError: ``offer.not_found``, ``offer.not_buyer``, ``offer.expired``, ``offer.decided``.
        OrderError: ``order.gig_unavailable`` (the gig was paused or removed since).
    """
    offer = _locked(session, offer_id, buyer_id)
    if offer.buyer_id != buyer_id:
        raise OfferError("offer.not_buyer")
    if offer.status == OfferStatus.ACCEPTED.value and offer.order_id is not None:
        return session.get(Order, offer.order_id)  # type: ignore[return-value]
    _pending(offer)
    terms = Terms(
        tier=CUSTOM_TIER,
        name=offer.description.splitlines()[0][:NAME_LENGTH],
        price=Money(offer.price_minor, offer.currency),
        quantity=1,
        delivery_days=offer.delivery_days,
        revisions=offer.revisions,
    )
    order = place_offer_order(session, buyer_id=buyer_id, gig_id=offer.gig_id, terms=terms, note=f"offer:{offer.id}")
    _decide(session, offer, OfferStatus.ACCEPTED, buyer_id, order_id=order.id)
    if offer.request_id is not None:
        _close_request(session, offer.request_id)
    return order


def _close_request(session: Session, request_id: int) -> None:
    """An accepted answer closes its buyer request (its other offers stay as ordinary offers)."""
    request = session.exec(select(BuyerRequest).where(BuyerRequest.id == request_id).with_for_update()).one()
    if request.status == RequestStatus.OPEN.value:
        request.status, request.closed_at = RequestStatus.CLOSED.value, clock.now()
        session.add(request)


def decline_offer(session: Session, *, offer_id: object, buyer_id: int) -> CustomOffer:
    """The buyer declines a pending offer.

    Raises:
        OfferError: ``offer.not_found``, ``offer.not_buyer``, ``offer.expired``, ``offer.decided``.
    """
    offer = _locked(session, offer_id, buyer_id)
    if offer.buyer_id != buyer_id:
        raise OfferError("offer.not_buyer")
    _pending(offer)
    _decide(session, offer, OfferStatus.DECLINED, buyer_id)
    return offer


def withdraw_offer(session: Session, *, offer_id: object, seller_id: int) -> CustomOffer:
    """The seller takes back a pending offer.

    Raises:
        OfferError: ``offer.not_found``, ``offer.not_seller``, ``offer.expired``, ``offer.decided``.
    """
    offer = _locked(session, offer_id, seller_id)
    if offer.seller_id != seller_id:
        raise OfferError("offer.not_seller")
    _pending(offer)
    _decide(session, offer, OfferStatus.WITHDRAWN, seller_id)
    return offer


def offers_in(session: Session, message_ids: Iterable[int]) -> dict[int, OfferTerms]:
    """The offers posted as these messages, by message id (a thread's offer cards)."""
    ids = list(message_ids)
    if not ids:
        return {}
    now = clock.now()
    rows = session.exec(
        select(CustomOffer, Gig.title).join(Gig, col(Gig.id) == CustomOffer.gig_id).where(col(CustomOffer.message_id).in_(ids))
    ).all()
    return {
        offer.message_id: OfferTerms(
            id=offer.id,  # type: ignore[arg-type]
            message_id=offer.message_id,  # type: ignore[arg-type]
            gig_title=title,
            price=Money(offer.price_minor, offer.currency),
            delivery_days=offer.delivery_days,
            revisions=offer.revisions,
            status=status_of(offer, now),
            expires_at=as_utc(offer.expires_at),
            order_id=offer.order_id,
        )
        for offer, title in rows
        if offer.message_id is not None
    }


def offerable_gigs(session: Session, seller_id: int) -> list[tuple[int, str]]:
    """The seller's active gigs an offer may be built on, as (id, title), newest first."""
    rows = session.exec(
        select(Gig.id, Gig.title).where(Gig.seller_id == seller_id, Gig.status == GigStatus.ACTIVE.value).order_by(col(Gig.id).desc())
    ).all()
    return [(gig_id, title) for gig_id, title in rows if gig_id is not None]

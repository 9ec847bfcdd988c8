"""Opening conversations and finding the caller's side of one.

A buyer opens a conversation with a seller from a gig («تواصل مع البائع») or from the seller's
profile: one per pair before any order (the partial unique index backs the lookup, so two tabs
racing to open it end with the same row). Each order has its own thread, created the first time
either party opens it (lazily: checkout never needs to know about messages). A stranger asking
for a conversation by id is told it does not exist, the same answer as for an id that is not
there; admins read threads only through the moderation queue.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.core import clock
from app.messages.errors import MessageError
from models.accounts import SellerProfile, User
from models.catalog import Gig, GigStatus
from models.messages import Conversation, ConversationMember
from models.orders import Order


def party(session: Session, conversation_id: object, user_id: int, *, lock: bool = False) -> Conversation:
    """The conversation if ``user_id`` is one of its two parties (locked with ``lock``).

    Raises:
        MessageError: ``message.not_found`` for anyone else, or an id that is not one.
    """
    if type(conversation_id) is not int or not 0 < conversation_id < 2**62:
        raise MessageError("message.not_found")
    query = select(Conversation).where(Conversation.id == conversation_id)
    found = session.exec(query.with_for_update() if lock else query).first()
    if found is None or user_id not in (found.buyer_id, found.seller_id):
        raise MessageError("message.not_found")
    return found


def other_party(conversation: Conversation, user_id: int) -> int:
    return conversation.seller_id if user_id == conversation.buyer_id else conversation.buyer_id


def _active_seller(session: Session, seller_id: int) -> User:
    seller = session.get(User, seller_id)
    profile = session.exec(select(SellerProfile).where(SellerProfile.user_id == seller_id)).first()
    if seller is None or not seller.is_active or profile is None:
        raise MessageError("message.seller_unavailable")
    return seller


def _create(session: Session, conversation: Conversation) -> Conversation | None:
    """Insert with both members; None when a racing twin won the unique index."""
    try:
        with session.begin_nested():
            session.add(conversation)
            session.flush()
            for member in (conversation.buyer_id, conversation.seller_id):
                session.add(ConversationMember(conversation_id=conversation.id, user_id=member))  # type: ignore[arg-type]
            session.flush()
    except IntegrityError:
        return None
    return conversation


def start_conversation(session: Session, *, buyer_id: int, gig_id: int | None = None, seller_key: int | None = None) -> Conversation:
    """The buyer's conversation with the seller of ``gig_id`` (an active gig) or with the seller
    ``seller_key`` (an active seller); an existing one is returned as it is.

    Raises:
        MessageError: ``message.seller_unavailable`` (no such gig or seller, or not active),
            ``message.not_yourself``.
    """
    if gig_id is not None:
        gig = session.get(Gig, gig_id) if type(gig_id) is int and 0 < gig_id < 2**62 else None
        if gig is None or gig.status != GigStatus.ACTIVE.value:
            raise MessageError("message.seller_unavailable")
        seller_id = gig.seller_id
    elif type(seller_key) is int and 0 < seller_key < 2**62:
        seller_id = seller_key
    else:
        raise MessageError("message.seller_unavailable")
    if seller_id == buyer_id:
        raise MessageError("message.not_yourself")
    _active_seller(session, seller_id)
    pair = select(Conversation).where(
        Conversation.buyer_id == buyer_id, Conversation.seller_id == seller_id, Conversation.order_id.is_(None)  # type: ignore[union-attr]
    )
    found = session.exec(pair).first()
    if found is not None:
        return found
    made = _create(session, Conversation(buyer_id=buyer_id, seller_id=seller_id, gig_id=gig_id, created_at=clock.now()))
    return made if made is not None else session.exec(pair).one()


def order_thread(session: Session, *, order_id: int, user_id: int) -> Conversation:
    """The thread of an order for one of its parties, created on first use.

    Raises:
        MessageError: ``message.not_found`` for anyone who is not the order's buyer or seller.
    """
    order = session.get(Order, order_id) if type(order_id) is int and 0 < order_id < 2**62 else None
    if order is None or user_id not in (order.buyer_id, order.seller_id):
        raise MessageError("message.not_found")
    query = select(Conversation).where(Conversation.order_id == order_id)
    found = session.exec(query).first()
    if found is not None:
        return found
    thread = Conversation(buyer_id=order.buyer_id, seller_id=order.seller_id, gig_id=order.gig_id, order_id=order_id, created_at=clock.now())
    made = _create(session, thread)
    return made if made is not None else session.exec(query).one()

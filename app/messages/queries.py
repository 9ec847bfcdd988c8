"""Reading: my conversations (newest first, with unread counts, paged in SQL), search in them,
one thread with read receipts, marking read, and the cheap "anything new?" signature the open
messages page polls.

Unread counts come from the member rows: a conversation waits for me when its newest message
id is past my read marker (my own messages move my marker, so they never count); the number of
unread messages in a thread is a range count on ``(conversation_id, id)``. Search folds the
query with the search analyzer's ``normalize`` (أ/ا/إ, ى/ي, ة/ه, tashkeel, Arabic-Indic digits),
so «اعلان» finds «إعلان»: message text through the folded copy each message keeps, the other
party's name folded in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_
from sqlmodel import Session, col, func, select

from app.messages.conversations import other_party, party
from app.messages.policy import POLICY
from app.notifications.inbox import mark_thread_read
from app.notifications.kinds import MESSAGE
from app.search.analyzer import normalize
from models.accounts import User
from models.catalog import Gig
from models.messages import Conversation, ConversationMember, Message, MessageFile

PREVIEW = 90
MAX_QUERY = 100


@dataclass(frozen=True)
class ConversationRow:
    id: int
    other_name: str
    about: str  # the gig's title, or the order's number
    order_id: int | None
    last_body: str
    last_kind: str
    last_from_me: bool
    last_at: datetime | None
    unread: int


@dataclass(frozen=True)
class ConversationPage:
    rows: tuple[ConversationRow, ...]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class MessageLine:
    id: int
    mine: bool
    kind: str
    body: str
    guard: str
    file_token: str
    file_name: str
    file_mime: str
    file_size: int
    duration_ms: int
    created_at: datetime
    read: bool  # mine, and the other party has read it


@dataclass(frozen=True)
class Thread:
    id: int
    other_name: str
    about: str
    order_id: int | None
    gig_id: int | None
    lines: tuple[MessageLine, ...]
    other_read_id: int
    i_sell: bool  # the viewer is the conversation's seller (who may send custom offers)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _about(session: Session, conversation: Conversation) -> str:
    if conversation.order_id is not None:
        return f"#{conversation.order_id}"
    gig = session.get(Gig, conversation.gig_id) if conversation.gig_id else None
    return gig.title if gig is not None else ""


def unread_conversations(session: Session, *, user_id: int) -> int:
    """How many of my conversations have a message I have not read (the header's badge)."""
    return session.exec(
        select(func.count())
        .select_from(ConversationMember)
        .where(ConversationMember.user_id == user_id, ConversationMember.last_message_id > ConversationMember.last_read_message_id)
    ).one()


def signature(session: Session, *, user_id: int, conversation_id: int | None = None) -> tuple[int, int]:
    """What changes when anything the messages page shows changes: my newest message id across
    conversations (one indexed max), and the other party's read marker in the open thread."""
    newest = session.exec(select(func.max(ConversationMember.last_message_id)).where(ConversationMember.user_id == user_id)).one() or 0
    read = 0
    if conversation_id is not None:
        read = session.exec(
            select(func.max(ConversationMember.last_read_message_id)).where(
                ConversationMember.conversation_id == conversation_id, ConversationMember.user_id != user_id
            )
        ).one() or 0
    return newest, read


def _matching_ids(session: Session, user_id: int, query: str) -> list[int]:
    """My conversations whose other party's name or any message matches ``query`` (folded)."""
    needle = normalize(query.strip())[:MAX_QUERY]
    if not needle:
        return []
    mine = select(ConversationMember.conversation_id).where(ConversationMember.user_id == user_id)
    by_text = session.exec(
        select(Message.conversation_id)
        .where(col(Message.conversation_id).in_(mine), col(Message.search_text).like(f"%{_escape_like(needle)}%", escape="\\"))
        .distinct()
    ).all()
    pairs = session.exec(
        select(Conversation.id, User.name)
        .join(User, or_(and_(Conversation.buyer_id == user_id, User.id == Conversation.seller_id), and_(Conversation.seller_id == user_id, User.id == Conversation.buyer_id)))
        .where(col(Conversation.id).in_(mine))
    ).all()
    by_name = [conversation_id for conversation_id, name in pairs if needle in normalize(name)]
    return sorted(set(by_text) | set(by_name))


def list_conversations(session: Session, *, user_id: int, page: int = 1, query: str = "", per_page: int = POLICY.conversations_per_page) -> ConversationPage:
    """One page of my conversations, newest message first, each with its unread count."""
    where = [ConversationMember.user_id == user_id, ConversationMember.last_message_id > 0]
    if query.strip():
        where.append(col(ConversationMember.conversation_id).in_(_matching_ids(session, user_id, query)))
    total = session.exec(select(func.count()).select_from(ConversationMember).where(*where)).one()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    members = session.exec(
        select(ConversationMember)
        .where(*where)
        .order_by(col(ConversationMember.last_message_id).desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    ids = [member.conversation_id for member in members]
    unread = dict(
        session.exec(
            select(Message.conversation_id, func.count())
            .join(ConversationMember, and_(ConversationMember.conversation_id == Message.conversation_id, ConversationMember.user_id == user_id))
            .where(col(Message.conversation_id).in_(ids), Message.id > ConversationMember.last_read_message_id, Message.sender_id != user_id)  # type: ignore[operator]
            .group_by(Message.conversation_id)
        ).all()
    )
    rows = []
    for member in members:
        conversation = session.get(Conversation, member.conversation_id)
        last = session.get(Message, member.last_message_id)
        if conversation is None or last is None:
            continue
        other = session.get(User, other_party(conversation, user_id))
        body = last.body if len(last.body) <= PREVIEW else last.body[: PREVIEW - 1] + "…"
        rows.append(
            ConversationRow(
                id=conversation.id,  # type: ignore[arg-type]
                other_name=other.name if other else "",
                about=_about(session, conversation),
                order_id=conversation.order_id,
                last_body=body,
                last_kind=last.kind,
                last_from_me=last.sender_id == user_id,
                last_at=last.created_at,
                unread=unread.get(conversation.id, 0),
            )
        )
    return ConversationPage(rows=tuple(rows), total=total, page=page, pages=pages)


def lines_of(session: Session, conversation_id: int, *, viewer_id: int | None, other_read_id: int, limit: int, up_to: int | None = None) -> tuple[MessageLine, ...]:
    """The newest ``limit`` messages of a conversation (up to message ``up_to``), oldest first."""
    query = select(Message, MessageFile).outerjoin(MessageFile, MessageFile.id == Message.file_id).where(Message.conversation_id == conversation_id)  # type: ignore[arg-type]
    if up_to is not None:
        query = query.where(Message.id <= up_to)  # type: ignore[operator]
    found = session.exec(query.order_by(col(Message.id).desc()).limit(limit)).all()
    return tuple(
        MessageLine(
            id=message.id,  # type: ignore[arg-type]
            mine=message.sender_id == viewer_id,
            kind=message.kind,
            body=message.body,
            guard=message.guard,
            file_token=stored.token if stored else "",
            file_name=stored.name if stored else "",
            file_mime=stored.mime if stored else "",
            file_size=stored.size_bytes if stored else 0,
            duration_ms=stored.duration_ms if stored else 0,
            created_at=message.created_at,
            read=message.sender_id == viewer_id and message.id <= other_read_id,  # type: ignore[operator]
        )
        for message, stored in reversed(found)
    )


def get_thread(session: Session, *, conversation_id: object, user_id: int, limit: int = POLICY.thread_length) -> Thread:
    """A conversation for one of its parties: the newest messages and whether the other has read mine.

    Raises:
        MessageError: ``message.not_found`` for anyone else.
    """
    conversation = party(session, conversation_id, user_id)
    other_id = other_party(conversation, user_id)
    other = session.get(User, other_id)
    other_member = session.exec(
        select(ConversationMember).where(ConversationMember.conversation_id == conversation.id, ConversationMember.user_id == other_id)
    ).first()
    other_read = other_member.last_read_message_id if other_member else 0
    return Thread(
        id=conversation.id,  # type: ignore[arg-type]
        other_name=other.name if other else "",
        about=_about(session, conversation),
        order_id=conversation.order_id,
        gig_id=conversation.gig_id,
        lines=lines_of(session, conversation.id, viewer_id=user_id, other_read_id=other_read, limit=limit),  # type: ignore[arg-type]
        other_read_id=other_read,
        i_sell=conversation.seller_id == user_id,
    )


def mark_read(session: Session, *, conversation_id: object, user_id: int) -> int:
    """Move my read marker to the newest message; returns it.

    Raises:
        MessageError: ``message.not_found`` for anyone who is not a party.
    """
    conversation = party(session, conversation_id, user_id)
    member = session.exec(
        select(ConversationMember).where(ConversationMember.conversation_id == conversation.id, ConversationMember.user_id == user_id)
    ).one()
    if member.last_read_message_id < conversation.last_message_id:
        member.last_read_message_id = conversation.last_message_id
        session.add(member)
        # the bell's «رسالة جديدة» of this thread is read too (and will not be mailed)
        mark_thread_read(session, user_id=user_id, kind=MESSAGE, order_id=conversation.order_id)
        session.flush()
    return member.last_read_message_id

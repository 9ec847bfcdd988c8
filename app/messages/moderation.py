"""The contact flags in the moderation queue: list them with their conversation, and decide.

A flag is read with the messages around the attempt that raised it (what was typed, unmasked,
for judging a false alarm). A moderator dismisses it (a false alarm), warns the sender (a
«تنبيه» notification, the flag closed as warned), or marks it actioned with a note of what was
done. Nothing here bans or mutes anyone: the guard never does either, and a moderator who
decides to suspend an account does it where accounts are managed, saying so in the note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from app.core import clock
from app.core.text import has_hidden_characters
from app.messages.errors import MessageError
from app.notifications import queue_notifications
from models.accounts import Role, User
from models.messages import ContactFlag, Conversation, FlagStatus, Message

CONTEXT = 6  # messages before the flagged one
DECISIONS = {"dismiss": FlagStatus.DISMISSED, "warn": FlagStatus.WARNED, "action": FlagStatus.ACTIONED}
MAX_NOTE = 500
WARNING = "contact_warning"


@dataclass(frozen=True)
class ContextLine:
    sender_name: str
    flagged_sender: bool
    text: str  # what was typed (the original of a masked message)
    kind: str
    guard: str
    created_at: datetime
    is_the_attempt: bool


@dataclass(frozen=True)
class FlagView:
    id: int
    sender_name: str
    other_name: str
    kinds: tuple[str, ...]
    attempts: int
    created_at: datetime
    order_id: int | None
    context: tuple[ContextLine, ...]


def _staff(session: Session, user_id: int) -> None:
    user = session.get(User, user_id)
    if user is None or not user.is_active or user.role not in (Role.ADMIN.value, Role.MODERATOR.value):
        raise MessageError("message.not_found")


def count_open_flags(session: Session) -> int:
    return session.exec(select(func.count()).select_from(ContactFlag).where(ContactFlag.status == FlagStatus.OPEN.value)).one()


def list_open_flags(session: Session, *, moderator_id: int, limit: int = 20, offset: int = 0) -> list[FlagView]:
    """Open flags, oldest first, each with the conversation around its attempt.

    Raises:
        MessageError: ``message.not_found`` unless ``moderator_id`` is a moderator or an admin.
    """
    _staff(session, moderator_id)
    flags = session.exec(
        select(ContactFlag).where(ContactFlag.status == FlagStatus.OPEN.value).order_by(col(ContactFlag.created_at), col(ContactFlag.id)).offset(offset).limit(limit)
    ).all()
    views = []
    for flag in flags:
        conversation = session.get(Conversation, flag.conversation_id)
        if conversation is None:
            continue
        names = {user.id: user.name for user in session.exec(select(User).where(col(User.id).in_([conversation.buyer_id, conversation.seller_id])))}
        around = session.exec(
            select(Message).where(Message.conversation_id == conversation.id, Message.id <= flag.message_id).order_by(col(Message.id).desc()).limit(CONTEXT + 1)
        ).all()
        context = tuple(
            ContextLine(
                sender_name=names.get(message.sender_id, ""),
                flagged_sender=message.sender_id == flag.user_id,
                text=message.raw_body or message.body,
                kind=message.kind,
                guard=message.guard,
                created_at=message.created_at,
                is_the_attempt=message.id == flag.message_id,
            )
            for message in reversed(around)
        )
        other = conversation.seller_id if flag.user_id == conversation.buyer_id else conversation.buyer_id
        views.append(
            FlagView(
                id=flag.id,  # type: ignore[arg-type]
                sender_name=names.get(flag.user_id, ""),
                other_name=names.get(other, ""),
                kinds=tuple(filter(None, flag.kinds.split(","))),
                attempts=flag.attempts,
                created_at=flag.created_at,
                order_id=conversation.order_id,
                context=context,
            )
        )
    return views


def decide_flag(session: Session, *, flag_id: object, moderator_id: int, decision: object, note: object = "") -> ContactFlag:
    """Close an open flag: ``dismiss``, ``warn`` (the sender is notified) or ``action``.

    Raises:
        MessageError: ``message.not_found`` (not staff, no such open flag),
            ``message.invalid_decision``, ``message.invalid_note``.
    """
    _staff(session, moderator_id)
    if not isinstance(decision, str) or decision not in DECISIONS:
        raise MessageError("message.invalid_decision")
    if not isinstance(note, str) or len(note.strip()) > MAX_NOTE or has_hidden_characters(note):
        raise MessageError("message.invalid_note", limit=MAX_NOTE)
    if type(flag_id) is not int or not 0 < flag_id < 2**62:
        raise MessageError("message.not_found")
    flag = session.exec(select(ContactFlag).where(ContactFlag.id == flag_id).with_for_update()).first()
    if flag is None or flag.status != FlagStatus.OPEN.value:
        raise MessageError("message.not_found")
    flag.status = DECISIONS[decision].value
    flag.note = note.strip()
    flag.decided_at = clock.now()
    flag.decided_by = moderator_id
    session.add(flag)
    if decision == "warn":
        conversation = session.get(Conversation, flag.conversation_id)
        queue_notifications(session, WARNING, [flag.user_id], order_id=conversation.order_id if conversation else None)
    session.flush()
    return flag

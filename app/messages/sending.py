"""Sending: text, attachments and voice notes, through one path that checks, guards and records.

Every send locks the conversation row (so two tabs of one sender, or both parties at once,
number the thread and move the members' markers in order), checks the sender is a party,
checks the sender's rate (20 a minute, 300 a day across all conversations), then writes the
message, moves both members' ``last_message_id`` (the sender has read their own message) and
queues one «رسالة جديدة» notification for the other party unless one is still unread.

Text is plain text: stripped, at most 5000 characters, line breaks kept. Markup is **not**
refused: ``<b>`` is a thing people type, and it is stored as typed and always shown as text
(Reflex escapes it; nothing renders a message as HTML). Control characters, lone surrogates and
bidi overrides are refused, since they can make a message read differently from what it holds.

The contact guard (``guard.py``) reads every text message. Before an order exists the contact
is masked in what is stored and shown (the original kept in ``raw_body`` for moderators), and
the sender is told why. In an order's thread nothing is masked (the work may need a brand's
site or a reference link) and the sender is still warned; links alone there are not counted
against them, but phone numbers, e-mails, handles and hints are. When a sender's counted
messages reach three within 24 hours, a flag opens for moderators (or the open one grows).
Nobody is banned or muted by the guard: a moderator decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, func, select

from app.core import clock
from app.core.text import has_hidden_characters, tidy
from app.messages import files, guard
from app.messages.conversations import other_party, party
from app.messages.errors import MessageError
from app.messages.policy import POLICY, MessagePolicy
from app.notifications import queue_notifications
from app.notifications.kinds import MESSAGE
from app.search.analyzer import normalize
from models.messages import ContactFlag, Conversation, ConversationMember, FlagStatus, Message, MessageKind
from models.orders import Notification

NOTIFICATION = MESSAGE


@dataclass(frozen=True)
class Sent:
    """The stored message and what the guard said (``warned``: show the sender the warning)."""

    message_id: int
    masked: bool
    warned: bool
    kinds: tuple[str, ...]


def clean_body(value: object, policy: MessagePolicy = POLICY, *, required: bool = True) -> str:
    """A message's text as stored: plain text within the length cap.

    Raises:
        MessageError: ``message.empty``, ``message.too_long``, ``message.hidden_characters``.
    """
    if not isinstance(value, str):
        raise MessageError("message.empty")
    if len(value) > policy.max_body * 4:
        raise MessageError("message.too_long", limit=policy.max_body)
    if has_hidden_characters(value.replace("\r", "\n")):
        raise MessageError("message.hidden_characters")
    text = tidy(value)
    if required and not text:
        raise MessageError("message.empty")
    if len(text) > policy.max_body:
        raise MessageError("message.too_long", limit=policy.max_body)
    return text


def _check_rate(session: Session, sender_id: int, policy: MessagePolicy) -> None:
    now = clock.now()
    for window, limit, key in ((timedelta(minutes=1), policy.per_minute, "message.slow_down"), (timedelta(days=1), policy.per_day, "message.daily_limit")):
        sent = session.exec(
            select(func.count()).select_from(Message).where(Message.sender_id == sender_id, Message.created_at > now - window)
        ).one()
        if sent >= limit:
            raise MessageError(key, limit=limit)


def open_for_sending(session: Session, conversation_id: object, sender_id: int, policy: MessagePolicy = POLICY) -> Conversation:
    """The conversation, locked, when ``sender_id`` is a party within their rate.

    Raises:
        MessageError: ``message.not_found``, ``message.slow_down``, ``message.daily_limit``.
    """
    conversation = party(session, conversation_id, sender_id, lock=True)
    _check_rate(session, sender_id, policy)
    return conversation


def _counted(kinds: tuple[str, ...], in_order: bool) -> tuple[str, ...]:
    """The kinds that count towards a flag: all of them before an order, all but links in one."""
    return tuple(kind for kind in kinds if not (in_order and kind == guard.LINK))


def _record(session: Session, conversation: Conversation, sender_id: int, message: Message, *, notify: bool = True) -> Message:
    session.add(message)
    session.flush()
    assert message.id is not None
    conversation.last_message_id = message.id
    conversation.last_message_at = message.created_at
    session.add(conversation)
    members = session.exec(select(ConversationMember).where(ConversationMember.conversation_id == conversation.id)).all()
    for member in members:
        member.last_message_id = message.id
        if member.user_id == sender_id:
            member.last_read_message_id = message.id
        session.add(member)
    if notify:
        _notify_once(session, conversation, other_party(conversation, sender_id))
    session.flush()
    return message


def _notify_once(session: Session, conversation: Conversation, recipient: int) -> None:
    """One «رسالة جديدة» for the recipient until they read it (per order thread, or outside orders)."""
    waiting = session.exec(
        select(Notification.id).where(
            Notification.user_id == recipient,
            Notification.kind == NOTIFICATION,
            Notification.read_at.is_(None),  # type: ignore[union-attr]
            Notification.order_id == conversation.order_id if conversation.order_id else Notification.order_id.is_(None),  # type: ignore[union-attr]
        )
    ).first()
    if waiting is None:
        queue_notifications(session, NOTIFICATION, [recipient], order_id=conversation.order_id)


def _flag_if_repeated(session: Session, conversation: Conversation, sender_id: int, message: Message, policy: MessagePolicy) -> None:
    since = clock.now() - policy.flag_window
    guards = session.exec(select(Message.guard).where(Message.sender_id == sender_id, Message.guard != "", Message.created_at > since)).all()
    attempts = len(guards)
    if attempts < policy.flag_after:
        return
    flag = session.exec(
        select(ContactFlag).where(ContactFlag.user_id == sender_id, ContactFlag.status == FlagStatus.OPEN.value).with_for_update()
    ).first()
    if flag is None:
        flag = ContactFlag(user_id=sender_id, conversation_id=conversation.id, message_id=message.id, created_at=clock.now())  # type: ignore[arg-type]
    kinds = dict.fromkeys(kind for text in (flag.kinds, *guards) for kind in text.split(",") if kind)
    flag.kinds = ",".join(kinds)[:120]
    flag.attempts = attempts
    flag.conversation_id, flag.message_id = conversation.id, message.id  # type: ignore[assignment]
    session.add(flag)
    session.flush()


def send_message(session: Session, *, conversation_id: object, sender_id: int, body: object, policy: MessagePolicy = POLICY) -> Sent:
    """Send a text message.

    Raises:
        MessageError: ``message.not_found``, ``message.slow_down``, ``message.daily_limit``,
            ``message.empty``, ``message.too_long``, ``message.hidden_characters``.
    """
    text = clean_body(body, policy)
    conversation = open_for_sending(session, conversation_id, sender_id, policy)
    return post_text(session, conversation, sender_id, text, policy=policy)


def post_text(
    session: Session, conversation: Conversation, sender_id: int, text: str, *, kind: MessageKind = MessageKind.TEXT, notify: bool = True, policy: MessagePolicy = POLICY
) -> Sent:
    """Write a clean ``text`` into a conversation opened by ``open_for_sending``, through the
    contact guard (an offer's description goes this way too, so it cannot carry a phone number;
    the offer queues its own notification, hence ``notify``)."""
    in_order = conversation.order_id is not None
    verdict = guard.inspect(text)
    masked = verdict.has_contact and not in_order
    shown = guard.mask(text, verdict) if masked else text
    counted = _counted(verdict.kinds, in_order)
    message = Message(
        conversation_id=conversation.id,  # type: ignore[arg-type]
        sender_id=sender_id,
        kind=kind.value,
        body=shown,
        raw_body=text if masked else "",
        search_text=normalize(shown),
        guard=",".join(counted),
        created_at=clock.now(),
    )
    _record(session, conversation, sender_id, message, notify=notify)
    if counted:
        _flag_if_repeated(session, conversation, sender_id, message, policy)
    return Sent(message_id=message.id, masked=masked, warned=verdict.flagged, kinds=verdict.kinds)  # type: ignore[arg-type]


def post_notice(session: Session, conversation_id: int, actor_id: int, key: str) -> None:
    """Write a platform line («قُبل العرض») into a conversation, from ``actor_id``'s side.

    It moves the thread's newest message, so the other party's open tab refreshes and sees what
    changed; the caller queues the notification that says it, so none is queued here.
    """
    conversation = session.exec(select(Conversation).where(Conversation.id == conversation_id).with_for_update()).one()
    message = Message(conversation_id=conversation_id, sender_id=actor_id, kind=MessageKind.NOTICE.value, body=key, created_at=clock.now())
    _record(session, conversation, actor_id, message, notify=False)


def _send_file(session: Session, *, conversation_id: object, sender_id: int, kind: MessageKind, filename: object, data: bytes, checked: files.Checked, policy: MessagePolicy) -> Sent:
    conversation = open_for_sending(session, conversation_id, sender_id, policy)
    stored = files.store(session, conversation=conversation, user_id=sender_id, filename=str(filename or ""), data=data, checked=checked)
    message = Message(
        conversation_id=conversation.id,  # type: ignore[arg-type]
        sender_id=sender_id,
        kind=kind.value,
        body=stored.name if kind is MessageKind.FILE else "",
        search_text=normalize(stored.name) if kind is MessageKind.FILE else "",
        file_id=stored.id,
        created_at=clock.now(),
    )
    _record(session, conversation, sender_id, message)
    return Sent(message_id=message.id, masked=False, warned=False, kinds=())  # type: ignore[arg-type]


def send_attachment(session: Session, *, conversation_id: object, sender_id: int, filename: object, data: object, policy: MessagePolicy = POLICY) -> Sent:
    """Send a file (a picture, a PDF, audio, or a ZIP of audio) as a message.

    Raises:
        MessageError: the party and rate refusals of ``send_message``, ``message.file_empty``,
            ``message.file_too_large``, ``message.file_type``.
    """
    checked = files.check_attachment(data, policy)
    return _send_file(session, conversation_id=conversation_id, sender_id=sender_id, kind=MessageKind.FILE, filename=filename, data=bytes(data), checked=checked, policy=policy)  # type: ignore[arg-type]


def send_voice(session: Session, *, conversation_id: object, sender_id: int, data: object, policy: MessagePolicy = POLICY) -> Sent:
    """Send a voice note recorded in the browser.

    Raises:
        MessageError: the party and rate refusals of ``send_message``, ``message.file_empty``,
            ``message.voice_too_large``, ``message.voice_type``, ``message.voice_too_long``.
    """
    checked = files.check_voice(data, policy)
    extension = {"audio/webm": "webm", "audio/ogg": "ogg", "audio/mpeg": "mp3", "audio/wav": "wav", "audio/mp4": "m4a"}.get(checked.mime, "audio")
    return _send_file(session, conversation_id=conversation_id, sender_id=sender_id, kind=MessageKind.VOICE, filename=f"voice.{extension}", data=bytes(data), checked=checked, policy=policy)  # type: ignore[arg-type]


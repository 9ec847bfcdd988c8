"""Design overview: conversations between a buyer and a seller, their messages and files, and the
contact guard's flags for moderators.

A ``Conversation`` joins one buyer and one seller. Before an order it is unique per pair (a
partial unique index on ``(buyer_id, seller_id)`` where ``order_id`` is NULL) and remembers the
gig it was started from; each order has its own thread (``order_id`` unique). Each party has a
``ConversationMember`` row: their read marker (``last_read_message_id``, for unread counts and
read receipts) and a copy of the thread's newest message id, so "my conversations, newest
first" and "how many threads wait for me" are one indexed range on ``(user_id,
last_message_id)``.

A ``Message`` has a ``kind`` (text, file, voice, offer — its terms in ``models/offers.py`` —
and notice, a line the platform writes when an offer is decided) and a plain-text ``body``: never markup, shown
as text. When the contact guard masked a contact before an order existed, ``body`` holds the
masked text everyone sees and ``raw_body`` the original, read only by moderation; ``guard``
names what was detected. ``MessageFile`` rows are private files (attachments, voice notes) in
``$MIHAN_DATA_DIR/private/messages/<conversation>/``. ``ContactFlag`` rows are repeated
attempts to take the deal off the platform, waiting for a moderator.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class MessageKind(StrEnum):
    TEXT = "text"
    FILE = "file"
    VOICE = "voice"
    OFFER = "offer"  # a custom offer: ``body`` is its description, the terms are in ``custom_offer``
    NOTICE = "notice"  # something that happened (an offer accepted…): ``body`` is a catalogue key


class FlagStatus(StrEnum):
    OPEN = "open"
    DISMISSED = "dismissed"  # a false alarm
    WARNED = "warned"  # the sender was warned by a moderator
    ACTIONED = "actioned"  # something more was done (recorded in the note)


class Conversation(SQLModel, table=True):
    __tablename__ = "conversation"
    __table_args__ = (
        sa.Index(
            "uq_conversation_pair_before_order",
            "buyer_id",
            "seller_id",
            unique=True,
            sqlite_where=sa.text("order_id IS NULL"),
            postgresql_where=sa.text("order_id IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    buyer_id: int = Field(foreign_key="user_account.id")
    seller_id: int = Field(foreign_key="user_account.id", index=True)
    gig_id: int | None = Field(default=None, foreign_key="gig.id")  # where the first contact came from
    order_id: int | None = Field(default=None, foreign_key="gig_order.id", sa_column_kwargs={"unique": True})
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    last_message_id: int = Field(default=0)
    last_message_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class ConversationMember(SQLModel, table=True):
    """One party of a conversation: their read marker and the thread's newest message id."""

    __tablename__ = "conversation_member"
    __table_args__ = (
        sa.UniqueConstraint("conversation_id", "user_id", name="uq_conversation_member_pair"),
        sa.Index("ix_conversation_member_user_last", "user_id", "last_message_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id")
    user_id: int = Field(foreign_key="user_account.id")
    last_read_message_id: int = Field(default=0)
    last_message_id: int = Field(default=0)


class MessageFile(SQLModel, table=True):
    """An attachment or a voice note, kept in private storage under a random token."""

    __tablename__ = "message_file"

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    uploaded_by: int = Field(foreign_key="user_account.id")
    token: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    name: str = Field(max_length=200)
    mime: str = Field(max_length=80)
    size_bytes: int = Field(default=0)
    duration_ms: int = Field(default=0)  # audio only
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class Message(SQLModel, table=True):
    __tablename__ = "message"
    __table_args__ = (
        sa.Index("ix_message_conversation_id_id", "conversation_id", "id"),
        sa.Index("ix_message_sender_created", "sender_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id")
    sender_id: int = Field(foreign_key="user_account.id")
    kind: str = Field(default=MessageKind.TEXT.value, max_length=16)
    body: str = Field(default="", sa_type=sa.Text)  # plain text as shown (masked when the guard masked)
    raw_body: str = Field(default="", sa_type=sa.Text)  # what was typed, only when masked (moderators)
    search_text: str = Field(default="", sa_type=sa.Text)  # ``body`` folded by the search analyzer
    guard: str = Field(default="", max_length=120)  # the kinds of contact detected, comma-separated
    file_id: int | None = Field(default=None, foreign_key="message_file.id")
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class ContactFlag(SQLModel, table=True):
    """Repeated attempts by one sender to share a contact, for a moderator to look at."""

    __tablename__ = "contact_flag"
    __table_args__ = (
        sa.Index("ix_contact_flag_status_created", "status", "created_at"),
        sa.Index("ix_contact_flag_user_status", "user_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id")
    conversation_id: int = Field(foreign_key="conversation.id")
    message_id: int = Field(foreign_key="message.id")  # the attempt that raised (or last raised) it
    kinds: str = Field(default="", max_length=120)
    attempts: int = Field(default=0)
    status: str = Field(default=FlagStatus.OPEN.value, max_length=16)
    note: str = Field(default="", max_length=500)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    decided_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    decided_by: int | None = Field(default=None, foreign_key="user_account.id")

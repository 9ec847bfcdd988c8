"""Design overview: buyer requests (طلبات الخدمات) — a buyer describes a need, sellers answer with offers.

A buyer posts what they need in a category, with a budget and how many days they can wait. It
is ``open`` on the board of the sellers who have an active gig in that category until it is
``closed`` (the buyer accepted one of its offers, or closed it), ``removed`` by a moderator, or
its time runs out (``expires_at``; *expired* is computed when read, like an offer's). A seller
answers once per request: the answer is a custom offer (``models/offers.py``) with
``request_id`` set, posted in the buyer and seller's conversation, so accepting it is the same
path as any offer (an unpaid order, then checkout) and it closes the request.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class RequestStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"  # an offer was accepted, or the buyer closed it
    REMOVED = "removed"  # by a moderator, with a reason the buyer reads
    EXPIRED = "expired"  # only ever computed: an open request past ``expires_at``


class BuyerRequest(SQLModel, table=True):
    __tablename__ = "buyer_request"
    __table_args__ = (
        sa.Index("ix_buyer_request_status_category_created", "status", "category_id", "created_at"),
        sa.Index("ix_buyer_request_buyer_created", "buyer_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    buyer_id: int = Field(foreign_key="user_account.id")
    category_id: int = Field(foreign_key="category.id")
    description: str = Field(sa_type=sa.Text)  # as shown: contacts masked by the guard
    raw_description: str = Field(default="", sa_type=sa.Text)  # as typed, only when masked (moderators)
    budget_minor: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(default="SAR", max_length=3)
    delivery_days: int  # «أحتاجه خلال»
    status: str = Field(default=RequestStatus.OPEN.value, max_length=16)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    expires_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    closed_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    removed_by: int | None = Field(default=None, foreign_key="user_account.id")
    removed_reason: str = Field(default="", max_length=500)

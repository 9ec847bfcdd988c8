"""Design overview: custom offers (عروض خاصة) a seller sends inside a conversation.

An offer is fixed terms for one buyer — what will be done, the price, the days, the revisions —
built on one of the seller's active gigs (its category, its requirements questions and, later,
the review's target). It is posted into the conversation as a message of kind ``offer`` whose
``body`` is the description as shown (masked by the contact guard before an order, like any
text); the terms live here. It is ``pending`` until the buyer accepts (an unpaid order is placed
from the terms and the buyer goes to checkout), declines, or the seller withdraws it; a pending
offer past ``expires_at`` is expired (computed when read or acted on, so no job has to run).
``order_id`` is unique: one offer never makes two orders. An offer that answers a buyer request
(``models/requests.py``) carries its ``request_id``; a seller answers a request once.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class OfferStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"  # only ever computed: a pending offer whose time ran out


class CustomOffer(SQLModel, table=True):
    __tablename__ = "custom_offer"
    __table_args__ = (
        sa.Index("ix_custom_offer_seller_created", "seller_id", "created_at"),
        # a seller answers a buyer request once
        sa.Index(
            "uq_custom_offer_request_seller",
            "request_id",
            "seller_id",
            unique=True,
            sqlite_where=sa.text("request_id IS NOT NULL"),
            postgresql_where=sa.text("request_id IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    message_id: int | None = Field(default=None, foreign_key="message.id", sa_column_kwargs={"unique": True})
    seller_id: int = Field(foreign_key="user_account.id")
    buyer_id: int = Field(foreign_key="user_account.id")
    gig_id: int = Field(foreign_key="gig.id")
    description: str = Field(sa_type=sa.Text)  # as shown: masked like the message when the guard masked
    price_minor: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(default="SAR", max_length=3)
    delivery_days: int
    revisions: int = Field(default=0)
    status: str = Field(default=OfferStatus.PENDING.value, max_length=16)
    order_id: int | None = Field(default=None, foreign_key="gig_order.id", sa_column_kwargs={"unique": True})
    request_id: int | None = Field(default=None, foreign_key="buyer_request.id", index=True)  # an answer to a buyer request
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    expires_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    decided_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))

"""Design overview: two-sided blind reviews of completed orders.

Each completed order may get two ``Review`` rows, one per side: the buyer rating the seller
(``side="buyer"``: overall plus communication, quality and on time, 1-5) and the seller rating
the buyer (``side="seller"``: overall only, the sub-ratings NULL). A review is written hidden
(``revealed_at`` NULL) and becomes public when both are in or once the reveal period after
completion is over; until then no page, aggregate or cache may read its numbers. The seller
may answer the buyer's revealed review once (``reply``). ``Gig.rating_sum``/``rating_count``
cache the gig's revealed buyer-side reviews; per-person figures are SQL aggregates over the
indexes below.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class ReviewSide(StrEnum):
    BUYER = "buyer"  # the buyer reviewing the seller
    SELLER = "seller"  # the seller reviewing the buyer


class Review(SQLModel, table=True):
    __tablename__ = "review"
    __table_args__ = (
        sa.UniqueConstraint("order_id", "side", name="uq_review_order_side"),
        sa.CheckConstraint("side IN ('buyer', 'seller')", name="side"),
        sa.CheckConstraint("overall BETWEEN 1 AND 5", name="overall"),
        sa.CheckConstraint(
            "(side = 'buyer' AND communication BETWEEN 1 AND 5 AND quality BETWEEN 1 AND 5 AND on_time BETWEEN 1 AND 5)"
            " OR (side = 'seller' AND communication IS NULL AND quality IS NULL AND on_time IS NULL)",
            name="sub_ratings",
        ),
        # a gig's revealed reviews, newest first; a person's revealed reviews (either side)
        sa.Index("ix_review_gig_side_revealed", "gig_id", "side", "revealed_at"),
        sa.Index("ix_review_subject_side_revealed", "subject_id", "side", "revealed_at"),
        # the reveal job's candidates: the hidden ones
        sa.Index("ix_review_revealed_order", "revealed_at", "order_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="gig_order.id")
    gig_id: int = Field(foreign_key="gig.id")
    author_id: int = Field(foreign_key="user_account.id")
    subject_id: int = Field(foreign_key="user_account.id")
    side: str = Field(max_length=8)
    overall: int = Field(sa_type=sa.SmallInteger)
    communication: int | None = Field(default=None, sa_type=sa.SmallInteger)
    quality: int | None = Field(default=None, sa_type=sa.SmallInteger)
    on_time: int | None = Field(default=None, sa_type=sa.SmallInteger)
    text: str = Field(default="", sa_type=sa.Text)  # plain text, at most 1500 characters
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    revealed_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))  # NULL while hidden
    reply: str = Field(default="", sa_type=sa.Text)  # the seller's one public answer to a buyer's review
    replied_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    # a moderator upheld a report or the seller's appeal: gone from every public page and average
    removed_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))

"""Design overview: reports (بلاغات) about gigs, reviews and users, worked by moderators.

Anyone signed in may report a gig, a review or a user once, with a reason from a fixed list and
an optional note; a seller's report of a buyer review on their own order is an **appeal**
(الطعن في تقييم): the same queue, marked, and upholding it removes the review from every public
page and average. A report is ``open`` until a moderator ``dismissed`` it or ``actioned`` it
(suspended the gig, removed the review, warned the user), with a resolution the reporter and
the reported party can read. Nothing is ever removed silently: each decision is a row.

Identity verification (هوية موثّقة): a seller asks once at a time, with an identity document
(a private file) or a Saudi freelance document number, and the legal name on it; an admin
approves or rejects it with a reason (``identity_verification``). Approval sets
``seller_profile.identity_verified_at`` (the badge, like ``founding_since``); an admin may
withdraw it later. The document file is deleted once the request is decided: the row keeps the
decision, never the picture of someone's ID.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class ReportTarget(StrEnum):
    GIG = "gig"
    REVIEW = "review"
    USER = "user"


class ReportReason(StrEnum):
    SPAM = "spam"
    OFFENSIVE = "offensive"
    OFF_PLATFORM = "off_platform"  # asks to pay or talk outside Mihan
    FRAUD = "fraud"
    COPYRIGHT = "copyright"
    FAKE_REVIEW = "fake_review"
    OTHER = "other"


class ReportStatus(StrEnum):
    OPEN = "open"
    DISMISSED = "dismissed"
    ACTIONED = "actioned"


class Report(SQLModel, table=True):
    __tablename__ = "report"
    __table_args__ = (
        # one report per person per target: a second click or a second tab files nothing new
        sa.UniqueConstraint("reporter_id", "target_kind", "target_id", name="uq_report_reporter_target"),
        sa.Index("ix_report_status_id", "status", "id"),  # the queue, oldest first
        sa.Index("ix_report_reporter_created", "reporter_id", "created_at"),  # the daily cap
    )

    id: int | None = Field(default=None, primary_key=True)
    reporter_id: int = Field(foreign_key="user_account.id")
    target_kind: str = Field(max_length=8)
    target_id: int
    reason: str = Field(max_length=16)
    note: str = Field(default="", sa_type=sa.Text)  # plain text, at most 1000 characters
    appeal: bool = Field(default=False)  # a seller contesting a review of their own order
    status: str = Field(default=ReportStatus.OPEN.value, max_length=12)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    handled_by: int | None = Field(default=None, foreign_key="user_account.id")
    handled_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    resolution: str = Field(default="", max_length=500)


class VerificationMethod(StrEnum):
    DOCUMENT = "document"  # an uploaded identity document (picture or PDF)
    FREELANCE = "freelance"  # a Saudi freelance document number (وثيقة العمل الحر)


class VerificationStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # approved, later withdrawn by an admin


class IdentityVerification(SQLModel, table=True):
    __tablename__ = "identity_verification"
    __table_args__ = (
        # one pending request per seller: a second tab or a double click asks nothing new
        sa.Index(
            "uq_identity_verification_pending",
            "seller_id",
            unique=True,
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        ),
        sa.Index("ix_identity_verification_status_id", "status", "id"),  # the admins' queue, oldest first
        sa.Index("ix_identity_verification_seller_created", "seller_id", "created_at"),  # the monthly cap
    )

    id: int | None = Field(default=None, primary_key=True)
    seller_id: int = Field(foreign_key="user_account.id")
    method: str = Field(max_length=12)
    legal_name: str = Field(max_length=120)
    document_number: str = Field(default="", max_length=16)  # FL-<digits>, the freelance method only
    # the private file while it exists (document method, until the decision); NULL afterwards
    token: str | None = Field(default=None, max_length=64, sa_column_kwargs={"unique": True})
    file_name: str = Field(default="", max_length=120)
    file_mime: str = Field(default="", max_length=64)
    file_size: int = Field(default=0)
    status: str = Field(default=VerificationStatus.PENDING.value, max_length=12)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    decided_by: int | None = Field(default=None, foreign_key="user_account.id")
    decided_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    reason: str = Field(default="", max_length=500)  # why rejected or withdrawn, shown to the seller
    # an approval withdrawn later keeps who approved it above and records who withdrew it here
    withdrawn_by: int | None = Field(default=None, foreign_key="user_account.id")
    withdrawn_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    file_deleted_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))

"""Design overview: the niche's taxonomy, gigs with their packages, and the search documents.

Categories, cities and dialects are rows admins edit (seeded from the niche settings file).
A ``Gig`` belongs to a seller and a category and moves draft → pending → active ⇄ paused, or
rejected / suspended; only active gigs are listed. Its packages hold the money (minor units
with a currency); the gig keeps the cheapest package's price and days for fast filtering.
``GigSearchDoc`` keeps each gig's analyzed text, the single source the full-text index (FTS5 on
SQLite, a tsvector on Postgres) is built from, so the index can be rebuilt or corrected.
``SearchTerm`` rows are the curated lexicon and synonyms admins edit.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class GigStatus(StrEnum):
    DRAFT = "draft"
    PENDING = "pending"
    ACTIVE = "active"
    PAUSED = "paused"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


class PackageTier(StrEnum):
    BASIC = "basic"
    STANDARD = "standard"
    PREMIUM = "premium"


class _NamedRow(SQLModel):
    """A slug with Arabic and English names and a display position."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=60, sa_column_kwargs={"unique": True})
    name_ar: str = Field(max_length=80)
    name_en: str = Field(max_length=80)
    position: int = Field(default=0)


class Category(_NamedRow, table=True):
    __tablename__ = "category"

    parent_id: int | None = Field(default=None, foreign_key="category.id", index=True)
    description_ar: str = Field(default="", max_length=300)
    description_en: str = Field(default="", max_length=300)
    icon: str = Field(default="", max_length=40)
    is_active: bool = Field(default=True)


class City(_NamedRow, table=True):
    __tablename__ = "city"


class Dialect(_NamedRow, table=True):
    __tablename__ = "dialect"


class Gig(SQLModel, table=True):
    __tablename__ = "gig"
    __table_args__ = (
        sa.Index("ix_gig_status_category", "status", "category_id"),
        sa.Index("ix_gig_status_price", "status", "price_minor"),
        sa.Index("ix_gig_status_published", "status", "published_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    ref: str | None = Field(default=None, max_length=80, sa_column_kwargs={"unique": True})
    seller_id: int = Field(foreign_key="user_account.id", index=True)
    category_id: int = Field(foreign_key="category.id")
    city_id: int | None = Field(default=None, foreign_key="city.id")
    dialect_id: int | None = Field(default=None, foreign_key="dialect.id")
    title: str = Field(max_length=120)
    description: str = Field(sa_type=sa.Text)
    tags: str = Field(default="", max_length=300)
    status: str = Field(default=GigStatus.DRAFT.value, max_length=16)
    moderation_note: str = Field(default="", max_length=500)
    currency: str = Field(default="SAR", max_length=3)
    price_minor: int = Field(default=0, sa_type=sa.BigInteger)
    delivery_days: int = Field(default=0)
    rating_sum: int = Field(default=0)
    rating_count: int = Field(default=0)
    orders_completed: int = Field(default=0)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    updated_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    published_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class GigPackage(SQLModel, table=True):
    __tablename__ = "gig_package"
    __table_args__ = (sa.UniqueConstraint("gig_id", "tier", name="uq_gig_package_gig_tier"),)

    id: int | None = Field(default=None, primary_key=True)
    gig_id: int = Field(foreign_key="gig.id", index=True)
    tier: str = Field(max_length=16)
    name: str = Field(max_length=80)
    description: str = Field(default="", max_length=500)
    price_minor: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(default="SAR", max_length=3)
    delivery_days: int
    revisions: int = Field(default=0)
    words_included: int | None = Field(default=None)
    minutes_included: int | None = Field(default=None)


class GigSearchDoc(SQLModel, table=True):
    """Analyzed terms of one gig, space-separated per field and level."""

    __tablename__ = "gig_search_doc"

    gig_id: int = Field(foreign_key="gig.id", primary_key=True)
    analyzer_version: int
    t_exact: str = Field(default="", sa_type=sa.Text)
    t_stem: str = Field(default="", sa_type=sa.Text)
    t_concept: str = Field(default="", sa_type=sa.Text)
    t_root: str = Field(default="", sa_type=sa.Text)
    d_exact: str = Field(default="", sa_type=sa.Text)
    d_stem: str = Field(default="", sa_type=sa.Text)
    d_concept: str = Field(default="", sa_type=sa.Text)
    d_root: str = Field(default="", sa_type=sa.Text)


class SearchTerm(SQLModel, table=True):
    """One curated lexicon entry: a word or phrase and the concept it stands for."""

    __tablename__ = "search_term"
    __table_args__ = (sa.UniqueConstraint("term", "concept", name="uq_search_term_term_concept"),)

    id: int | None = Field(default=None, primary_key=True)
    term: str = Field(max_length=80)
    concept: str = Field(max_length=40, index=True)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class Favourite(SQLModel, table=True):
    """A gig a user saved to their favourites (المفضلة); one row per user and gig."""

    __tablename__ = "favourite"
    __table_args__ = (sa.UniqueConstraint("user_id", "gig_id", name="uq_favourite_user_gig"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    gig_id: int = Field(foreign_key="gig.id", index=True)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class GigExtra(SQLModel, table=True):
    """An add-on (إضافة) a buyer can order with any package: a price and the days it adds."""

    __tablename__ = "gig_extra"

    id: int | None = Field(default=None, primary_key=True)
    gig_id: int = Field(foreign_key="gig.id", index=True)
    position: int = Field(default=0)
    title: str = Field(max_length=80)
    description: str = Field(default="", max_length=300)
    price_minor: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(default="SAR", max_length=3)
    added_days: int = Field(default=0)


class GigFaq(SQLModel, table=True):
    """One question and answer (الأسئلة الشائعة) shown on the gig page."""

    __tablename__ = "gig_faq"

    id: int | None = Field(default=None, primary_key=True)
    gig_id: int = Field(foreign_key="gig.id", index=True)
    position: int = Field(default=0)
    question: str = Field(max_length=200)
    answer: str = Field(max_length=1000)


class RequirementKind(StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    FILE = "file"


class GigRequirement(SQLModel, table=True):
    """A question the buyer answers after ordering (متطلبات التنفيذ), e.g. the script to record.

    ``choices`` holds the options of a ``choice`` question, one per line.
    """

    __tablename__ = "gig_requirement"

    id: int | None = Field(default=None, primary_key=True)
    gig_id: int = Field(foreign_key="gig.id", index=True)
    position: int = Field(default=0)
    question: str = Field(max_length=300)
    kind: str = Field(default=RequirementKind.TEXT.value, max_length=16)
    choices: str = Field(default="", max_length=1000)
    required: bool = Field(default=True)


class MediaKind(StrEnum):
    IMAGE = "image"
    AUDIO = "audio"


class GigMedia(SQLModel, table=True):
    """An image or an audio sample in a gig's gallery, stored under the public media folder.

    ``path`` is relative to the media folder; the file was checked by content (and images
    re-encoded) before this row was written.
    """

    __tablename__ = "gig_media"

    id: int | None = Field(default=None, primary_key=True)
    gig_id: int = Field(foreign_key="gig.id", index=True)
    position: int = Field(default=0)
    kind: str = Field(max_length=8)
    path: str = Field(max_length=200)
    mime: str = Field(max_length=40)
    size_bytes: int = Field(default=0)
    width: int | None = Field(default=None)
    height: int | None = Field(default=None)
    duration_ms: int | None = Field(default=None)
    caption: str = Field(default="", max_length=120)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))

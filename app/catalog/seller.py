"""Read models for a seller's own gigs (the list and the editor's form) and the moderation queue.

Every read here is scoped in the query: a seller only ever reads gigs whose ``seller_id`` is
theirs, so naming another seller's gig id reads as "not found". Prices leave as decimal SAR
text, the form's own format, so the editor round-trips what ``parse_gig`` accepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from app.catalog.errors import CatalogError
from app.catalog.queries import gig_rows, list_requirements
from models.accounts import User
from models.catalog import Category, City, Dialect, Gig, GigExtra, GigFaq, GigPackage, GigStatus, PackageTier

MAX_PENDING_PAGE = 100
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[#*_>`~|]+")  # Markdown marks, dropped from the queue's plain excerpt


@dataclass(frozen=True)
class SellerGigRow:
    id: int
    title: str
    status: str
    price_minor: int
    currency: str
    updated_at: datetime
    moderation_note: str


@dataclass(frozen=True)
class PendingGig:
    id: int
    title: str
    excerpt: str
    seller_name: str
    category_ar: str
    category_en: str
    price_minor: int
    currency: str
    submitted_at: datetime


def sar_text(minor: int) -> str:
    """Halalas as the decimal SAR text a seller types: ``15000`` → ``"150"``, ``2050`` → ``"20.50"``."""
    whole, cents = divmod(int(minor), 100)
    return f"{whole}.{cents:02d}" if cents else str(whole)


def list_seller_gigs(session: Session, *, seller_id: int) -> list[SellerGigRow]:
    """The seller's own gigs, every status, most recently changed first."""
    gigs = session.exec(select(Gig).where(Gig.seller_id == seller_id).order_by(Gig.updated_at.desc(), Gig.id.desc()))
    return [
        SellerGigRow(
            id=gig.id,  # type: ignore[arg-type]
            title=gig.title,
            status=gig.status,
            price_minor=gig.price_minor,
            currency=gig.currency,
            updated_at=gig.updated_at,
            moderation_note=gig.moderation_note,
        )
        for gig in gigs
    ]


def _slug(session: Session, model: type, row_id: int | None) -> str:
    if row_id is None:
        return ""
    row = session.get(model, row_id)
    return row.slug if row is not None else ""


def get_gig_form(session: Session, *, seller_id: int, gig_id: int) -> dict[str, Any]:
    """The editable fields of one of the seller's own gigs, as plain values.

    Raises:
        CatalogError: ``gig.not_found`` (also for another seller's gig).
    """
    gig = session.exec(select(Gig).where(Gig.id == gig_id, Gig.seller_id == seller_id)).first()
    if gig is None:
        raise CatalogError("gig.not_found")
    order = {tier.value: i for i, tier in enumerate(PackageTier)}
    packages = sorted(session.exec(select(GigPackage).where(GigPackage.gig_id == gig_id)), key=lambda p: order.get(p.tier, 9))
    return {
        "title": gig.title,
        "category": _slug(session, Category, gig.category_id),
        "city": _slug(session, City, gig.city_id),
        "dialect": _slug(session, Dialect, gig.dialect_id),
        "tags": [tag for tag in gig.tags.split(",") if tag],
        "description": gig.description,
        "status": gig.status,
        "moderation_note": gig.moderation_note,
        "packages": [
            {
                "tier": p.tier,
                "name": p.name,
                "description": p.description,
                "price": sar_text(p.price_minor),
                "delivery_days": p.delivery_days,
                "revisions": p.revisions,
                "words": p.words_included,
                "minutes": p.minutes_included,
            }
            for p in packages
        ],
        "extras": [
            {"title": e.title, "description": e.description, "price": sar_text(e.price_minor), "added_days": e.added_days}
            for e in gig_rows(session, GigExtra, gig_id)
        ],
        "faqs": [{"question": f.question, "answer": f.answer} for f in gig_rows(session, GigFaq, gig_id)],
        "requirements": [
            {"question": r.question, "kind": r.kind, "choices": list(r.choices), "required": r.required}
            for r in list_requirements(session, gig_id)
        ],
    }


def count_pending(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Gig).where(Gig.status == GigStatus.PENDING.value)).one()


def list_pending(session: Session, *, limit: int = 50, offset: int = 0) -> list[PendingGig]:
    """Gigs awaiting review, longest waiting first (for moderators; the caller checks the role)."""
    limit = min(max(1, int(limit)), MAX_PENDING_PAGE)
    offset = max(0, int(offset))
    rows = session.exec(
        select(Gig, User.name, Category.name_ar, Category.name_en)
        .join(User, User.id == Gig.seller_id)
        .join(Category, Category.id == Gig.category_id)
        .where(Gig.status == GigStatus.PENDING.value)
        .order_by(Gig.updated_at.asc(), Gig.id.asc())
        .offset(offset)
        .limit(limit)
    )
    out = []
    for gig, seller_name, category_ar, category_en in rows:
        excerpt = " ".join(_MARKUP.sub(" ", _LINK.sub(r"\1", gig.description)).split())
        out.append(
            PendingGig(
                id=gig.id,  # type: ignore[arg-type]
                title=gig.title,
                excerpt=excerpt[:280] + ("…" if len(excerpt) > 280 else ""),
                seller_name=seller_name,
                category_ar=category_ar,
                category_en=category_en,
                price_minor=gig.price_minor,
                currency=gig.currency,
                submitted_at=gig.updated_at,
            )
        )
    return out

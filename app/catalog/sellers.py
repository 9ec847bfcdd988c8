"""A seller's public profile: who they are and their active gigs.

Only accounts in seller mode (and still active) have a public profile; anyone else, or an
unknown id, is "not found" so the page reveals nothing about buyers' accounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from app.catalog import queries
from app.catalog.errors import CatalogError
from app.catalog.queries import PER_PAGE, Page
from app.search.engine import Filters
from models.accounts import SellerProfile, User
from models.catalog import City, Dialect


@dataclass(frozen=True)
class SellerProfileView:
    id: int
    name: str
    avatar_file: str
    level: str
    city_ar: str
    city_en: str
    languages: tuple[str, ...]
    dialects_ar: tuple[str, ...]
    dialects_en: tuple[str, ...]
    bio: str
    member_since: datetime
    founding: bool  # بائع مؤسس: redeemed a pilot's invite code
    verified: bool  # هوية موثّقة: an admin checked their identity (withdrawn: False again)


def _split(value: str) -> list[str]:
    return [x.strip() for x in value.split(",") if x.strip()]


def get_seller_profile(session: Session, *, seller_key: int) -> SellerProfileView:
    """The public profile of seller ``seller_key`` (a user id).

    Raises:
        CatalogError: ``seller.not_found`` for unknown, deactivated or non-seller accounts.
    """
    row = session.exec(
        select(User, SellerProfile).join(SellerProfile, SellerProfile.user_id == User.id).where(User.id == seller_key)
    ).first()
    if row is None or not row[0].is_active:
        raise CatalogError("seller.not_found")
    user, profile = row
    assert user.id is not None
    city = session.exec(select(City).where(City.slug == user.city)).first() if user.city else None
    slugs = _split(profile.dialects)
    known = {d.slug: d for d in session.exec(select(Dialect).where(Dialect.slug.in_(slugs)))} if slugs else {}
    return SellerProfileView(
        id=user.id,
        name=user.name,
        avatar_file=user.avatar_file,
        level=profile.level or "new",
        city_ar=city.name_ar if city else user.city,
        city_en=city.name_en if city else user.city,
        languages=tuple(_split(user.languages)),
        dialects_ar=tuple(known[s].name_ar if s in known else s for s in slugs),
        dialects_en=tuple(known[s].name_en if s in known else s for s in slugs),
        bio=user.bio,
        member_since=user.created_at,
        founding=profile.founding_since is not None,
        verified=profile.identity_verified_at is not None,
    )


def list_seller_cards(session: Session, *, seller_key: int, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """The seller's active gigs as cards, newest first, one page (paged in SQL)."""
    return queries.browse(session, Filters(seller_id=seller_key), sort="newest", page=page, per_page=per_page)

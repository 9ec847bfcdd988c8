"""Favourites (المفضلة): the gigs a user saved to come back to.

One row per user and gig (a unique constraint), so a double click or two tabs racing each other
can never save a gig twice: the insert runs in a savepoint and a lost race just means "already
saved". Only active gigs can be added; removing always works, whatever became of the gig.
Listing shows only the saved gigs that are still active, newest saved first, paged in SQL.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.catalog.errors import CatalogError
from app.catalog.queries import PER_PAGE, Page, _card, _card_query, _pages
from app.core import clock
from models.catalog import Favourite, Gig, GigStatus


def toggle_favourite(session: Session, *, user_id: int, gig_id: int) -> bool:
    """Add the gig to the user's favourites, or remove it; returns whether it is now a favourite.

    Raises:
        CatalogError: ``gig.not_found`` when adding a gig that does not exist or is not active.
    """
    removed = session.execute(delete(Favourite).where(Favourite.user_id == user_id, Favourite.gig_id == gig_id))
    if removed.rowcount:  # type: ignore[attr-defined]
        return False
    gig = session.get(Gig, gig_id)
    if gig is None or gig.status != GigStatus.ACTIVE.value:
        raise CatalogError("gig.not_found")
    try:
        with session.begin_nested():
            session.add(Favourite(user_id=user_id, gig_id=gig_id, created_at=clock.now()))
            session.flush()
    except IntegrityError:  # a concurrent click saved it first: it is a favourite either way
        pass
    return True


def favourite_ids(session: Session, *, user_id: int, gig_ids: Iterable[int]) -> set[int]:
    """Which of ``gig_ids`` the user has saved."""
    wanted = list(dict.fromkeys(gig_ids))
    if not wanted:
        return set()
    statement = select(Favourite.gig_id).where(Favourite.user_id == user_id, Favourite.gig_id.in_(wanted))
    return set(session.exec(statement))


def list_favourites(session: Session, *, user_id: int, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """The user's saved gigs that are still active, as cards, newest saved first."""
    condition = (Favourite.user_id == user_id, Gig.status == GigStatus.ACTIVE.value)
    total = session.exec(select(func.count()).select_from(Favourite).join(Gig, Gig.id == Favourite.gig_id).where(*condition)).one()
    pages = _pages(total, per_page)
    page = min(max(1, page), pages)
    rows = session.exec(
        _card_query()
        .join(Favourite, Favourite.gig_id == Gig.id)
        .where(*condition)
        .order_by(Favourite.created_at.desc(), Favourite.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return Page(cards=tuple(_card(row) for row in rows), total=total, page=page, pages=pages)

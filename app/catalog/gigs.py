"""The gig lifecycle: create, edit, submit for review, moderate, pause and resume.

Every command checks the actor (owner or admin) in the query itself, so a seller naming
another seller's gig id finds nothing. The search index is updated in the same transaction.
"""

from __future__ import annotations

from sqlmodel import Session, delete, select

from app.catalog import taxonomy
from app.catalog.errors import CatalogError
from app.catalog.inputs import GigInput
from app.core import clock
from app.search import index
from models.accounts import SellerProfile
from models.catalog import City, Dialect, Gig, GigPackage, GigStatus

# Status changes a seller may make, and those an admin makes (moderation).
SELLER_MOVES: dict[str, dict[GigStatus, frozenset[GigStatus]]] = {
    "submit": {GigStatus.PENDING: frozenset({GigStatus.DRAFT, GigStatus.REJECTED})},
    "pause": {GigStatus.PAUSED: frozenset({GigStatus.ACTIVE})},
    "resume": {GigStatus.ACTIVE: frozenset({GigStatus.PAUSED})},
}
ADMIN_MOVES: dict[str, dict[GigStatus, frozenset[GigStatus]]] = {
    "approve": {GigStatus.ACTIVE: frozenset({GigStatus.PENDING})},
    "reject": {GigStatus.REJECTED: frozenset({GigStatus.PENDING})},
    "suspend": {GigStatus.SUSPENDED: frozenset({GigStatus.ACTIVE, GigStatus.PAUSED, GigStatus.PENDING})},
}


def _ensure_seller(session: Session, user_id: int) -> None:
    if session.exec(select(SellerProfile.id).where(SellerProfile.user_id == user_id)).first() is None:
        raise CatalogError("gig.not_a_seller")


def _owned(session: Session, *, gig_id: int, seller_id: int) -> Gig:
    gig = session.exec(select(Gig).where(Gig.id == gig_id, Gig.seller_id == seller_id)).first()
    if gig is None:
        raise CatalogError("gig.not_found")
    return gig


def apply(session: Session, gig: Gig, data: GigInput) -> None:
    """Write validated input onto a gig, replace its packages and reindex it."""
    # Resolve every reference before touching the gig, so a refusal leaves it as it was.
    category = taxonomy.category_by_slug(session, data.category)
    city_id = taxonomy.id_by_slug(session, City, data.city, "gig.invalid_city")
    dialect_id = taxonomy.id_by_slug(session, Dialect, data.dialect, "gig.invalid_dialect")
    gig.category_id = category.id  # type: ignore[assignment]
    gig.city_id = city_id
    gig.dialect_id = dialect_id
    gig.title = data.title
    gig.description = data.description
    gig.tags = ",".join(dict.fromkeys(tag.replace(",", " ") for tag in data.tags))
    cheapest = min(data.packages, key=lambda p: p.price)
    gig.price_minor = cheapest.price
    gig.delivery_days = min(p.delivery_days for p in data.packages)
    gig.updated_at = clock.now()
    session.add(gig)
    session.flush()
    assert gig.id is not None
    session.exec(delete(GigPackage).where(GigPackage.gig_id == gig.id))  # type: ignore[call-overload]
    for package in data.packages:
        session.add(
            GigPackage(
                gig_id=gig.id,
                tier=package.tier.value,
                name=package.name,
                description=package.description,
                price_minor=package.price,
                currency=gig.currency,
                delivery_days=package.delivery_days,
                revisions=package.revisions,
                words_included=package.words,
                minutes_included=package.minutes,
            )
        )
    session.flush()
    index.index_gig(session, gig)


def create_gig(session: Session, *, seller_id: int, data: GigInput, ref: str | None = None) -> Gig:
    """Create a draft gig for a seller.

    Raises:
        CatalogError: ``gig.not_a_seller``, ``gig.invalid_category``, ``gig.invalid_city``, ``gig.invalid_dialect``.
    """
    _ensure_seller(session, seller_id)
    now = clock.now()
    gig = Gig(seller_id=seller_id, ref=ref, category_id=0, title="", description="", created_at=now, updated_at=now)
    apply(session, gig, data)
    return gig


def update_gig(session: Session, *, seller_id: int, gig_id: int, data: GigInput) -> Gig:
    """Edit a gig; an active gig whose title or description changed goes back to review.

    Raises:
        CatalogError: ``gig.not_found`` (also for another seller's gig), ``gig.suspended``.
    """
    gig = _owned(session, gig_id=gig_id, seller_id=seller_id)
    if gig.status == GigStatus.SUSPENDED:
        raise CatalogError("gig.suspended")
    needs_review = gig.status in (GigStatus.ACTIVE, GigStatus.PAUSED) and (
        gig.title != data.title or gig.description != data.description
    )
    apply(session, gig, data)
    if needs_review:
        gig.status = GigStatus.PENDING.value
        session.add(gig)
        session.flush()
    return gig


def _move(gig: Gig, moves: dict[GigStatus, frozenset[GigStatus]]) -> None:
    ((target, sources),) = moves.items()
    if GigStatus(gig.status) not in sources:
        raise CatalogError("gig.invalid_transition", status=gig.status)
    gig.status = target.value
    gig.updated_at = clock.now()


def change_status(session: Session, *, seller_id: int, gig_id: int, action: str) -> Gig:
    """A seller's move: ``submit``, ``pause`` or ``resume``.

    Raises:
        CatalogError: ``gig.not_found``, ``gig.invalid_transition``.
    """
    if action not in SELLER_MOVES:
        raise CatalogError("gig.invalid_transition", status=action)
    gig = _owned(session, gig_id=gig_id, seller_id=seller_id)
    _move(gig, SELLER_MOVES[action])
    session.add(gig)
    session.flush()
    return gig


def moderate(session: Session, *, gig_id: int, action: str, note: str = "") -> Gig:
    """An admin's move: ``approve``, ``reject`` (with a reason) or ``suspend`` (the caller checks the role).

    Raises:
        CatalogError: ``gig.not_found``, ``gig.invalid_transition``, ``gig.reason_required``.
    """
    if action not in ADMIN_MOVES:
        raise CatalogError("gig.invalid_transition", status=action)
    gig = session.get(Gig, gig_id)
    if gig is None:
        raise CatalogError("gig.not_found")
    note = note.strip()[:500]
    if action in ("reject", "suspend") and not note:
        raise CatalogError("gig.reason_required")
    _move(gig, ADMIN_MOVES[action])
    gig.moderation_note = note
    if action == "approve" and gig.published_at is None:
        gig.published_at = clock.now()
    session.add(gig)
    session.flush()
    return gig


def publish(session: Session, gig: Gig) -> None:
    """Make an imported or seeded gig active at once (trusted sources only)."""
    gig.status = GigStatus.ACTIVE.value
    gig.published_at = gig.published_at or clock.now()
    session.add(gig)
    session.flush()

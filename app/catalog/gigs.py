"""The gig lifecycle: create, edit, submit for review, moderate, pause and resume.

Every command checks the actor (owner or admin) in the query itself, so a seller naming
another seller's gig id finds nothing. The search index is updated in the same transaction.
"""

from __future__ import annotations

from sqlmodel import Session, SQLModel, delete, select

from app.catalog import taxonomy
from app.catalog.errors import CatalogError
from app.catalog.inputs import GigInput
from app.core import clock
from app.notifications.queue import queue_notifications
from app.search import index
from models.accounts import SellerProfile
from models.catalog import City, Dialect, Gig, GigExtra, GigFaq, GigPackage, GigRequirement, GigStatus

# Status changes a seller may make, and those an admin makes (moderation).
SELLER_MOVES: dict[str, dict[GigStatus, frozenset[GigStatus]]] = {
    "submit": {GigStatus.PENDING: frozenset({GigStatus.DRAFT, GigStatus.REJECTED})},
    "pause": {GigStatus.PAUSED: frozenset({GigStatus.ACTIVE})},
    "resume": {GigStatus.ACTIVE: frozenset({GigStatus.PAUSED})},
}
# what the seller hears of a moderator's decision on their gig
GIG_DECISIONS = {"approve": "gig_approved", "reject": "gig_rejected", "suspend": "gig_suspended"}
ADMIN_MOVES: dict[str, dict[GigStatus, frozenset[GigStatus]]] = {
    "approve": {GigStatus.ACTIVE: frozenset({GigStatus.PENDING})},
    "reject": {GigStatus.REJECTED: frozenset({GigStatus.PENDING})},
    "suspend": {GigStatus.SUSPENDED: frozenset({GigStatus.ACTIVE, GigStatus.PAUSED, GigStatus.PENDING})},
}


def _ensure_seller(session: Session, user_id: int) -> None:
    if session.exec(select(SellerProfile.id).where(SellerProfile.user_id == user_id)).first() is None:
        raise CatalogError("gig.not_a_seller")


def _owned(session: Session, *, gig_id: int, seller_id: int, lock: bool = False) -> Gig:
    query = select(Gig).where(Gig.id == gig_id, Gig.seller_id == seller_id)
    gig = session.exec(query.with_for_update() if lock else query).first()
    if gig is None:
        raise CatalogError("gig.not_found")
    return gig


def editable_gig(session: Session, *, seller_id: int, gig_id: int) -> Gig:
    """The seller's own gig, row-locked for a change, unless moderation suspended it.

    The lock (a no-op on SQLite, whose write transactions are serialised anyway) makes checks
    such as "at most six images" hold when two uploads race on Postgres.

    Raises:
        CatalogError: ``gig.not_found`` (also for another seller's gig), ``gig.suspended``.
    """
    gig = _owned(session, gig_id=gig_id, seller_id=seller_id, lock=True)
    if gig.status == GigStatus.SUSPENDED:
        raise CatalogError("gig.suspended")
    return gig


def send_back_to_review(session: Session, gig: Gig) -> bool:
    """A published (or paused) gig whose public content changed waits for moderation again.

    Returns whether the gig moved to pending.
    """
    if gig.status not in (GigStatus.ACTIVE, GigStatus.PAUSED):
        return False
    gig.status = GigStatus.PENDING.value
    gig.updated_at = clock.now()
    session.add(gig)
    session.flush()
    return True


def _replace(session: Session, model: type[SQLModel], gig_id: int, rows: list[SQLModel]) -> None:
    """Swap a gig's child rows (packages, extras, ...) for ``rows``: the form always holds the whole set."""
    session.exec(delete(model).where(model.gig_id == gig_id))  # type: ignore[attr-defined, call-overload]
    session.add_all(rows)


def apply(session: Session, gig: Gig, data: GigInput) -> None:
    """Write validated input onto a gig, replace its packages, extras, FAQ and questions, and reindex it."""
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
    packages = [
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
        for package in data.packages
    ]
    extras = [
        GigExtra(
            gig_id=gig.id, position=position, title=extra.title, description=extra.description,
            price_minor=extra.price, currency=gig.currency, added_days=extra.added_days,
        )
        for position, extra in enumerate(data.extras)
    ]
    faqs = [
        GigFaq(gig_id=gig.id, position=position, question=faq.question, answer=faq.answer)
        for position, faq in enumerate(data.faqs)
    ]
    requirements = [
        GigRequirement(
            gig_id=gig.id, position=position, question=item.question, kind=item.kind.value,
            choices="\n".join(item.choices), required=item.required,
        )
        for position, item in enumerate(data.requirements)
    ]
    for model, rows in ((GigPackage, packages), (GigExtra, extras), (GigFaq, faqs), (GigRequirement, requirements)):
        _replace(session, model, gig.id, rows)
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

    Packages, extras, FAQ and the buyer's questions are the seller's commercial terms, not what
    moderation vets, so changing only them keeps the gig listed. (The gallery, the third thing
    reviewed, is edited on its own.)

    Raises:
        CatalogError: ``gig.not_found`` (also for another seller's gig), ``gig.suspended``.
    """
    gig = editable_gig(session, seller_id=seller_id, gig_id=gig_id)
    text_changed = gig.title != data.title or gig.description != data.description
    apply(session, gig, data)
    if text_changed:
        send_back_to_review(session, gig)
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
    queue_notifications(session, GIG_DECISIONS[action], [gig.seller_id], order_id=None)
    session.flush()
    return gig


def publish(session: Session, gig: Gig) -> None:
    """Make an imported or seeded gig active at once (trusted sources only)."""
    gig.status = GigStatus.ACTIVE.value
    gig.published_at = gig.published_at or clock.now()
    session.add(gig)
    session.flush()

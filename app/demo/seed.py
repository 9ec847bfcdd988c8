"""Seed the demo marketplace: an admin, voice-over sellers with their gigs, and buyers.

Seeding goes through the same services as the UI and the importer (sign-up, profile, seller
mode, catalogue import), so demo data obeys every rule real data does. It runs only on an
empty store, which makes it idempotent. The sellers and gigs are hand-written data files
(``sellers.jsonl``, ``gigs.jsonl``) beside this module; each gig's extras, FAQ and questions
come from its category's table in ``details.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from app.accounts import ProfileInput, SignUpInput, become_seller, count_users, create_admin, update_profile
from app.accounts.registration import create_user
from app.catalog import import_lines
from app.demo.details import with_details
from app.demo.messages import seed_conversations
from app.demo.offers import seed_offers_and_requests
from app.demo.orders import seed_orders
from app.niche import get_niche
from models.accounts import Role, SellerProfile, User

DEMO_PASSWORD = "mihan-demo-2026"
DATA = Path(__file__).parent

# The sellers whose gigs receive the demo orders (log in as the first to see a busy wallet).
SHOWCASE = ["fahad@demo.mihan.sa", "noura@demo.mihan.sa"]
BUYERS = [
    ("عبدالله القحطاني", "abdullah@demo.mihan.sa", "الرياض"),
    ("سارة الحربي", "sara@demo.mihan.sa", "المدينة المنورة"),
    ("يوسف البلوشي", "yousef@demo.mihan.sa", "مسقط"),
]


@dataclass(frozen=True)
class SeedResult:
    created: bool
    users: int
    gigs: int = 0
    orders: int = 0


def _lines(name: str) -> list[str]:
    return (DATA / name).read_text(encoding="utf-8").splitlines()


def _add_user(session: Session, name: str, email: str, **profile: object) -> int:
    user = create_user(session, SignUpInput(name=name, email=email, password=DEMO_PASSWORD), role=Role.USER, verified=True)
    assert user.id is not None
    update_profile(session, user_id=user.id, data=ProfileInput(name=name, **profile))  # type: ignore[arg-type]
    return user.id


def _add_sellers(session: Session) -> None:
    cities = {c.slug: c.name_ar for c in get_niche().cities}
    for raw in _lines("sellers.jsonl"):
        seller = json.loads(raw)
        user_id = _add_user(
            session, seller["name"], seller["email"],
            bio=seller["bio"], city=cities.get(seller["city"], ""), languages=seller["languages"],
        )
        become_seller(session, user_id=user_id)
        profile = session.exec(select(SellerProfile).where(SellerProfile.user_id == user_id)).one()
        profile.dialects = ",".join(seller.get("dialects", []))
        session.add(profile)


def seed_demo(session: Session) -> SeedResult:
    """Fill an empty store with the demo accounts and gigs; do nothing when any user exists."""
    if count_users(session) > 0:
        return SeedResult(created=False, users=count_users(session))
    create_admin(session, SignUpInput(name="إدارة مِهَن", email="admin@demo.mihan.sa", password=DEMO_PASSWORD))
    _add_sellers(session)
    for name, email, city in BUYERS:
        _add_user(session, name, email, city=city)
    report = import_lines(session, [with_details(raw) for raw in _lines("gigs.jsonl")])
    if report.errors:
        raise RuntimeError(f"demo gigs refused: {report.errors[:3]}")
    buyers, showcase = _ids(session, [email for _, email, _ in BUYERS]), _ids(session, SHOWCASE)
    orders = seed_orders(session, buyers=buyers, showcase=showcase)
    seed_conversations(session, buyers=buyers, showcase=showcase)
    seed_offers_and_requests(session, buyers=buyers, showcase=showcase)
    return SeedResult(created=True, users=count_users(session), gigs=report.created, orders=orders)


def _ids(session: Session, emails: list[str]) -> list[int]:
    found = {email: user_id for user_id, email in session.exec(select(User.id, User.email).where(col(User.email).in_(emails)))}
    return [found[email] for email in emails if email in found]

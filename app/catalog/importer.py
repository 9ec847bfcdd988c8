"""Bulk import of gigs from JSON Lines (one gig a line), for pilots moving a catalogue in.

Each line goes in its own savepoint: a bad line is reported with its number and reason while
the others go in. Lines are idempotent on ``ref``: importing the same file twice updates, never
duplicates. Sellers not yet known become claimable seller accounts (a random password they
replace through "forgot password"). A line may also carry ``extras``, ``faqs`` and
``requirements`` lists shaped as ``GigInput`` takes them; a re-import replaces them.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from app.accounts import AccountError, SignUpInput
from app.accounts.inputs import normalise_email
from app.accounts.profile import become_seller
from app.accounts.registration import create_user
from app.accounts.users import get_user_by_email
from app.catalog import gigs, taxonomy
from app.catalog.inputs import parse_gig
from app.core.errors import MihanError
from models.accounts import Role
from models.catalog import Gig, GigStatus

TIER_NAMES = {"basic": "الباقة الأساسية", "standard": "الباقة المتوسطة", "premium": "الباقة المميزة"}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _gig_data(line: dict[str, Any]) -> dict[str, Any]:
    packages = line.get("packages") or [
        {"tier": "basic", "price": line.get("price"), "delivery_days": line.get("delivery_days")}
    ]
    if not isinstance(packages, list):
        packages = []
    return {
        "title": line.get("title"),
        "category": line.get("category"),
        "description": line.get("description"),
        "tags": line.get("tags") or [],
        "city": line.get("city"),
        "dialect": line.get("dialect"),
        "packages": [
            {**p, "name": p.get("name") or TIER_NAMES.get(str(p.get("tier")), "الباقة")} if isinstance(p, dict) else p
            for p in packages
        ],
        "extras": line.get("extras") or [],
        "faqs": line.get("faqs") or [],
        "requirements": line.get("requirements") or [],
    }


def _seller(session: Session, email: object, names: dict[str, str]) -> int:
    try:
        address = normalise_email(email) if isinstance(email, str) else ""
    except ValueError:
        address = ""
    if not address:
        raise MihanError("import.bad_seller")
    user = get_user_by_email(session, address)
    if user is None:
        name = names.get(address) or address.split("@")[0]
        user = create_user(
            session, SignUpInput(name=name, email=address, password=secrets.token_urlsafe(24)), role=Role.USER, verified=False
        )
    assert user.id is not None
    become_seller(session, user_id=user.id)
    return user.id


def import_lines(
    session: Session, lines: Iterable[str], *, create_categories: bool = False, seller_names: dict[str, str] | None = None
) -> ImportReport:
    """Import gigs; returns counts and ``(line number, message key)`` for each refused line."""
    report = ImportReport()
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            with session.begin_nested():
                _import_one(session, raw, create_categories=create_categories, names=seller_names or {}, report=report)
        except MihanError as exc:
            report.errors.append((number, exc.key))
        except (AccountError, ValueError) as exc:
            report.errors.append((number, getattr(exc, "key", "import.bad_line")))
    return report


def _import_one(session: Session, raw: str, *, create_categories: bool, names: dict[str, str], report: ImportReport) -> None:
    try:
        line = json.loads(raw)
    except json.JSONDecodeError:
        raise MihanError("import.bad_json") from None
    if not isinstance(line, dict):
        raise MihanError("import.bad_json")
    ref = line.get("ref")
    if not isinstance(ref, str) or not 1 <= len(ref) <= 80:
        raise MihanError("import.bad_ref")
    data = parse_gig(_gig_data(line))
    if create_categories:
        taxonomy.ensure_category(session, data.category)
    seller_id = _seller(session, line.get("seller"), names)
    existing = session.exec(select(Gig).where(Gig.ref == ref)).first()
    if existing is None:
        gig = gigs.create_gig(session, seller_id=seller_id, data=data, ref=ref)
        report.created += 1
    else:
        if existing.seller_id != seller_id:
            raise MihanError("import.ref_taken")
        gig = existing
        gigs.apply(session, gig, data)
        report.updated += 1
    # A seller's pause and an admin's suspension outlive a re-import.
    if gig.status not in (GigStatus.PAUSED, GigStatus.SUSPENDED):
        gigs.publish(session, gig)

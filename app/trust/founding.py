"""Founding sellers (بائع مؤسس): the first sellers of a pilot, invited with single-use codes.

An admin makes codes from the console (a note says whom each is for; they expire); a seller
redeems one on «خدماتي». Redeeming sets ``seller_profile.founding_since``, which gives the
badge for good and the founding commission rate for the fee policy's window from that moment
(``app.pricing``). The code row and the profile are locked together, so a code is spent once
however many tabs submit it, and a seller is made founding once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from app.core.clock import as_utc
from app.trust.errors import TrustError
from models.accounts import InviteCode, Role, SellerProfile, User

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: codes are read out and typed
CODE_LENGTH = 10
MAX_BATCH = 50
MAX_NOTE = 200
VALID_DAYS = (1, 365)


@dataclass(frozen=True)
class InviteRow:
    """One code as the admin's list shows it."""

    id: int
    code: str
    note: str
    created_at: datetime
    expires_at: datetime
    state: str  # open, redeemed, expired, revoked
    redeemed_by: str  # the seller's name, when redeemed


def ensure_admin(session: Session, user_id: int) -> User:
    admin = session.get(User, user_id)
    if admin is None or admin.role != Role.ADMIN.value or not admin.is_active:
        raise TrustError("trust.admin_only")
    return admin


def normalise_code(code: object) -> str:
    """The code as stored: upper case, spaces and dashes dropped (people type it as they like)."""
    if not isinstance(code, str):
        return ""
    return "".join(ch for ch in code.upper() if ch not in " -\u00a0\t")[:32]


def create_codes(session: Session, *, admin_id: int, count: object, note: object, valid_days: object, now: datetime) -> list[InviteCode]:
    """Make ``count`` fresh codes valid ``valid_days`` days, all with ``note``.

    Raises:
        TrustError: ``trust.admin_only``, ``trust.invalid_batch`` (count not 1..50, days not
            1..365, a note over 200 characters or not text).
    """
    ensure_admin(session, admin_id)
    if type(count) is not int or not 1 <= count <= MAX_BATCH or type(valid_days) is not int or not VALID_DAYS[0] <= valid_days <= VALID_DAYS[1]:
        raise TrustError("trust.invalid_batch")
    if not isinstance(note, str) or len(note.strip()) > MAX_NOTE:
        raise TrustError("trust.invalid_batch")
    codes = [
        InviteCode(
            code="".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH)),
            note=note.strip(),
            created_by=admin_id,
            created_at=now,
            expires_at=now + timedelta(days=valid_days),
        )
        for _ in range(count)
    ]
    session.add_all(codes)
    session.flush()
    return codes


def revoke_code(session: Session, *, admin_id: int, code_id: object, now: datetime) -> None:
    """Withdraw an unspent code (a redeemed one stays as the record of who was invited).

    Raises:
        TrustError: ``trust.admin_only``, ``trust.code_not_found``, ``trust.code_spent``.
    """
    ensure_admin(session, admin_id)
    found = session.exec(select(InviteCode).where(InviteCode.id == code_id).with_for_update()).first() if type(code_id) is int else None
    if found is None:
        raise TrustError("trust.code_not_found")
    if found.redeemed_at is not None:
        raise TrustError("trust.code_spent")
    if found.revoked_at is None:
        found.revoked_at = now
        session.add(found)


def redeem_code(session: Session, *, user_id: int, code: object, now: datetime) -> SellerProfile:
    """Make the seller ``user_id`` a founding seller with ``code``.

    Every refusal names the same reason for a code that does not exist, expired, was revoked or
    spent by someone else, so codes cannot be probed one property at a time.

    Raises:
        TrustError: ``trust.sellers_only``, ``trust.already_founding``, ``trust.bad_code``.
    """
    profile = session.exec(select(SellerProfile).where(SellerProfile.user_id == user_id).with_for_update()).first()
    if profile is None:
        raise TrustError("trust.sellers_only")
    if profile.founding_since is not None:
        raise TrustError("trust.already_founding")
    wanted = normalise_code(code)
    found = session.exec(select(InviteCode).where(InviteCode.code == wanted).with_for_update()).first() if len(wanted) == CODE_LENGTH else None
    if found is None or found.redeemed_at is not None or found.revoked_at is not None or as_utc(found.expires_at) <= now:
        raise TrustError("trust.bad_code")
    found.redeemed_by, found.redeemed_at = user_id, now
    profile.founding_since = now
    session.add_all([found, profile])
    session.flush()
    return profile


def _state(row: InviteCode, now: datetime) -> str:
    if row.redeemed_at is not None:
        return "redeemed"
    if row.revoked_at is not None:
        return "revoked"
    return "expired" if as_utc(row.expires_at) <= now else "open"


def count_codes(session: Session, *, admin_id: int) -> int:
    ensure_admin(session, admin_id)
    return int(session.exec(select(func.count()).select_from(InviteCode)).one())


def list_codes(session: Session, *, admin_id: int, now: datetime, limit: int, offset: int) -> list[InviteRow]:
    """One page of the codes, newest first."""
    ensure_admin(session, admin_id)
    rows = session.exec(
        select(InviteCode, User.name)
        .join(User, col(User.id) == InviteCode.redeemed_by, isouter=True)
        .order_by(col(InviteCode.id).desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [
        InviteRow(
            id=row.id or 0,
            code=row.code,
            note=row.note,
            created_at=as_utc(row.created_at),
            expires_at=as_utc(row.expires_at),
            state=_state(row, now),
            redeemed_by=name or "",
        )
        for row, name in rows
    ]


def is_founding(session: Session, *, seller_id: int) -> bool:
    """Whether ``seller_id`` is a founding seller (the badge is for good)."""
    since = session.exec(select(SellerProfile.founding_since).where(SellerProfile.user_id == seller_id)).first()
    return since is not None

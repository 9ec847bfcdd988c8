"""Identity verification (هوية موثّقة): a seller proves who they are, an admin checks it by hand.

A seller asks in one of two ways, always with their legal full name as the document shows it:

* an **identity document** (a picture or a PDF up to 10 MB, typed by its bytes: an executable
  renamed ``.pdf`` is refused), stored as a private file under
  ``$MIHAN_DATA_DIR/private/identity/<seller>/<token>`` and served by ``/files/<token>`` only to
  the seller and to admins;
* a **Saudi freelance document number** (وثيقة العمل الحر, issued on freelance.sa): ``FL-``
  followed by 8 to 10 digits. Only its form is checked here (nothing leaves the machine); the
  admin looks it up on freelance.sa by hand.

One request is pending at a time (a partial unique index backs the check), at most
``MONTHLY_CAP`` requests in 30 days, and a verified seller is not asked again. An admin approves
or rejects a pending request with a reason the seller reads; the request row is locked, so of two
admins deciding at once only the first succeeds. Approval sets
``seller_profile.identity_verified_at`` (the badge); an admin may later withdraw it.

**Files (PDPL):** the document is needed only to decide, so it is deleted from disk as soon as
the request is decided, approved or rejected (after the commit); the row keeps the decision,
who made it and when, the method, the legal name and the freelance number (which the admin may
look up again when the yearly document lapses), never the picture of someone's ID.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from app.core import private_files
from app.core.db import on_commit
from app.core.private_files import StoredFile, clean_name
from app.core.settings import get_settings
from app.notifications import queue_notifications
from app.reviews.inputs import plain_text
from app.trust.errors import TrustError
from app.trust.founding import ensure_admin
from models.accounts import Role, SellerProfile, User
from models.trust import IdentityVerification, VerificationMethod, VerificationStatus

MAX_BYTES = 10 * 1024 * 1024
MONTHLY_CAP = 3  # requests in any 30 days: a rejected seller may try again, not endlessly
CAP_WINDOW = timedelta(days=30)
MAX_NAME = 120
MAX_REASON = 500
FREELANCE_PATTERN = re.compile(r"FL(\d{8,10})")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_NAME_PUNCTUATION = frozenset(" -'’.")


@dataclass(frozen=True)
class Status:
    """What the seller's page shows: verified or not, and their latest request."""

    verified: bool
    can_request: bool  # no pending request, not verified, under the monthly cap
    capped: bool  # would ask again, but the monthly cap is reached
    status: str  # the latest request's status ('' when none)
    reason: str  # the latest request's reason (rejected or withdrawn)
    asked_at: datetime | None  # when the latest request was sent


@dataclass(frozen=True)
class QueueItem:
    """One pending request as the admins' queue shows it."""

    id: int
    seller_id: int
    seller_name: str
    seller_email: str
    method: str
    legal_name: str
    document_number: str
    token: str  # the document's private link ('' for a number)
    file_name: str
    file_size: int
    created_at: datetime


def folder(seller_id: int) -> Path:
    return get_settings().private_dir / "identity" / str(seller_id)


def normalise_freelance_number(value: object) -> str:
    """``FL-<digits>`` as stored, from what people type (lower case, spaces, dashes, Arabic-Indic
    digits); '' when it does not have that form."""
    if not isinstance(value, str) or len(value) > 40:
        return ""
    text = "".join(ch for ch in value.upper().translate(_DIGITS) if ch not in " -_\u00a0\t/")
    found = FREELANCE_PATTERN.fullmatch(text)
    return f"FL-{found.group(1)}" if found else ""


def legal_name(value: object) -> str:
    """The full name as on the document: at least two words of letters (Arabic or Latin).

    Raises:
        TrustError / ReviewError: ``identity.invalid_name``.
    """
    text = " ".join(plain_text(value, limit=MAX_NAME, key="identity.invalid_name", required=True).split())
    letters_only = all(unicodedata.category(ch).startswith("L") or ch in _NAME_PUNCTUATION or unicodedata.category(ch) == "Mn" for ch in text)
    if len(text.split(" ")) < 2 or not letters_only:
        raise TrustError("identity.invalid_name")
    return text


def check_document(data: object) -> str:
    """The MIME type of an identity document, from its bytes: a picture or a PDF.

    Raises:
        TrustError: ``identity.file_empty``, ``identity.file_too_large``, ``identity.file_type``.
    """
    if not isinstance(data, bytes | bytearray) or not data:
        raise TrustError("identity.file_empty")
    if len(data) > MAX_BYTES:
        raise TrustError("identity.file_too_large", mb=MAX_BYTES // (1024 * 1024))
    kind = private_files.picture_or_pdf(bytes(data))
    if kind is None:
        raise TrustError("identity.file_type")
    return kind


def _seller(session: Session, seller_id: int) -> SellerProfile:
    """The seller's profile, locked (two tabs asking at once queue here)."""
    user = session.get(User, seller_id)
    profile = session.exec(select(SellerProfile).where(SellerProfile.user_id == seller_id).with_for_update()).first()
    if profile is None or user is None or not user.is_active:
        raise TrustError("trust.sellers_only")
    return profile


def _pending(session: Session, seller_id: int) -> IdentityVerification | None:
    return session.exec(
        select(IdentityVerification).where(IdentityVerification.seller_id == seller_id, IdentityVerification.status == VerificationStatus.PENDING.value)
    ).first()


def _asked_lately(session: Session, seller_id: int, now: datetime) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(IdentityVerification)
            .where(IdentityVerification.seller_id == seller_id, col(IdentityVerification.created_at) > now - CAP_WINDOW)
        ).one()
    )


def _ensure_may_ask(session: Session, seller_id: int, now: datetime) -> None:
    profile = _seller(session, seller_id)
    if profile.identity_verified_at is not None:
        raise TrustError("identity.already_verified")
    if _pending(session, seller_id) is not None:
        raise TrustError("identity.already_pending")
    if _asked_lately(session, seller_id, now) >= MONTHLY_CAP:
        raise TrustError("identity.monthly_cap", count=MONTHLY_CAP)


def _insert(session: Session, request: IdentityVerification) -> IdentityVerification:
    try:
        with session.begin_nested():
            session.add(request)
            session.flush()
    except IntegrityError:
        raise TrustError("identity.already_pending") from None
    return request


def request_with_number(session: Session, *, seller_id: int, name: object, number: object, now: datetime) -> IdentityVerification:
    """Ask to be verified by a Saudi freelance document number.

    Raises:
        TrustError: ``trust.sellers_only``, ``identity.already_verified``, ``identity.already_pending``,
            ``identity.monthly_cap``, ``identity.invalid_name``, ``identity.invalid_number``.
    """
    _ensure_may_ask(session, seller_id, now)
    full_name = legal_name(name)
    canonical = normalise_freelance_number(number)
    if not canonical:
        raise TrustError("identity.invalid_number")
    request = IdentityVerification(
        seller_id=seller_id, method=VerificationMethod.FREELANCE.value, legal_name=full_name, document_number=canonical, created_at=now
    )
    return _insert(session, request)


def request_with_document(
    session: Session, *, seller_id: int, name: object, filename: object, data: object, now: datetime
) -> IdentityVerification:
    """Ask to be verified by an identity document; the file is written now (removed again if the
    transaction rolls back).

    Raises:
        TrustError: as ``request_with_number`` (but the number), ``identity.file_empty``,
            ``identity.file_too_large``, ``identity.file_type``.
    """
    _ensure_may_ask(session, seller_id, now)
    full_name = legal_name(name)
    mime = check_document(data)
    assert isinstance(data, bytes | bytearray)
    request = IdentityVerification(
        seller_id=seller_id,
        method=VerificationMethod.DOCUMENT.value,
        legal_name=full_name,
        token=private_files.new_token(),
        file_name=clean_name(filename),
        file_mime=mime,
        file_size=len(data),
        created_at=now,
    )
    _insert(session, request)
    assert request.token is not None
    private_files.store(session, folder(seller_id), request.token, bytes(data))
    return request


def _locked(session: Session, request_id: object) -> IdentityVerification:
    found = (
        session.exec(select(IdentityVerification).where(IdentityVerification.id == request_id).with_for_update()).first()
        if type(request_id) is int
        else None
    )
    if found is None:
        raise TrustError("identity.not_found")
    return found


def _forget_file(session: Session, request: IdentityVerification, now: datetime) -> None:
    """Delete the document once the decision is committed; the row keeps no link to it."""
    if request.token is None:
        return
    path = folder(request.seller_id) / request.token
    on_commit(session, lambda: path.unlink(missing_ok=True))
    request.token, request.file_deleted_at = None, now


def decide(session: Session, *, admin_id: int, request_id: object, approve: object, reason: object, now: datetime) -> IdentityVerification:
    """Approve or reject one pending request; a rejection needs a reason (the seller reads it).

    Raises:
        TrustError: ``trust.admin_only``, ``identity.not_found``, ``identity.decided``,
            ``identity.bad_decision``, ``identity.reason_required`` and the plain-text refusals.
    """
    ensure_admin(session, admin_id)
    if type(approve) is not bool:
        raise TrustError("identity.bad_decision")
    request = _locked(session, request_id)
    if request.status != VerificationStatus.PENDING.value:
        raise TrustError("identity.decided")
    text = plain_text(reason if reason is not None else "", limit=MAX_REASON, key="identity.reason_required", required=not approve)
    request.status = (VerificationStatus.APPROVED if approve else VerificationStatus.REJECTED).value
    request.decided_by, request.decided_at, request.reason = admin_id, now, text
    _forget_file(session, request, now)
    if approve:
        profile = session.exec(select(SellerProfile).where(SellerProfile.user_id == request.seller_id).with_for_update()).first()
        if profile is not None:
            profile.identity_verified_at = now
            session.add(profile)
    session.add(request)
    queue_notifications(session, f"identity_{request.status}", [request.seller_id], order_id=None, now=now)
    session.flush()
    return request


def withdraw(session: Session, *, admin_id: int, seller_id: object, reason: object, now: datetime) -> IdentityVerification:
    """Withdraw a seller's verification (the badge goes at once), with a reason they read.

    Raises:
        TrustError: ``trust.admin_only``, ``identity.not_verified``, ``identity.reason_required``.
    """
    ensure_admin(session, admin_id)
    profile = (
        session.exec(select(SellerProfile).where(SellerProfile.user_id == seller_id).with_for_update()).first() if type(seller_id) is int else None
    )
    if profile is None or profile.identity_verified_at is None:
        raise TrustError("identity.not_verified")
    text = plain_text(reason, limit=MAX_REASON, key="identity.reason_required", required=True)
    request = session.exec(
        select(IdentityVerification)
        .where(IdentityVerification.seller_id == profile.user_id, IdentityVerification.status == VerificationStatus.APPROVED.value)
        .order_by(col(IdentityVerification.id).desc())
        .with_for_update()
    ).first()
    if request is None:
        raise TrustError("identity.not_verified")
    profile.identity_verified_at = None
    request.status, request.reason = VerificationStatus.WITHDRAWN.value, text
    request.withdrawn_by, request.withdrawn_at = admin_id, now
    session.add_all([profile, request])
    queue_notifications(session, "identity_withdrawn", [profile.user_id], order_id=None, now=now)
    session.flush()
    return request


# -- reading ------------------------------------------------------------------------------------


def is_verified(session: Session, *, seller_id: int) -> bool:
    """Whether ``seller_id``'s identity is verified (the «هوية موثّقة» badge)."""
    return session.exec(select(SellerProfile.identity_verified_at).where(SellerProfile.user_id == seller_id)).first() is not None


def status_of(session: Session, *, seller_id: int, now: datetime) -> Status:
    """The seller's own view: verified, their latest request, and whether they may ask now."""
    verified = is_verified(session, seller_id=seller_id)
    latest = session.exec(
        select(IdentityVerification).where(IdentityVerification.seller_id == seller_id).order_by(col(IdentityVerification.id).desc())
    ).first()
    pending = latest is not None and latest.status == VerificationStatus.PENDING.value
    capped = not verified and not pending and _asked_lately(session, seller_id, now) >= MONTHLY_CAP
    return Status(
        verified=verified,
        can_request=not verified and not pending and not capped,
        capped=capped,
        status=latest.status if latest is not None else "",
        reason=latest.reason if latest is not None else "",
        asked_at=latest.created_at if latest is not None else None,
    )


def count_pending(session: Session) -> int:
    return int(
        session.exec(select(func.count()).select_from(IdentityVerification).where(IdentityVerification.status == VerificationStatus.PENDING.value)).one()
    )


def list_pending(session: Session, *, admin_id: int, limit: int, offset: int) -> list[QueueItem]:
    """One page of the pending requests, oldest first."""
    ensure_admin(session, admin_id)
    rows = session.exec(
        select(IdentityVerification, User.name, User.email)
        .join(User, col(User.id) == IdentityVerification.seller_id)
        .where(IdentityVerification.status == VerificationStatus.PENDING.value)
        .order_by(col(IdentityVerification.id))
        .limit(limit)
        .offset(offset)
    ).all()
    return [
        QueueItem(
            id=row.id or 0,
            seller_id=row.seller_id,
            seller_name=name,
            seller_email=email,
            method=row.method,
            legal_name=row.legal_name,
            document_number=row.document_number,
            token=row.token or "",
            file_name=row.file_name,
            file_size=row.file_size,
            created_at=row.created_at,
        )
        for row, name, email in rows
    ]


def open_document(session: Session, *, token: object, user_id: int) -> StoredFile | None:
    """The identity document named ``token``, for the seller who sent it and for admins only."""
    row = private_files.find(session, IdentityVerification, token)
    user = session.get(User, user_id)
    if row is None or user is None or not user.is_active:
        return None
    if user_id != row.seller_id and user.role != Role.ADMIN.value:
        return None
    path = folder(row.seller_id) / str(row.token)
    return StoredFile(path=path, name=row.file_name, mime=row.file_mime) if path.is_file() else None

"""The profile a user edits, the switch to seller mode, and a seller's VAT registration.

The VAT registration decides, with the fee policy's deemed-supplier switch, how the platform
invoices the seller's orders (``app.pricing``): checkout freezes it on each order, so a change
applies to orders placed afterwards only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from app.accounts import avatars
from app.accounts.errors import AccountError
from app.accounts.inputs import ProfileInput
from app.accounts.users import get_user, is_seller
from app.core import clock
from app.core.db import on_commit
from app.core.settings import get_settings
from app.invoices.zatca import is_vat_number
from app.pricing import get_fee_policy
from models.accounts import SellerProfile

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
MAX_TYPED_VAT = 40  # characters of a typed VAT number looked at


@dataclass(frozen=True)
class ProfileView:
    """The editable profile fields, as plain values for forms."""

    name: str
    email: str
    bio: str
    city: str
    languages: tuple[str, ...]
    avatar_url: str
    is_seller: bool
    email_verified: bool


def avatar_url(avatar_file: str) -> str:
    return f"/media/{avatar_file}" if avatar_file else ""


def get_profile(session: Session, *, user_id: int) -> ProfileView:
    user = get_user(session, user_id)
    return ProfileView(
        name=user.name,
        email=user.email,
        bio=user.bio,
        city=user.city,
        languages=tuple(x for x in user.languages.split(",") if x),
        avatar_url=avatar_url(user.avatar_file),
        is_seller=is_seller(session, user_id),
        email_verified=user.email_verified_at is not None,
    )


def update_profile(session: Session, *, user_id: int, data: ProfileInput) -> None:
    user = get_user(session, user_id)
    user.name = data.name
    user.bio = data.bio
    user.city = data.city
    user.languages = ",".join(dict.fromkeys(lang.replace(",", " ") for lang in data.languages))
    user.updated_at = clock.now()
    session.add(user)
    session.flush()


def set_avatar(session: Session, *, user_id: int, data: bytes) -> str:
    """Replace the avatar; the old file is removed only after the change commits.

    Raises:
        AccountError: ``profile.avatar_not_image``, ``profile.avatar_too_large``.
    """
    user = get_user(session, user_id)
    webp = avatars.reencode(data)
    media = get_settings().media_dir
    old = user.avatar_file
    user.avatar_file = avatars.store(media, webp)
    user.updated_at = clock.now()
    session.add(user)
    session.flush()
    if old:
        on_commit(session, lambda: (media / old).unlink(missing_ok=True))
    return avatar_url(user.avatar_file)


def become_seller(session: Session, *, user_id: int) -> bool:
    """Switch the account to seller mode; returns False when it already was a seller."""
    get_user(session, user_id)
    if is_seller(session, user_id):
        return False
    session.add(SellerProfile(user_id=user_id, created_at=clock.now()))
    session.flush()
    return True


@dataclass(frozen=True)
class VatStatus:
    """A seller's VAT registration and what it means for their orders now."""

    registered: bool
    vat_number: str
    deemed_supplier: bool  # new orders: the platform invoices the buyer the full price with VAT


def _seller_profile(session: Session, user_id: int, *, lock: bool = False) -> SellerProfile:
    query = select(SellerProfile).where(SellerProfile.user_id == user_id)
    profile = session.exec(query.with_for_update() if lock else query).first()
    if profile is None:
        raise AccountError("profile.vat_not_seller")
    return profile


def _status(profile: SellerProfile) -> VatStatus:
    deemed = get_fee_policy().deemed_supplier and not profile.vat_registered
    return VatStatus(profile.vat_registered, profile.vat_number, deemed)


def get_vat_status(session: Session, *, user_id: int) -> VatStatus:
    """The seller's VAT registration.

    Raises:
        AccountError: ``profile.vat_not_seller``.
    """
    return _status(_seller_profile(session, user_id))


def clean_vat_number(value: object) -> str:
    """A typed KSA VAT number (Arabic-Indic digits and spaces allowed) as its 15 digits.

    Raises:
        AccountError: ``profile.vat_number_invalid`` (not 15 digits starting and ending with 3).
    """
    if not isinstance(value, str) or len(value) > MAX_TYPED_VAT:
        raise AccountError("profile.vat_number_invalid")
    digits = "".join(value.translate(_DIGITS).split())
    if not is_vat_number(digits):
        raise AccountError("profile.vat_number_invalid")
    return digits


def set_vat_registration(session: Session, *, user_id: int, registered: object, vat_number: object) -> VatStatus:
    """Record whether the seller is VAT-registered (with their VAT number) or not.

    Orders already placed keep the mode they were placed in. Not registered clears the number.

    Raises:
        AccountError: ``profile.vat_not_seller``, ``profile.vat_number_invalid``.
    """
    if type(registered) is not bool or not isinstance(vat_number, str):  # the form always sends the field
        raise AccountError("profile.vat_number_invalid")
    number = clean_vat_number(vat_number) if registered else ""
    profile = _seller_profile(session, user_id, lock=True)
    profile.vat_registered = registered
    profile.vat_number = number
    session.add(profile)
    session.flush()
    return _status(profile)

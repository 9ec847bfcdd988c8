"""The profile a user edits and the switch to seller mode."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.accounts import avatars
from app.accounts.inputs import ProfileInput
from app.accounts.users import get_user, is_seller
from app.core import clock
from app.core.db import on_commit
from app.core.settings import get_settings
from models.accounts import SellerProfile


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

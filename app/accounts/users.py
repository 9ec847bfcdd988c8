"""Look-ups of users shared by the accounts services."""

from __future__ import annotations

from sqlmodel import Session, select

from app.accounts.errors import AccountError
from models.accounts import SellerProfile, User


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise AccountError("auth.sign_in_required")
    return user


def is_seller(session: Session, user_id: int) -> bool:
    return session.exec(select(SellerProfile.id).where(SellerProfile.user_id == user_id)).first() is not None


def count_users(session: Session) -> int:
    from sqlalchemy import func

    return session.exec(select(func.count()).select_from(User)).one()

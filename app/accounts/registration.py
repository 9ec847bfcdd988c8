"""Sign-up, e-mail verification and admin creation."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.accounts import email_tokens
from app.accounts.errors import AccountError
from app.accounts.inputs import SignUpInput
from app.accounts.users import get_user, get_user_by_email
from app.core import clock
from app.core.security import hash_password, verify_password
from app.core.settings import get_settings
from app.mail import compose, send_after_commit
from models.accounts import Role, TokenPurpose, User


def create_user(session: Session, data: SignUpInput, *, role: Role, verified: bool) -> User:
    """Insert an account (no mail); the building block of sign-up, admins and demo data.

    Raises:
        AccountError: ``auth.email_taken``.
    """
    if get_user_by_email(session, data.email) is not None:
        raise AccountError("auth.email_taken")
    now = clock.now()
    user = User(
        email=data.email,
        name=data.name,
        password_hash=hash_password(data.password),
        role=role.value,
        email_verified_at=now if verified else None,
        created_at=now,
        updated_at=now,
    )
    session.add(user)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # a concurrent sign-up won the race for this address
        raise AccountError("auth.email_taken") from None
    return user


def sign_up(session: Session, data: SignUpInput, *, lang: str = "ar") -> User:
    """Create a buyer account and mail a verification link.

    Raises:
        AccountError: ``auth.email_taken``.
    """
    user = create_user(session, data, role=Role.USER, verified=False)
    assert user.id is not None
    send_verification(session, user_id=user.id, lang=lang)
    return user


def send_verification(session: Session, *, user_id: int, lang: str = "ar") -> None:
    """Mail a fresh verification link to the user (after the transaction commits)."""
    user = get_user(session, user_id)
    assert user.id is not None
    token = email_tokens.issue(session, user_id=user.id, purpose=TokenPurpose.VERIFY_EMAIL)
    link = f"{get_settings().base_url}/verify-email?token={token}"
    send_after_commit(
        session,
        compose(to=user.email, subject_key="mail.verify.subject", body_key="mail.verify.body", lang=lang, name=user.name, link=link),
    )


def verify_email(session: Session, *, token: str) -> User:
    """Confirm the address behind ``token``.

    Raises:
        AccountError: ``auth.link_invalid``.
    """
    user = get_user(session, email_tokens.redeem(session, token=token, purpose=TokenPurpose.VERIFY_EMAIL))
    if user.email_verified_at is None:
        user.email_verified_at = clock.now()
        session.add(user)
        session.flush()
    return user


def create_admin(session: Session, data: SignUpInput) -> User:
    """Create an administrator (CLI only), or promote the existing account with that e-mail.

    Raises:
        AccountError: ``auth.email_taken`` when the address belongs to someone with another password.
    """
    existing = get_user_by_email(session, data.email)
    if existing is not None:
        ok, _ = verify_password(data.password, existing.password_hash)
        if not ok:
            raise AccountError("auth.email_taken")
        existing.role = Role.ADMIN.value
        existing.updated_at = clock.now()
        session.add(existing)
        session.flush()
        return existing
    return create_user(session, data, role=Role.ADMIN, verified=True)

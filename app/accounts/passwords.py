"""Password reset by mailed link and password change; both revoke other sessions."""

from __future__ import annotations

from sqlmodel import Session

from app.accounts import email_tokens, sessions
from app.accounts.errors import AccountError
from app.accounts.inputs import EmailInput, PasswordChangeInput, ResetInput
from app.accounts.users import get_user, get_user_by_email
from app.core import clock
from app.core.security import hash_password, verify_password
from app.core.settings import get_settings
from app.mail import compose, send_after_commit
from models.accounts import TokenPurpose


def request_reset(session: Session, data: EmailInput, *, lang: str = "ar") -> None:
    """Mail a reset link when the account exists; say nothing either way (no enumeration)."""
    user = get_user_by_email(session, data.email)
    if user is None or not user.is_active or user.id is None:
        return
    token = email_tokens.issue(session, user_id=user.id, purpose=TokenPurpose.RESET_PASSWORD)
    link = f"{get_settings().base_url}/reset-password?token={token}"
    send_after_commit(
        session,
        compose(to=user.email, subject_key="mail.reset.subject", body_key="mail.reset.body", lang=lang, name=user.name, link=link),
    )


def reset_password(session: Session, data: ResetInput) -> None:
    """Set a new password from a reset link and sign the account out everywhere.

    Raises:
        AccountError: ``auth.link_invalid``.
    """
    user = get_user(session, email_tokens.redeem(session, token=data.token, purpose=TokenPurpose.RESET_PASSWORD))
    user.password_hash = hash_password(data.password)
    # Following a mailed link proves the address too.
    user.email_verified_at = user.email_verified_at or clock.now()
    user.updated_at = clock.now()
    session.add(user)
    assert user.id is not None
    sessions.revoke_all(session, user_id=user.id)
    session.flush()


def change_password(session: Session, *, user_id: int, data: PasswordChangeInput, current_token: str) -> None:
    """Change the password after checking the current one; other sessions are revoked.

    Raises:
        AccountError: ``auth.wrong_password``.
    """
    user = get_user(session, user_id)
    ok, _ = verify_password(data.current_password, user.password_hash)
    if not ok:
        raise AccountError("auth.wrong_password")
    user.password_hash = hash_password(data.new_password)
    user.updated_at = clock.now()
    session.add(user)
    sessions.revoke_all(session, user_id=user_id, keep_token=current_token)
    session.flush()

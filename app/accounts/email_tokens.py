"""Single-use tokens mailed for e-mail verification and password reset."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from app.accounts.errors import AccountError
from app.core import clock
from app.core.security import hash_token, new_token
from models.accounts import EmailToken, TokenPurpose

LIFETIME = {
    TokenPurpose.VERIFY_EMAIL: timedelta(days=3),
    TokenPurpose.RESET_PASSWORD: timedelta(hours=1),
}


def issue(session: Session, *, user_id: int, purpose: TokenPurpose) -> str:
    """Create a token; return the clear value (to mail) while storing only its hash."""
    token = new_token()
    now = clock.now()
    session.add(
        EmailToken(
            user_id=user_id,
            purpose=purpose.value,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + LIFETIME[purpose],
        )
    )
    session.flush()
    return token


def redeem(session: Session, *, token: str, purpose: TokenPurpose) -> int:
    """Mark a valid token used and return its user id; raise ``auth.link_invalid`` otherwise."""
    row = session.exec(
        select(EmailToken).where(EmailToken.token_hash == hash_token(token), EmailToken.purpose == purpose.value)
    ).first()
    if row is None or row.used_at is not None or clock.as_utc(row.expires_at) <= clock.now():
        raise AccountError("auth.link_invalid")
    row.used_at = clock.now()
    session.add(row)
    session.flush()
    return row.user_id

"""Sign-in sessions: log in, resolve the viewer from a browser token, log out.

The browser keeps a random token; the table keeps its SHA-256, the expiry and the revocation
time. A wrong e-mail and a wrong password get the same message and take the same time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select, update

from app.accounts import throttle
from app.accounts.inputs import LogInInput
from app.accounts.users import get_user_by_email, is_seller
from app.accounts.viewer import Viewer
from app.core import clock
from app.core.security import burn_password_check, hash_token, new_token, verify_password
from app.core.settings import get_settings
from models.accounts import AuthSession, User


@dataclass(frozen=True)
class SignIn:
    """The result of a successful log-in: the clear token for the browser, and who it is."""

    token: str
    viewer: Viewer


def log_in(session: Session, data: LogInInput, *, ip: str = "", user_agent: str = "") -> SignIn | None:
    """Check credentials under the throttle and open a session.

    Returns None for a wrong e-mail or password: the failed attempt has been recorded, so the
    caller commits the transaction and then shows ``auth.bad_credentials``.

    Raises:
        AccountError: ``auth.throttled`` (nothing recorded).
    """
    email = data.email.strip().lower()
    throttle.ensure_not_throttled(session, email=email, ip=ip)
    user = get_user_by_email(session, email)
    if user is None or not user.is_active:
        burn_password_check(data.password)
        ok, new_hash = False, None
    else:
        ok, new_hash = verify_password(data.password, user.password_hash)
    throttle.record_attempt(session, email=email, ip=ip, succeeded=ok)
    if not ok or user is None:
        return None
    if new_hash:
        user.password_hash = new_hash
        session.add(user)
    return start_session(session, user=user, ip=ip, user_agent=user_agent)


def start_session(session: Session, *, user: User, ip: str = "", user_agent: str = "") -> SignIn:
    """Open a session for ``user`` (after log-in or sign-up) and return its clear token."""
    return SignIn(token=open_session(session, user=user, ip=ip, user_agent=user_agent), viewer=_viewer(session, user))


def open_session(session: Session, *, user: User, ip: str = "", user_agent: str = "") -> str:
    assert user.id is not None
    token = new_token()
    now = clock.now()
    session.add(
        AuthSession(
            user_id=user.id,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + timedelta(days=get_settings().session_days),
            ip=ip[:64],
            user_agent=user_agent[:300],
        )
    )
    session.flush()
    return token


def _viewer(session: Session, user: User) -> Viewer:
    assert user.id is not None
    return Viewer.of(user, is_seller=is_seller(session, user.id))


def resolve(session: Session, token: object) -> Viewer | None:
    """Return the viewer of a live session token, or None for anything else."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    row = session.exec(
        select(AuthSession, User)
        .join(User, User.id == AuthSession.user_id)
        .where(AuthSession.token_hash == hash_token(token), AuthSession.revoked_at.is_(None))
    ).first()
    if row is None:
        return None
    auth, user = row
    if clock.as_utc(auth.expires_at) <= clock.now() or not user.is_active:
        return None
    return _viewer(session, user)


def log_out(session: Session, token: object) -> None:
    """Revoke the session behind ``token`` (a no-op for unknown tokens)."""
    if isinstance(token, str) and token:
        session.exec(
            update(AuthSession)
            .where(AuthSession.token_hash == hash_token(token), AuthSession.revoked_at.is_(None))
            .values(revoked_at=clock.now())
        )


def revoke_all(session: Session, *, user_id: int, keep_token: str | None = None) -> None:
    """Revoke every session of ``user_id`` except, optionally, the one still in use."""
    statement = update(AuthSession).where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
    if keep_token:
        statement = statement.where(AuthSession.token_hash != hash_token(keep_token))
    session.exec(statement.values(revoked_at=clock.now()))

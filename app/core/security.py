"""Password hashing and opaque tokens.

Passwords use passlib's argon2 (bcrypt's passlib backend is broken with bcrypt 5); pbkdf2 stays
verifiable so hashes made elsewhere upgrade themselves at the next log-in. Tokens handed to a
browser or an e-mail are random; only their SHA-256 is stored, so a database leak does not
leak a usable session.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import TypeGuard
from urllib.parse import urlsplit

from passlib.context import CryptContext

passwords = CryptContext(schemes=["argon2", "pbkdf2_sha256"], deprecated="auto")


def hash_password(password: str) -> str:
    return passwords.hash(password)


def verify_password(password: str, password_hash: str) -> tuple[bool, str | None]:
    """Check ``password``; returns (ok, new_hash) where new_hash is set when a rehash is due."""
    try:
        return passwords.verify_and_update(password, password_hash)
    except (ValueError, TypeError):
        return False, None


# A real hash to verify against when the account does not exist, so the time a wrong e-mail
# takes matches the time a wrong password takes (no account enumeration by timing).
_DUMMY_HASH = passwords.hash(secrets.token_hex(16))


def burn_password_check(password: str) -> None:
    passwords.verify(password, _DUMMY_HASH)


def new_token() -> str:
    """A URL-safe random token with 256 bits of entropy."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    # "surrogatepass": a forged cookie or link may hold lone surrogates; it must hash (and
    # match nothing) rather than raise.
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def same(a: str, b: str) -> bool:
    """Constant-time string comparison."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def is_same_site_path(target: object) -> TypeGuard[str]:
    """Whether ``target`` is a path on this site, safe to redirect to (no open redirect).

    Browsers read a backslash as a slash and drop tabs and newlines, so ``/\\evil.com`` and
    ``/<tab>/evil.com`` would lead off-site: backslashes and control characters are refused.
    """
    if (
        not isinstance(target, str)
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target)
    ):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def spreadsheet_cell(text: str) -> str:
    """Defuse a formula a spreadsheet would run (CSV injection): quote a leading = + - @."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text

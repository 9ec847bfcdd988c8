"""Secrets kept at rest encrypted: Fernet (AES-128-CBC + HMAC-SHA256) under a key file in the data dir.

The key is ``$MIHAN_DATA_DIR/gateway-settings.key``, made (0600) on first use. The database
alone therefore tells nothing: a copy of it without the key file cannot be read. Losing the
key file means re-entering what was encrypted with it (``SecretBoxError`` says so); it is not
derived from anything else on purpose.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from app.core.settings import get_settings

KEY_FILE = "gateway-settings.key"


class SecretBoxError(Exception):
    """The stored secrets cannot be read with this key file (changed or lost): re-enter them."""


def key_path() -> Path:
    return get_settings().data_dir / KEY_FILE


def _key(path: Path) -> bytes:
    """The key in ``path``, made with mode 0600 when missing (two processes racing: one wins)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(Fernet.generate_key())
    return path.read_bytes().strip()


def seal(values: dict[str, str]) -> str:
    """``values`` as one encrypted token ('' for none)."""
    if not values:
        return ""
    return Fernet(_key(key_path())).encrypt(json.dumps(values, sort_keys=True).encode()).decode()


def open_sealed(token: str) -> dict[str, str]:
    """The values sealed in ``token`` ({} for '').

    Raises:
        SecretBoxError: the token was not made with this key file (or was altered).
    """
    if not token:
        return {}
    return dict(_open(_key(key_path()), token))


@lru_cache(maxsize=64)
def _open(key: bytes, token: str) -> tuple[tuple[str, str], ...]:
    """Decrypted once per token and key: every gateway build reads the settings again."""
    try:
        values = json.loads(Fernet(key).decrypt(token.encode()))
    except (InvalidToken, ValueError):
        raise SecretBoxError("the gateway settings cannot be decrypted with this key file") from None
    return tuple(sorted((str(k), str(v)) for k, v in values.items()))

"""Private files (order deliveries, message attachments, voice notes): stored under random
names outside any public folder, typed by content, and served only by routes that check who
asks (``app/http.py``), always with ``nosniff``.

A capability decides who may see a file and where its folder is; this module does the parts
they share: the safe display name, the type found from the bytes, writing under an
unguessable token (removed again if the transaction rolls back), and finding it again.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import filetype
from sqlmodel import Session, select

from app.core import images
from app.core.db import on_rollback

_SAFE_NAME = str.maketrans({c: "_" for c in '/\\:*?"<>|\x00'})
UNKNOWN = "application/octet-stream"
PICTURES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})
PDF = "application/pdf"


@dataclass(frozen=True)
class StoredFile:
    """What the download route needs: where the file is, how to name it, its type, and whether
    a browser may play it in the page (audio) rather than only download it."""

    path: Path
    name: str
    mime: str
    inline: bool = False


def clean_name(name: object) -> str:
    """The name the uploader gave, made safe to echo back in a header (never used as a path)."""
    text = str(name or "").strip().translate(_SAFE_NAME)[-120:]
    return "".join(ch for ch in text if ch.isprintable()) or "file"


def sniff(data: bytes) -> str:
    """The MIME type the content says (magic bytes), never the name's."""
    kind = filetype.guess(bytes(data[:8192]))
    return kind.mime if kind is not None else UNKNOWN


def picture_or_pdf(data: bytes) -> str | None:
    """The type of a picture Pillow can open (JPEG, PNG, WebP, GIF) or of a PDF (its magic and
    its ``%%EOF`` trailer), from the bytes alone; None for anything else, an executable named
    ``.pdf`` included."""
    sniffed = sniff(data)
    if sniffed in PICTURES and images.is_image(data):
        return sniffed
    if sniffed == PDF and b"%%EOF" in data[-2048:]:
        return PDF
    return None


def new_token() -> str:
    return secrets.token_urlsafe(24)


def store(session: Session, folder: Path, token: str, data: bytes) -> Path:
    """Write ``data`` as ``folder/token`` now; it is removed again if ``session`` rolls back."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / token
    partial = folder / f".{token}.part"
    partial.write_bytes(data)
    partial.replace(path)
    on_rollback(session, lambda: path.unlink(missing_ok=True))
    return path


def valid_token(token: object) -> bool:
    return isinstance(token, str) and 10 <= len(token) <= 64


Row = TypeVar("Row")


def find(session: Session, model: type[Row], token: object) -> Row | None:
    """The row of ``model`` (a table with a ``token`` column) named ``token``; None for junk."""
    if not valid_token(token):
        return None
    return session.exec(select(model).where(model.token == token)).first()  # type: ignore[attr-defined]


def opened(folder: Path, row: Any, *, inline: bool = False) -> StoredFile | None:
    """The stored file of ``row`` (``token``, ``name``, ``mime``) in ``folder``, if it is on disk."""
    path = folder / row.token
    return StoredFile(path=path, name=row.name, mime=row.mime, inline=inline) if path.is_file() else None

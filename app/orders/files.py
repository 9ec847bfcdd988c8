"""Files exchanged on an order (requirements attachments, deliveries), in private storage.

A delivery is the seller's work product (often the recorded audio), so these files are never
public: they live under ``$MIHAN_DATA_DIR/private/orders/<order>/`` with random names and are
served only to the order's two parties and admins (``app/http.py``), always as a download
(``Content-Disposition: attachment``) with the type found from the content, so a file cannot
run as a page in our origin whatever its name says.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

import filetype
from sqlmodel import Session, func, select

from app.core import clock
from app.core.db import on_rollback
from app.core.settings import get_settings
from app.orders.errors import OrderError
from app.orders.lifecycle import party
from app.orders.machine import CLOSED
from models.accounts import Role, User
from models.orders import Order, OrderFile

MAX_BYTES = 200 * 1024 * 1024
MAX_FILES = 60
_SAFE_NAME = str.maketrans({c: "_" for c in '/\\:*?"<>|\x00'})


@dataclass(frozen=True)
class StoredFile:
    """What the download route needs: where the file is and how to name it."""

    path: Path
    name: str
    mime: str


def _folder(order_id: int) -> Path:
    return get_settings().private_dir / "orders" / str(order_id)


def clean_name(name: object) -> str:
    """The name the uploader gave, made safe to echo back in a header (never used as a path)."""
    text = str(name or "").strip().translate(_SAFE_NAME)[-120:]
    return "".join(ch for ch in text if ch.isprintable()) or "file"


def attach(session: Session, *, order_id: int, user_id: int, filename: str, data: bytes) -> OrderFile:
    """Store a file one party adds to an open order; returns its row (its ``token`` names it).

    The file lands on disk now and is removed again if the transaction rolls back.
    """
    order, _ = party(session, order_id, user_id)
    if order.status in CLOSED:
        raise OrderError("order.closed")
    if not isinstance(data, bytes | bytearray) or not data:
        raise OrderError("order.invalid_file")
    if len(data) > MAX_BYTES:
        raise OrderError("order.file_too_large", mb=MAX_BYTES // (1024 * 1024))
    count = session.exec(select(func.count()).select_from(OrderFile).where(OrderFile.order_id == order.id)).one()
    if count >= MAX_FILES:
        raise OrderError("order.too_many_files", count=MAX_FILES)
    kind = filetype.guess(bytes(data[:8192]))
    row = OrderFile(
        order_id=order.id,  # type: ignore[arg-type]
        uploaded_by=user_id,
        token=secrets.token_urlsafe(24),
        name=clean_name(filename),
        mime=kind.mime if kind is not None else "application/octet-stream",
        size_bytes=len(data),
        created_at=clock.now(),
    )
    folder = _folder(order.id)  # type: ignore[arg-type]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / row.token
    path.write_bytes(data)
    on_rollback(session, lambda: path.unlink(missing_ok=True))
    session.add(row)
    session.flush()
    return row


def open_for(session: Session, *, token: object, user_id: int) -> StoredFile | None:
    """The file named ``token`` if ``user_id`` is a party to its order or an admin; else None."""
    if not isinstance(token, str) or not 10 <= len(token) <= 64:
        return None
    row = session.exec(select(OrderFile).where(OrderFile.token == token)).first()
    if row is None:
        return None
    order = session.get(Order, row.order_id)
    user = session.get(User, user_id)
    if order is None or user is None:
        return None
    if user_id not in (order.buyer_id, order.seller_id) and user.role != Role.ADMIN.value:
        return None
    path = _folder(order.id) / row.token  # type: ignore[arg-type]
    return StoredFile(path=path, name=row.name, mime=row.mime) if path.is_file() else None

"""Files exchanged on an order (requirements attachments, deliveries), in private storage.

A delivery is the seller's work product (often the recorded audio), so these files are never
public: they live under ``$MIHAN_DATA_DIR/private/orders/<order>/`` with random names and are
served only to the order's two parties and admins (``app/http.py``), always as a download
(``Content-Disposition: attachment``) with the type found from the content, so a file cannot
run as a page in our origin whatever its name says.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, func, select

from app.core import clock, private_files
from app.core.private_files import StoredFile, clean_name
from app.core.settings import get_settings
from app.orders.errors import OrderError
from app.orders.lifecycle import party
from app.orders.machine import CLOSED
from models.accounts import Role, User
from models.orders import Order, OrderFile

MAX_BYTES = 200 * 1024 * 1024
MAX_FILES = 60
__all__ = ["MAX_BYTES", "MAX_FILES", "StoredFile", "attach", "clean_name", "open_for"]


def _folder(order_id: int) -> Path:
    return get_settings().private_dir / "orders" / str(order_id)


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
    row = OrderFile(
        order_id=order.id,  # type: ignore[arg-type]
        uploaded_by=user_id,
        token=private_files.new_token(),
        name=clean_name(filename),
        mime=private_files.sniff(data),
        size_bytes=len(data),
        created_at=clock.now(),
    )
    private_files.store(session, _folder(order.id), row.token, bytes(data))  # type: ignore[arg-type]
    session.add(row)
    session.flush()
    return row


def open_for(session: Session, *, token: object, user_id: int) -> StoredFile | None:
    """The file named ``token`` if ``user_id`` is a party to its order or an admin; else None."""
    row = private_files.find(session, OrderFile, token)
    order = session.get(Order, row.order_id) if row else None
    user = session.get(User, user_id)
    if row is None or order is None or user is None:
        return None
    if user_id not in (order.buyer_id, order.seller_id) and user.role != Role.ADMIN.value:
        return None
    return private_files.opened(_folder(order.id), row)  # type: ignore[arg-type]

"""Record helpers the gateways share (private to ``app.payments``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

from app.payments.errors import PaymentError

Row = TypeVar("Row", bound=SQLModel)


def insert_once(session: Session, row: Row, existing: Callable[[], Row | None]) -> Row:
    """Insert ``row``, or return ``existing()``: the row a concurrent writer inserted first
    under the same unique key (a double click, two workers, a replayed webhook)."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        winner = existing()
        if winner is None:
            raise
        return winner
    return row


def by_key(session: Session, model: type[Row], key: str) -> Row | None:
    """The record made under idempotency ``key`` (``model`` has a unique ``idempotency_key``)."""
    column: Any = getattr(model, "idempotency_key")
    return session.exec(select(model).where(column == key)).first()


def by_reference(session: Session, model: type[Row], reference: object, *, shape: re.Pattern[str], lock: bool = False) -> Row:
    """The record with ``reference`` (locked for update when ``lock``); a value that does not
    have a reference's ``shape`` is not even looked up.

    Raises:
        PaymentError: ``payment.unknown_payment``.
    """
    if not isinstance(reference, str) or not shape.fullmatch(reference):
        raise PaymentError("payment.unknown_payment")
    column: Any = getattr(model, "reference")
    query = select(model).where(column == reference)
    row = session.exec(query.with_for_update() if lock else query).first()
    if row is None:
        raise PaymentError("payment.unknown_payment")
    return row

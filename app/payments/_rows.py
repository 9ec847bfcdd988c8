"""Record helpers the gateways share (private to ``app.payments``)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

from app.core import clock
from app.core.money import Money
from app.core.settings import secret_key
from app.payments.errors import PaymentError
from app.payments.gateway import PaymentResult
from models.orders import PaymentStatus

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


def claim(session: Session, model: type[Row], *, idempotency_key: str, reference: str, amount: Money) -> Row:
    """The gateway's link row for ``idempotency_key``: the one already made, or a new one for
    ``reference`` and ``amount`` (``model`` has the columns of ``StripeCheckout``/``MoyasarInvoice``).

    Raises:
        PaymentError: ``payment.idempotency_conflict`` (the key was used for other money).
    """
    now = clock.now()
    row = by_key(session, model, idempotency_key) or insert_once(
        session,
        model(reference=reference, idempotency_key=idempotency_key, amount_minor=amount.minor, currency=amount.currency, created_at=now, updated_at=now),
        lambda: by_key(session, model, idempotency_key),
    )
    found: Any = row
    if Money(found.amount_minor, found.currency) != amount:
        raise PaymentError("payment.idempotency_conflict")
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


def derived_reference(prefix: str, label: bytes, idempotency_key: str) -> str:
    """Our reference for the payment made under ``idempotency_key``, known before any call: the
    same key gives the same reference, another installation (another secret) a different one."""
    digest = hmac.new(secret_key(), label + b"\0" + idempotency_key.encode(), hashlib.sha256).digest()
    return prefix + base64.urlsafe_b64encode(digest).decode()[:24]


def remembered(result: PaymentResult) -> dict[str, Any]:
    """The columns a gateway's notification row keeps of the verified result it gave, so a replay
    is answered from them (``recalled``) without asking the gateway again."""
    return {
        "reference": result.reference,
        "status": result.status.value,
        "amount_minor": result.amount.minor,
        "currency": result.amount.currency,
        "refunded_minor": result.refunded.minor,
        "message": result.message[:200],
        "received_at": clock.now(),
    }


def recalled(gateway: str, row: Any) -> PaymentResult:
    """The result a notification row (``remembered``) keeps, as ``gateway`` first gave it."""
    return PaymentResult(
        gateway=gateway,
        reference=row.reference,
        status=PaymentStatus(row.status),
        amount=Money(row.amount_minor, row.currency),
        refunded=Money(row.refunded_minor, row.currency),
        message=row.message,
    )

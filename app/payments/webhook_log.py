"""The webhook log: every delivery to the webhook and return routes, accepted or refused, for admins.

A row keeps the gateway, the route (``webhook`` or ``return``), when, the outcome of the check
(``OUTCOMES``), our payment reference when known, the source IP, the SHA-256 of the raw body and
a short excerpt with every value that could be a secret or card data replaced by ``***`` (the
body itself is never kept: a signature or a token in it must not sit in the database). A body
already accepted once (same gateway and digest) is logged as a ``replay``: the gateways answer
it from their first delivery, and no money moves twice.

The log is written in its own transaction after the delivery's, so a refused delivery, whose
transaction rolled back, is still logged. ``RETENTION`` bounds it: the jobs runner deletes older
rows (``candidates``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from app.core import clock
from models.payments import WebhookLog

RETENTION = timedelta(days=90)
EXCERPT = 500
CHANNELS = ("webhook", "return")
# A refusal's key as the log names it; anything else refused is "error".
OUTCOMES = {
    "payment.bad_signature": "bad_signature",
    "payment.bad_webhook": "bad_body",
    "payment.unknown_payment": "unknown_payment",
    "payment.amount_mismatch": "amount_mismatch",
    "payment.unknown_gateway": "gateway_off",
    "payment.gateway_unavailable": "gateway_unavailable",
    "payment.gateway_error": "gateway_error",
}
ACCEPTED = ("ok", "replay")
ALL_OUTCOMES = (*ACCEPTED, *OUTCOMES.values(), "too_large", "handler_error", "error")
_SECRETISH = re.compile(r"secret|token|signature|password|key|card|pan|cvv|cvc|number|iban|email|phone|name", re.I)
_GATEWAY = re.compile(r"[a-z0-9_]{1,24}")


def outcome_of(key: str) -> str:
    return OUTCOMES.get(key, "error")


def digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _redact(value: Any, key: str = "") -> Any:
    if _SECRETISH.search(key):
        return "***"
    if isinstance(value, dict):
        return {str(k): _redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v, key) for v in value[:5]]
    return value


def excerpt(body: bytes, channel: str) -> str:
    """The body with secret-looking values replaced, at most ``EXCERPT`` characters; '' when it is
    neither JSON nor a form (nothing unreadable is kept)."""
    text = body.decode("utf-8", "replace")
    try:
        if channel == "return":
            parsed: Any = dict(parse_qsl(text, keep_blank_values=True, strict_parsing=True))
        else:
            parsed = json.loads(text)
    except ValueError:
        return ""
    return json.dumps(_redact(parsed), ensure_ascii=False)[:EXCERPT]


def record(session: Session, *, gateway: str, channel: str, body: bytes, outcome: str, reference: str = "", source_ip: str = "") -> WebhookLog:
    """Log one delivery; an accepted body seen accepted before becomes a ``replay``."""
    name = gateway if _GATEWAY.fullmatch(gateway) else "?"
    hashed = digest(body)
    if outcome == "ok":
        seen = session.exec(
            select(WebhookLog.id).where(WebhookLog.gateway == name, WebhookLog.digest == hashed, col(WebhookLog.outcome).in_(ACCEPTED)).limit(1)
        ).first()
        outcome = "replay" if seen is not None else "ok"
    row = WebhookLog(
        gateway=name,
        channel=channel,
        outcome=outcome,
        reference=reference[:100],
        digest=hashed,
        size=len(body),
        excerpt=excerpt(body, channel),
        source_ip=source_ip[:45],
        received_at=clock.now(),
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class LogFilter:
    gateway: str = ""
    outcome: str = ""  # one outcome, "refused" (every refusal) or "" (all)

    def where(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.gateway:
            conditions.append(col(WebhookLog.gateway) == self.gateway)
        if self.outcome == "refused":
            conditions.append(col(WebhookLog.outcome).not_in(ACCEPTED))
        elif self.outcome:
            conditions.append(col(WebhookLog.outcome) == self.outcome)
        return conditions


def count_logs(session: Session, where: LogFilter) -> int:
    return session.exec(select(func.count()).select_from(WebhookLog).where(*where.where())).one()


def list_logs(session: Session, where: LogFilter, *, limit: int, offset: int) -> list[WebhookLog]:
    """Newest first."""
    query = select(WebhookLog).where(*where.where()).order_by(col(WebhookLog.received_at).desc(), col(WebhookLog.id).desc())
    return list(session.exec(query.limit(limit).offset(offset)).all())


def forget(session: Session, *, log_id: int, now: datetime) -> bool:
    """The retention job's step: delete the row if it is older than ``RETENTION``."""
    row = session.get(WebhookLog, log_id)
    if row is None or clock.as_utc(row.received_at) > now - RETENTION:
        return False
    session.delete(row)
    return True


def candidates(now: datetime) -> dict[str, tuple[ColumnElement[bool], Callable[..., bool]]]:
    """The retention job as ``app.orders.jobs`` runs its own: rows past ``RETENTION``."""
    return {"webhook_log_retention": (col(WebhookLog.received_at) <= now - RETENTION, forget)}


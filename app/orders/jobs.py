"""The order clock's jobs: late flags, auto-completion, cancellation time-outs, clearance (of
orders' earnings and of tips), expiring bank transfers nobody confirmed in time, dropping orders
left unpaid (but not while a transfer is awaited), retrying card refunds, and revealing reviews whose reveal
period is over (``app.reviews.jobs``), the nightly seller levels (``app.trust.jobs``), and mailing
waiting notifications (``app.notifications.mailing``), and deleting webhook log rows past their
retention (``app.payments.webhook_log``).

Each job finds its candidates with one indexed query, then handles every row (an order, or a
tip) in its own short transaction through the same service the UI uses, which re-checks the
condition under the row lock. So a job is idempotent (a second run finds nothing to do), two
workers running it at once move each row once, and one bad row cannot hold back the rest.
``mihan run`` calls ``run_all`` every minute in-process; ``mihan jobs run [--now ISO]`` runs it
once, at any moment (tests and the demo jump the clock with it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from threading import Event, Thread
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import col, select

from app.core import clock
from app.core.db import reading, transaction
from app.core.errors import MihanError
from app.orders import card_refunds, lifecycle, tips, transfers
from app.orders.machine import OPEN
from app.notifications import mailing
from app.payments import webhook_log
from app.orders.policy import POLICY
from app.reviews import jobs as review_jobs
from app.trust import jobs as trust_jobs
from models.accounts import SellerProfile
from models.orders import CardRefund, Notification, Order, OrderStatus, OrderTip, TipStatus
from models.payments import BankTransfer, TransferStatus, WebhookLog

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """One job: the rows that may be due (the service decides for sure) and the step moving one.

    ``step`` is called as ``step(session, <id_name>=row_id, now=now)``.
    """

    id_column: Any  # Order.id or OrderTip.id: whose ids ``due`` selects
    due: ColumnElement[bool]
    step: Callable[..., bool]
    id_name: str = "order_id"


def _jobs(now: datetime) -> dict[str, Job]:
    return {
        "late": Job(
            Order.id,
            (col(Order.status) == OrderStatus.IN_PROGRESS.value) & ~col(Order.is_late) & (col(Order.due_at) <= now),
            lifecycle.mark_late,
        ),
        "auto_complete": Job(
            Order.id,
            (col(Order.status) == OrderStatus.DELIVERED.value) & (col(Order.delivered_at) <= now - POLICY.auto_complete_after),
            lifecycle.auto_complete,
        ),
        "cancellation_timeout": Job(
            Order.id,
            col(Order.status).in_([s.value for s in OPEN]) & (col(Order.cancel_requested_at) <= now - POLICY.cancellation_window),
            lifecycle.cancellation_timeout,
        ),
        "clearance": Job(
            Order.id,
            col(Order.status).in_([OrderStatus.COMPLETED.value, OrderStatus.REFUNDED.value])
            & col(Order.cleared_at).is_(None)
            & (col(Order.clears_at) <= now),
            lifecycle.clear,
        ),
        "tip_clearance": Job(
            OrderTip.id,
            (col(OrderTip.status) == TipStatus.PAID.value) & col(OrderTip.cleared_at).is_(None) & (col(OrderTip.clears_at) <= now),
            tips.clear,
            id_name="tip_id",
        ),
        "bank_transfer_expiry": Job(
            BankTransfer.id,
            (col(BankTransfer.status) == TransferStatus.PENDING.value) & (col(BankTransfer.due_at) <= now),
            transfers.expire,
            id_name="transfer_id",
        ),
        "unpaid": Job(
            Order.id,
            (col(Order.status) == OrderStatus.PLACED.value)
            & (col(Order.created_at) <= now - POLICY.unpaid_for)
            & ~lifecycle.awaiting_transfer(now),
            lifecycle.expire_unpaid,
        ),
        # a card refund the gateway could not make at once (after the refund's commit) is tried again
        "card_refunds": Job(CardRefund.id, card_refunds.due(now), card_refunds.attempt, id_name="card_refund_id"),
        **{name: Job(Order.id, due, step) for name, (due, step) in review_jobs.candidates(now).items()},
        **{name: Job(SellerProfile.id, due, step, id_name="profile_id") for name, (due, step) in trust_jobs.candidates(now).items()},
        **{name: Job(WebhookLog.id, due, step, id_name="log_id") for name, (due, step) in webhook_log.candidates(now).items()},
        # last: the mail of whatever the jobs above just notified goes out in the same run
        **{name: Job(Notification.id, due, step, id_name="notification_id") for name, (due, step) in mailing.candidates(now).items()},
    }


def run_all(now: datetime, *, batch: int = 500) -> dict[str, int]:
    """Run every job at ``now`` until it has nothing left; return how many rows each moved.

    Candidates are read in batches after the last id seen, so a row a job cannot move (it is
    logged) is not picked again in the same run.
    """
    done: dict[str, int] = {}
    for name, job in _jobs(now).items():
        done[name], after = 0, 0
        while True:
            with reading() as session:
                ids = list(session.exec(select(job.id_column).where(job.due, col(job.id_column) > after).order_by(job.id_column).limit(batch)))
            done[name] += sum(_run_one(name, job, row_id, now) for row_id in ids if row_id is not None)
            if len(ids) < batch:
                break
            after = ids[-1] or after
    return done


def run_every(interval: float, stop: Event) -> None:
    """Run the jobs every ``interval`` seconds until ``stop`` is set (``mihan run``'s thread).

    A failing run is logged and retried at the next tick: the server must outlive a bad job.
    """
    while not stop.wait(interval):
        try:
            run_all(clock.now())
        except Exception:
            log.exception("order jobs failed; retrying in %s s", interval)


def start_in_background(interval: float = 60.0) -> Event:
    """Start ``run_every`` in a daemon thread; set the returned event to stop it."""
    stop = Event()
    Thread(target=run_every, args=(interval, stop), name="mihan-jobs", daemon=True).start()
    return stop


def _run_one(name: str, job: Job, row_id: int, now: datetime) -> bool:
    try:
        with transaction() as session:
            return job.step(session, **{job.id_name: row_id}, now=now)
    except MihanError:  # e.g. a wallet that cannot cover a reversal: leave it for an admin
        log.exception("job %s could not move %s %s", name, job.id_name, row_id)
        return False

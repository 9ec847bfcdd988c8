"""Withdrawals: a seller asks for their available money, an admin pays it out or returns it.

Requesting moves the amount from ``available`` to ``withdrawing`` at once (so it cannot be
asked for twice); an admin then marks the bank transfer done (``withdrawing`` → bank) or
rejects it (back to ``available``). Each move has its own ledger key, so a double click or
two admins at once move the money once. The IBAN is checked with python-stdnum (ISO 13616
mod-97 and each country's length), never by hand.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, ValidationError
from sqlmodel import Session, col, func, select
from stdnum import iban as iban_number
from stdnum.exceptions import ValidationError as NumberError

from app.accounts.inputs import clean_text
from app.catalog.inputs import to_minor
from app.core import clock
from app.core.money import Money
from app.core.security import spreadsheet_cell
from app.ledger import chart, credit, debit, post
from app.ledger.errors import LedgerError
from app.notifications.queue import queue_notifications
from app.wallets.errors import WalletError
from models.accounts import Role, User
from models.ledger import TransactionKind
from models.orders import Withdrawal, WithdrawalStatus

MIN_WITHDRAWAL_MINOR = 5_000  # 50 SAR (domain.md)
ONE_PER = timedelta(days=1)


def _iban(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("iban")
    digits = value.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    try:
        return iban_number.validate(digits)
    except NumberError:
        raise ValueError("iban") from None


class WithdrawalInput(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    amount: Annotated[int, BeforeValidator(to_minor), Field(ge=MIN_WITHDRAWAL_MINOR, le=100_000_000)]
    iban: Annotated[str, BeforeValidator(_iban)]
    holder_name: Annotated[str, AfterValidator(clean_text), StringConstraints(min_length=3, max_length=120)]


def parse_withdrawal(data: object) -> WithdrawalInput:
    """Validate a withdrawal form; raise ``WalletError('wallet.invalid_<field>')``."""
    if not isinstance(data, dict):
        raise WalletError("wallet.invalid_amount")
    try:
        return WithdrawalInput.model_validate(data)
    except ValidationError as exc:
        field = str(exc.errors()[0]["loc"][0])
        raise WalletError(f"wallet.invalid_{field}", minimum=MIN_WITHDRAWAL_MINOR // 100) from None


def request(session: Session, *, seller_id: int, data: WithdrawalInput, currency: str = "SAR") -> Withdrawal:
    """Reserve ``data.amount`` of the seller's available money for a bank transfer.

    Raises:
        WalletError: ``wallet.one_per_day``, ``wallet.insufficient_funds``.
    """
    now = clock.now()
    # Lock the seller's row first: two tabs asking at once queue here (Postgres; SQLite's
    # writer is exclusive anyway), and the second one sees the first one's request.
    session.exec(select(User.id).where(User.id == seller_id).with_for_update()).first()
    recent = session.exec(
        select(func.count()).select_from(Withdrawal).where(Withdrawal.seller_id == seller_id, col(Withdrawal.created_at) > now - ONE_PER)
    ).one()
    if recent:
        raise WalletError("wallet.one_per_day")
    withdrawal = Withdrawal(
        seller_id=seller_id, amount_minor=data.amount, currency=currency, iban=data.iban, holder_name=data.holder_name, created_at=now
    )
    session.add(withdrawal)
    session.flush()
    amount = Money(data.amount, currency)
    try:
        post(
            session,
            f"withdrawal:{withdrawal.id}:request",
            [debit(chart.seller_available(seller_id), amount), credit(chart.seller_withdrawing(seller_id), amount)],
            kind=TransactionKind.WITHDRAWAL,
        )
    except LedgerError:
        raise WalletError("wallet.insufficient_funds") from None
    return withdrawal


def _decidable(session: Session, *, withdrawal_id: int, admin_id: int) -> Withdrawal:
    """A requested withdrawal, locked, for an admin (moderators do not move money)."""
    admin = session.get(User, admin_id)
    if admin is None or admin.role != Role.ADMIN.value or not admin.is_active:
        raise WalletError("wallet.not_found")
    withdrawal = session.exec(select(Withdrawal).where(Withdrawal.id == withdrawal_id).with_for_update()).first()
    if withdrawal is None:
        raise WalletError("wallet.not_found")
    if withdrawal.status != WithdrawalStatus.REQUESTED.value:
        raise WalletError("wallet.already_decided")
    return withdrawal


def _decide(session: Session, withdrawal: Withdrawal, admin_id: int, status: WithdrawalStatus, legs_to: str, kind: TransactionKind) -> None:
    amount = Money(withdrawal.amount_minor, withdrawal.currency)
    post(
        session,
        f"withdrawal:{withdrawal.id}:{status.value}",
        [debit(chart.seller_withdrawing(withdrawal.seller_id), amount), credit(legs_to, amount)],
        kind=kind,
    )
    withdrawal.status = status.value
    withdrawal.decided_at = clock.now()
    withdrawal.decided_by = admin_id
    session.add(withdrawal)
    queue_notifications(session, f"payout_{status.value}", [withdrawal.seller_id], order_id=None)


def mark_paid(session: Session, *, withdrawal_id: int, admin_id: int, bank_reference: str) -> Withdrawal:
    """The bank transfer went out: the money leaves the platform's bank account."""
    reference = clean_text(bank_reference) if isinstance(bank_reference, str) else ""
    if not 3 <= len(reference) <= 100:
        raise WalletError("wallet.invalid_bank_reference")
    withdrawal = _decidable(session, withdrawal_id=withdrawal_id, admin_id=admin_id)
    withdrawal.bank_reference = reference
    _decide(session, withdrawal, admin_id, WithdrawalStatus.PAID, chart.BANK, TransactionKind.PAYOUT)
    return withdrawal


def reject(session: Session, *, withdrawal_id: int, admin_id: int, note: str) -> Withdrawal:
    """The transfer cannot be made (e.g. the bank refused the IBAN): the money is available again."""
    reason = clean_text(note) if isinstance(note, str) else ""
    if not 3 <= len(reason) <= 500:
        raise WalletError("wallet.invalid_note")
    withdrawal = _decidable(session, withdrawal_id=withdrawal_id, admin_id=admin_id)
    withdrawal.note = reason
    _decide(
        session, withdrawal, admin_id, WithdrawalStatus.REJECTED, chart.seller_available(withdrawal.seller_id), TransactionKind.PAYOUT_RETURNED
    )
    return withdrawal


def queue(session: Session, *, status: WithdrawalStatus = WithdrawalStatus.REQUESTED, limit: int = 50, offset: int = 0) -> list[Withdrawal]:
    """Withdrawals in ``status``, oldest first (the admin payout queue; the caller checks the role)."""
    query = select(Withdrawal).where(Withdrawal.status == status.value).order_by(Withdrawal.created_at, Withdrawal.id)
    return list(session.exec(query.offset(offset).limit(limit)))


def mask_iban(iban: str) -> str:
    """``SA03 •••• 7519``: the country, the check digits and the last four, enough to recognise
    an account without showing it (everywhere but the admin's payout queue)."""
    compact = "".join(iban.split()).upper()
    return f"{compact[:4]} •••• {compact[-4:]}" if len(compact) >= 12 else "••••"


@dataclass(frozen=True)
class Payout:
    """A withdrawal with its seller's name and e-mail, as the wallet and the payout pages list it."""

    id: int
    seller_name: str
    seller_email: str
    amount: Money
    iban: str
    holder_name: str
    status: str
    requested_at: datetime
    decided_at: datetime | None
    bank_reference: str
    note: str


def count_payouts(session: Session, *, status: WithdrawalStatus) -> int:
    return session.exec(select(func.count()).select_from(Withdrawal).where(Withdrawal.status == status.value)).one()


def _payouts(session: Session, *where: Any, order: tuple[Any, ...], limit: int, offset: int = 0) -> list[Payout]:
    rows = session.exec(
        select(Withdrawal, User.name, User.email)
        .join(User, col(User.id) == Withdrawal.seller_id)
        .where(*where)
        .order_by(*order)
        .offset(offset)
        .limit(limit)
    )
    return [
        Payout(
            id=w.id,
            seller_name=name,
            seller_email=email,
            amount=Money(w.amount_minor, w.currency),
            iban=w.iban,
            holder_name=w.holder_name,
            status=w.status,
            requested_at=w.created_at,
            decided_at=w.decided_at,
            bank_reference=w.bank_reference,
            note=w.note,
        )
        for w, name, email in rows
    ]


def list_payouts(session: Session, *, status: WithdrawalStatus, limit: int = 20, offset: int = 0) -> list[Payout]:
    """Withdrawals in ``status``, paged in SQL: the queue oldest first (first asked, first paid),
    decided ones newest decision first. The caller checks the admin role."""
    order = (
        (col(Withdrawal.created_at), col(Withdrawal.id))
        if status is WithdrawalStatus.REQUESTED
        else (col(Withdrawal.decided_at).desc(), col(Withdrawal.id).desc())
    )
    return _payouts(session, Withdrawal.status == status.value, order=order, limit=limit, offset=offset)


def next_request_at(session: Session, *, seller_id: int) -> datetime | None:
    """When the seller may ask for the next withdrawal (one a day); None if they may now."""
    latest = session.exec(select(func.max(Withdrawal.created_at)).where(Withdrawal.seller_id == seller_id)).one()
    if latest is None:
        return None
    at = clock.as_utc(latest) + ONE_PER
    return at if at > clock.now() else None


def list_own(session: Session, *, seller_id: int, limit: int = 20) -> list[Payout]:
    """The seller's latest withdrawal requests, newest first."""
    newest = (col(Withdrawal.created_at).desc(), col(Withdrawal.id).desc())
    return _payouts(session, Withdrawal.seller_id == seller_id, order=newest, limit=limit)


CSV_COLUMNS = ("id", "seller_email", "holder_name", "iban", "amount", "currency", "status", "requested_at", "decided_at", "bank_reference")


def export_csv(session: Session) -> str:
    """Every withdrawal as CSV for the bank or the accountant (amounts as decimal text)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    rows = session.exec(select(Withdrawal, User.email).join(User, col(User.id) == Withdrawal.seller_id).order_by(Withdrawal.id))
    for withdrawal, email in rows:
        whole, cents = divmod(withdrawal.amount_minor, 100)
        writer.writerow(
            [
                withdrawal.id,
                email,
                spreadsheet_cell(withdrawal.holder_name),
                withdrawal.iban,
                f"{whole}.{cents:02d}",
                withdrawal.currency,
                withdrawal.status,
                withdrawal.created_at.isoformat(),
                withdrawal.decided_at.isoformat() if withdrawal.decided_at else "",
                withdrawal.bank_reference,
            ]
        )
    return out.getvalue()

"""Orders paid by bank transfer: the buyer's receipt, the admins' decision, the expiry.

Checkout starts a transfer like any gateway payment (``charges.start_payment`` with the ``bank``
gateway: a double click reuses the pending one). The order stays *placed* while its transfer is
pending — «بانتظار التحويل» — and the normal unpaid expiry leaves it alone
(``lifecycle.awaiting_transfer``). Then:

- the buyer uploads the receipt (a picture or a PDF, typed by its bytes, 10 MB at most, a
  private file served only to the buyer and admins) and may replace it while pending;
- an admin confirms the money came in (with the bank's own reference, optional): the transfer's
  verified result, ``PAID``, goes through checkout's ``apply_result`` exactly as a card payment's
  does, so the ledger moves it from ``psp:bank:clearing`` into the order's escrow once;
- or rejects it with a reason the buyer reads. **Decision:** a rejection ends that transfer (its
  payment fails) but not the order: the buyer sees the reason on the checkout page and pays
  another way or starts a new transfer (a new reference), and has the usual unpaid period from
  the rejection before the order is dropped;
- a transfer still pending ``MIHAN_BANK_TRANSFER_DAYS`` after it was asked for is expired by the
  ``bank_transfer_expiry`` job and an unpaid order is released (cancelled, «انتهت مهلة التحويل»).
  **Decision:** a confirm after that is refused (``transfer.expired``); money that still arrives
  is sent back by the platform's bank, outside Mihan, as any unmatched credit would be.

Every decision locks the transfer row first (then its payment and its order, in that order, as
``apply_result`` does), so two admins deciding at once give one outcome and the second is told
it was already decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, func, select

from app.core import private_files
from app.core.clock import as_utc
from app.core.db import on_commit
from app.core.money import Money
from app.core.private_files import StoredFile, clean_name
from app.core.settings import get_settings
from app.orders import checkout
from app.orders.errors import OrderError
from app.orders.lifecycle import drop_unpaid, locked, notify, record
from app.payments import bank, config
from app.payments.errors import PaymentError
from app.reviews.inputs import plain_text
from app.trust.founding import ensure_admin
from models.accounts import Role, User
from models.orders import Order, OrderStatus, Payment
from models.payments import BankTransfer, TransferStatus

MAX_RECEIPT_BYTES = 10 * 1024 * 1024
MAX_REASON = 500
MAX_BANK_REFERENCE = 100
PENDING = TransferStatus.PENDING.value


@dataclass(frozen=True)
class Instructions:
    """What the buyer needs to transfer, and where their transfer stands."""

    reference: str
    amount: Money
    iban: str  # grouped by four
    holder: str
    bank_name: str
    due_at: datetime
    status: str
    reason: str
    receipt_name: str
    receipt_token: str | None


@dataclass(frozen=True)
class QueueItem:
    """A pending transfer as the admins' queue lists it."""

    reference: str
    order_id: int
    gig_title: str
    buyer_name: str
    buyer_email: str
    amount: Money
    due_at: datetime
    created_at: datetime
    receipt_name: str
    receipt_token: str | None
    receipt_size: int


def _folder(transfer_id: int) -> Path:
    return get_settings().private_dir / "transfers" / str(transfer_id)


def _bank_payments(order_id: int):  # type: ignore[no-untyped-def]
    return (col(Payment.order_id) == order_id) & (col(Payment.gateway) == bank.NAME) & col(Payment.tip_id).is_(None)


def _latest(session: Session, *, order_id: int, buyer_id: int) -> BankTransfer | None:
    """The newest transfer asked for this buyer's order, if any."""
    reference = session.exec(
        select(Payment.reference).where(_bank_payments(order_id), Payment.buyer_id == buyer_id).order_by(col(Payment.id).desc())
    ).first()
    return session.exec(select(BankTransfer).where(BankTransfer.reference == reference)).first() if reference else None


def instructions(session: Session, *, order_id: int, buyer_id: int) -> Instructions | None:
    """The buyer's newest transfer for the order with the account to pay into; None if none."""
    transfer = _latest(session, order_id=order_id, buyer_id=buyer_id)
    if transfer is None:
        return None
    account = config.effective(bank.NAME, session)  # an admin's account over the environment's
    return Instructions(
        reference=transfer.reference,
        amount=Money(transfer.amount_minor, transfer.currency),
        iban=bank.grouped_iban(account.iban),
        holder=account.holder,
        bank_name=account.bank_name,
        due_at=as_utc(transfer.due_at),
        status=transfer.status,
        reason=transfer.reason,
        receipt_name=transfer.receipt_name,
        receipt_token=transfer.receipt_token,
    )


def check_receipt(data: object) -> str:
    """The receipt's type from its bytes: a picture or a PDF.

    Raises:
        OrderError: ``transfer.receipt_empty``, ``transfer.receipt_too_large``, ``transfer.receipt_type``.
    """
    if not isinstance(data, bytes | bytearray) or not data:
        raise OrderError("transfer.receipt_empty")
    if len(data) > MAX_RECEIPT_BYTES:
        raise OrderError("transfer.receipt_too_large", mb=MAX_RECEIPT_BYTES // (1024 * 1024))
    kind = private_files.picture_or_pdf(bytes(data))
    if kind is None:
        raise OrderError("transfer.receipt_type")
    return kind


def upload_receipt(session: Session, *, order_id: int, user_id: int, filename: object, data: object, now: datetime) -> BankTransfer:
    """The buyer attaches (or replaces) the receipt of their pending transfer for the order.

    Raises:
        OrderError: ``order.not_found`` (not the buyer's order), ``transfer.not_pending`` (no
            pending transfer), and ``check_receipt``'s keys.
    """
    mime = check_receipt(data)
    order = session.get(Order, order_id)
    if order is None or order.buyer_id != user_id:
        raise OrderError("order.not_found")
    found = _latest(session, order_id=order_id, buyer_id=user_id)
    transfer = bank.get_transfer(session, reference=found.reference, lock=True) if found else None
    if transfer is None or transfer.status != PENDING:
        raise OrderError("transfer.not_pending")
    assert transfer.id is not None
    folder = _folder(transfer.id)
    old = transfer.receipt_token
    token = private_files.new_token()
    private_files.store(session, folder, token, bytes(data))  # type: ignore[arg-type]
    if old:
        on_commit(session, lambda: (folder / old).unlink(missing_ok=True))
    transfer.receipt_token, transfer.receipt_name, transfer.receipt_mime = token, clean_name(filename), mime
    transfer.receipt_size, transfer.receipt_at, transfer.updated_at = len(data), now, now  # type: ignore[arg-type]
    session.add(transfer)
    session.flush()
    return transfer


def _pending(session: Session, reference: object) -> BankTransfer:
    """The transfer, locked, if it still waits for a decision.

    Raises:
        OrderError: ``transfer.not_found``, ``transfer.expired``, ``transfer.already_decided``.
    """
    try:
        transfer = bank.get_transfer(session, reference=reference, lock=True)
    except PaymentError:
        raise OrderError("transfer.not_found") from None
    if transfer.status == TransferStatus.EXPIRED.value:
        raise OrderError("transfer.expired")
    if transfer.status != PENDING:
        raise OrderError("transfer.already_decided")
    return transfer


def _decide(session: Session, transfer: BankTransfer, status: TransferStatus, admin_id: int | None, now: datetime) -> Order:
    """Record the decision and hand the transfer's result to checkout (the card payments' path)."""
    transfer.status, transfer.decided_by, transfer.decided_at, transfer.updated_at = status.value, admin_id, now, now
    session.add(transfer)
    session.flush()
    order = checkout.apply_result(session, bank.result_of(transfer))
    if order is None:  # a transfer always has its payment row: checkout started it
        raise OrderError("transfer.not_found")
    return order


def confirm(session: Session, *, admin_id: int, reference: object, bank_reference: object, now: datetime) -> Order:
    """An admin saw the money in the account: the order is paid (once) and the buyer told.

    Raises:
        TrustError: ``trust.admin_only``.
        OrderError: ``transfer.not_found``, ``transfer.expired``, ``transfer.already_decided``,
            ``transfer.bank_reference``.
    """
    ensure_admin(session, admin_id)
    typed = plain_text(bank_reference if bank_reference is not None else "", limit=MAX_BANK_REFERENCE, key="transfer.bank_reference")
    transfer = _pending(session, reference)
    transfer.bank_reference = " ".join(typed.split())
    order = _decide(session, transfer, TransferStatus.CONFIRMED, admin_id, now)
    notify(session, order, "transfer_confirmed", [order.buyer_id])
    return order


def reject(session: Session, *, admin_id: int, reference: object, reason: object, now: datetime) -> Order:
    """An admin found no such money (or a wrong receipt): the transfer ends with ``reason``, the
    order stays unpaid for the buyer to pay another way or transfer again.

    Raises:
        TrustError: ``trust.admin_only``.
        OrderError: ``transfer.reason_required``, ``transfer.not_found``, ``transfer.expired``,
            ``transfer.already_decided``.
    """
    ensure_admin(session, admin_id)
    text = plain_text(reason, limit=MAX_REASON, key="transfer.reason_required", required=True)
    transfer = _pending(session, reference)
    transfer.reason = text
    order = _decide(session, transfer, TransferStatus.REJECTED, admin_id, now)
    record(session, order, "transfer_rejected", admin_id, text)
    notify(session, order, "transfer_rejected", [order.buyer_id])
    return order


def expire(session: Session, *, transfer_id: int, now: datetime) -> bool:
    """The job's step: a transfer still pending past its day expires and its unpaid order is
    released; False when it is not due (decided meanwhile, or not yet)."""
    transfer = session.exec(select(BankTransfer).where(BankTransfer.id == transfer_id).with_for_update()).first()
    if transfer is None or transfer.status != PENDING or as_utc(transfer.due_at) > now:
        return False
    order = _decide(session, transfer, TransferStatus.EXPIRED, None, now)
    order = locked(session, order.id) or order  # type: ignore[arg-type]
    if order.status == OrderStatus.PLACED.value:
        drop_unpaid(session, order, "transfer_expired")
        notify(session, order, "transfer_expired", [order.buyer_id])
    return True


def count_pending(session: Session) -> int:
    return session.exec(select(func.count()).select_from(BankTransfer).where(BankTransfer.status == PENDING)).one()


def list_pending(session: Session, *, admin_id: int, limit: int, offset: int) -> list[QueueItem]:
    """Pending transfers, oldest first, with their order and buyer (admins only).

    Raises:
        TrustError: ``trust.admin_only``.
    """
    ensure_admin(session, admin_id)
    query = (
        select(BankTransfer, Order, User)
        .join(Payment, (col(Payment.reference) == col(BankTransfer.reference)) & (col(Payment.gateway) == bank.NAME))
        .join(Order, col(Order.id) == col(Payment.order_id))
        .join(User, col(User.id) == col(Payment.buyer_id))
        .where(BankTransfer.status == PENDING)
        .order_by(col(BankTransfer.created_at), col(BankTransfer.id))
        .offset(offset)
        .limit(limit)
    )
    return [
        QueueItem(
            reference=transfer.reference,
            order_id=order.id,  # type: ignore[arg-type]
            gig_title=order.gig_title,
            buyer_name=buyer.name,
            buyer_email=buyer.email,
            amount=Money(transfer.amount_minor, transfer.currency),
            due_at=as_utc(transfer.due_at),
            created_at=as_utc(transfer.created_at),
            receipt_name=transfer.receipt_name,
            receipt_token=transfer.receipt_token,
            receipt_size=transfer.receipt_size,
        )
        for transfer, order, buyer in session.exec(query)
    ]


def open_receipt(session: Session, *, token: object, user_id: int) -> StoredFile | None:
    """The receipt named ``token`` for its buyer or an admin; None for anyone else or junk."""
    if not private_files.valid_token(token):
        return None
    transfer = session.exec(select(BankTransfer).where(BankTransfer.receipt_token == token)).first()
    viewer = session.get(User, user_id)
    if transfer is None or viewer is None or not viewer.is_active:
        return None
    buyer = session.exec(select(Payment.buyer_id).where(Payment.gateway == bank.NAME, Payment.reference == transfer.reference)).first()
    if user_id != buyer and viewer.role != Role.ADMIN.value:
        return None
    path = _folder(transfer.id) / token  # type: ignore[arg-type,operator]
    return StoredFile(path=path, name=transfer.receipt_name, mime=transfer.receipt_mime) if path.is_file() else None

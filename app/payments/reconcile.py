"""Reconciliation: each gateway's paid payments against the ledger's clearing account for it.

Money a gateway took enters the ledger as a debit of ``psp:<gateway>:clearing``
(``app.ledger.chart.psp_clearing``) under the payment's key ``payment:<gateway>:<reference>``
(an order held in escrow, or a double payment kept in the buyer's wallet), or, for a tip split
at once, under the tip's key ``tip:<id>:pay``. A refund to the card leaves it as a credit under
``payment:<gateway>:<reference>:refund`` (``app.orders.card_refunds``), and comes back under
``…:refund:failed`` if the gateway refused it for good; a card refund still waiting for the
gateway shows as a refund mismatch until it is made; settlements
(``kind`` settlement) leave it too and only count in the balance.

``reconcile`` reports, per gateway and currency, the totals on both sides and every mismatch:

* ``missing_in_ledger``: a payment is paid, but no money came into the ledger for it;
* ``not_paid``: money came into the ledger under a key no paid payment claims;
* ``amount_mismatch``: both exist, with different amounts;
* ``refund_mismatch``: what the gateway's own records say was refunded differs from the
  ledger's refunds of that payment (``REFUNDED`` reads each gateway's records).

``reverify`` asks the gateway about one payment again, for the admin to read; it applies nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.payments.errors import PaymentError
from app.payments.gateway import PaymentResult
from app.payments.registry import get_gateway
from models.ledger import LedgerAccount, LedgerEntry, LedgerTransaction
from models.orders import Payment, PaymentStatus
from models.payments import MoyasarInvoice, MoyasarRefund, PaytabsPayment, PaytabsRefund, SandboxPayment, StripeCheckout, StripeRefund

KINDS = ("missing_in_ledger", "not_paid", "amount_mismatch", "refund_mismatch")


def _sandbox_refunded(session: Session, references: Iterable[str]) -> dict[str, int]:
    found = session.exec(select(SandboxPayment.reference, SandboxPayment.refunded_minor).where(col(SandboxPayment.reference).in_(list(references))))
    return {reference: refunded for reference, refunded in found}


def _moyasar_refunded(session: Session, references: Iterable[str]) -> dict[str, int]:
    found = session.exec(
        select(MoyasarInvoice.reference, func.sum(MoyasarRefund.amount_minor))
        .join(MoyasarInvoice, col(MoyasarInvoice.id) == col(MoyasarRefund.invoice_row_id))
        .where(col(MoyasarInvoice.reference).in_(list(references)))
        .group_by(col(MoyasarInvoice.reference))
    )
    return {reference: int(total or 0) for reference, total in found}


def _stripe_refunded(session: Session, references: Iterable[str]) -> dict[str, int]:
    found = session.exec(
        select(StripeCheckout.reference, func.sum(StripeRefund.amount_minor))
        .join(StripeCheckout, col(StripeCheckout.id) == col(StripeRefund.checkout_id))
        .where(col(StripeCheckout.reference).in_(list(references)))
        .group_by(col(StripeCheckout.reference))
    )
    return {reference: int(total or 0) for reference, total in found}


def _paytabs_refunded(session: Session, references: Iterable[str]) -> dict[str, int]:
    found = session.exec(
        select(PaytabsPayment.reference, func.sum(PaytabsRefund.amount_minor))
        .join(PaytabsPayment, col(PaytabsPayment.id) == col(PaytabsRefund.payment_row_id))
        .where(col(PaytabsPayment.reference).in_(list(references)))
        .group_by(col(PaytabsPayment.reference))
    )
    return {reference: int(total or 0) for reference, total in found}


# What each gateway's own records say was refunded, by our reference (a new gateway adds its own).
REFUNDED: dict[str, Callable[[Session, Iterable[str]], dict[str, int]]] = {
    "sandbox": _sandbox_refunded,
    "moyasar": _moyasar_refunded,
    "paytabs": _paytabs_refunded,
    "stripe": _stripe_refunded,
}


@dataclass(frozen=True)
class Mismatch:
    gateway: str
    kind: str
    currency: str
    ledger_key: str
    reference: str = ""
    payment_id: int | None = None
    order_id: int | None = None
    status: str = ""  # the payment's status ('' when no payment has the key)
    paid_minor: int = 0
    ledger_minor: int = 0
    gateway_refunded_minor: int = 0
    ledger_refunded_minor: int = 0


@dataclass
class GatewayTotals:
    gateway: str
    currency: str
    paid_count: int = 0
    paid_minor: int = 0  # paid payments' amounts
    ledger_in_minor: int = 0  # debits of the clearing account
    gateway_refunded_minor: int = 0
    ledger_refunded_minor: int = 0
    clearing_minor: int = 0  # the clearing account's balance (debits less credits)
    mismatches: int = 0


@dataclass(frozen=True)
class Reconciliation:
    totals: list[GatewayTotals] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def as_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "gateways": [asdict(t) for t in self.totals], "mismatches": [asdict(m) for m in self.mismatches]}


def payment_key(gateway: str, reference: str) -> str:
    """The ledger key of the money a gateway payment brought in (checkout posts under it)."""
    return f"payment:{gateway}:{reference}"


@dataclass
class _Clearing:
    """The clearing entries of one gateway: money in by key, refunds by reference, the balance."""

    money_in: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))  # (key, currency)
    refunds: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # reference
    balance: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # currency


def _clearings(session: Session) -> dict[str, _Clearing]:
    rows = session.exec(
        select(LedgerAccount.code, LedgerTransaction.idempotency_key, LedgerEntry.amount_minor, LedgerEntry.currency)
        .join(LedgerAccount, col(LedgerAccount.id) == col(LedgerEntry.account_id))
        .join(LedgerTransaction, col(LedgerTransaction.id) == col(LedgerEntry.transaction_id))
        .where(col(LedgerAccount.code).like("psp:%:clearing"))
    )
    found: dict[str, _Clearing] = defaultdict(_Clearing)
    for code, key, amount, currency in rows:
        gateway = code.split(":")[1]
        clearing = found[gateway]
        clearing.balance[currency] += amount
        prefix = f"payment:{gateway}:"
        if key.startswith(prefix) and ":refund" in key[len(prefix) :]:
            # a refund to the card leaves the clearing (a credit); its reversal, when the gateway
            # refused it for good (``…:refund:failed``), comes back (a debit)
            clearing.refunds[key[len(prefix) :].split(":refund", 1)[0]] -= amount
        elif amount > 0:
            clearing.money_in[(key, currency)] += amount
    return found


def reconcile(session: Session) -> Reconciliation:
    """Every gateway's paid payments against its clearing account (see the module's docstring)."""
    clearings = _clearings(session)
    payments = list(session.exec(select(Payment).order_by(col(Payment.id))).all())
    paid = [p for p in payments if p.status == PaymentStatus.PAID.value]
    by_key = {payment_key(p.gateway, p.reference): p for p in payments}
    refunded = {
        gateway: REFUNDED[gateway](session, [p.reference for p in paid if p.gateway == gateway]) if gateway in REFUNDED else {}
        for gateway in {p.gateway for p in paid}
    }
    totals: dict[tuple[str, str], GatewayTotals] = {}

    def total(gateway: str, currency: str) -> GatewayTotals:
        return totals.setdefault((gateway, currency), GatewayTotals(gateway, currency))

    mismatches: list[Mismatch] = []
    claimed: set[tuple[str, str, str]] = set()
    for payment in paid:
        clearing = clearings.get(payment.gateway, _Clearing())
        keys = [payment_key(payment.gateway, payment.reference)] + ([f"tip:{payment.tip_id}:pay"] if payment.tip_id is not None else [])
        key = next((k for k in keys if (k, payment.currency) in clearing.money_in), keys[0])
        in_ledger = clearing.money_in.get((key, payment.currency), 0)
        claimed.add((payment.gateway, key, payment.currency))
        at_gateway = refunded.get(payment.gateway, {}).get(payment.reference, 0)
        in_ledger_refunds = clearing.refunds.get(payment.reference, 0)
        row = total(payment.gateway, payment.currency)
        row.paid_count += 1
        row.paid_minor += payment.amount_minor
        row.gateway_refunded_minor += at_gateway
        row.ledger_refunded_minor += in_ledger_refunds
        common = dict(
            gateway=payment.gateway, currency=payment.currency, ledger_key=key, reference=payment.reference, payment_id=payment.id,
            order_id=payment.order_id, status=payment.status, paid_minor=payment.amount_minor, ledger_minor=in_ledger,
            gateway_refunded_minor=at_gateway, ledger_refunded_minor=in_ledger_refunds,
        )
        if not in_ledger:
            mismatches.append(Mismatch(kind="missing_in_ledger", **common))  # type: ignore[arg-type]
        elif in_ledger != payment.amount_minor:
            mismatches.append(Mismatch(kind="amount_mismatch", **common))  # type: ignore[arg-type]
        if at_gateway != in_ledger_refunds:
            mismatches.append(Mismatch(kind="refund_mismatch", **common))  # type: ignore[arg-type]
    for gateway, clearing in sorted(clearings.items()):
        for (key, currency), amount in sorted(clearing.money_in.items()):
            total(gateway, currency).ledger_in_minor += amount
            if (gateway, key, currency) in claimed:
                continue
            payment = by_key.get(key)
            mismatches.append(
                Mismatch(
                    gateway=gateway, kind="not_paid", currency=currency, ledger_key=key, ledger_minor=amount,
                    reference=payment.reference if payment else "", payment_id=payment.id if payment else None,
                    order_id=payment.order_id if payment else None, status=payment.status if payment else "",
                    paid_minor=0,
                )
            )
        for currency, balance in clearing.balance.items():
            total(gateway, currency).clearing_minor = balance
    for mismatch in mismatches:
        total(mismatch.gateway, mismatch.currency).mismatches += 1
    return Reconciliation(sorted(totals.values(), key=lambda t: (t.gateway, t.currency)), mismatches)


def reverify(session: Session, *, payment_id: int | None) -> tuple[Payment, PaymentResult]:
    """Ask a payment's gateway about it again, for an admin looking at a mismatch; nothing is
    applied (money moves only through checkout's handler).

    Raises:
        PaymentError: ``payment.unknown_payment``, ``payment.unknown_gateway`` (switched off since),
            and the gateway's ``verify`` keys.
    """
    payment = session.get(Payment, payment_id) if payment_id is not None else None
    if payment is None:
        raise PaymentError("payment.unknown_payment")
    return payment, get_gateway(payment.gateway).verify(session, reference=payment.reference)

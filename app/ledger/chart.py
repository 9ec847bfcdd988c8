"""The chart of accounts: every account code the platform posts to, and what each one is.

The code alone decides an account's kind, owner and whether it may go negative, so no two
services can open ``seller:9:available`` with different rules, and ``check`` can tell when a
stored account no longer matches its code. The rule is the one of payments.md §7.2: accounts
that hold other people's money (liabilities: escrow, wallets, seller balances, VAT owed) never
go negative; the platform's own assets, income and expenses may (a refund can leave gateway
clearing owing until the next settlement).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from models.ledger import AccountKind

BANK = "bank:operating"
COMMISSION = "revenue:commission"
BUYER_FEE = "revenue:buyer_fee"
PSP_FEES = "expense:psp_fees"


def psp_clearing(gateway: str) -> str:
    """Money a payment gateway owes the platform until it settles."""
    return f"psp:{gateway}:clearing"


def escrow(order_id: int) -> str:
    """The buyer's money held for one order."""
    return f"order:{order_id}:escrow"


def seller_pending(user_id: int) -> str:
    """Earned by a seller, inside the clearance window."""
    return f"seller:{user_id}:pending"


def seller_available(user_id: int) -> str:
    """What a seller may withdraw."""
    return f"seller:{user_id}:available"


def seller_withdrawing(user_id: int) -> str:
    """Reserved by a seller's withdrawal request until the bank transfer is done."""
    return f"seller:{user_id}:withdrawing"


def seller_receivable(user_id: int) -> str:
    """What a seller owes back after a refund of money already withdrawn."""
    return f"seller:{user_id}:receivable"


def buyer_wallet(user_id: int) -> str:
    """A buyer's balance from refunds or top-ups, usable to pay."""
    return f"buyer:{user_id}:wallet"


def vat_output(country: str) -> str:
    """Output VAT collected for ``country`` (ISO 3166 alpha-2), to remit to its tax authority."""
    return f"tax:vat_output:{country}"


@dataclass(frozen=True)
class AccountNature:
    """What an account code means: its kind, whether it may go negative, whose it is."""

    kind: AccountKind
    may_go_negative: bool
    owner_id: int | None


_A, _L, _I, _E = AccountKind.ASSET, AccountKind.LIABILITY, AccountKind.INCOME, AccountKind.EXPENSE
_CHART: tuple[tuple[re.Pattern[str], AccountKind], ...] = tuple(
    (re.compile(pattern), kind)
    for pattern, kind in (
        (r"psp:[a-z0-9_]+:clearing", _A),
        (re.escape(BANK), _A),
        (r"order:[1-9]\d*:escrow", _L),
        (r"seller:(?P<owner>[1-9]\d*):(?:pending|available|withdrawing)", _L),
        (r"seller:(?P<owner>[1-9]\d*):receivable", _A),
        (r"buyer:(?P<owner>[1-9]\d*):wallet", _L),
        (r"tax:vat_output:[A-Z]{2}", _L),
        (f"{re.escape(COMMISSION)}|{re.escape(BUYER_FEE)}", _I),
        (re.escape(PSP_FEES), _E),
    )
)


def describe(code: str) -> AccountNature:
    """Return what ``code`` means; a code outside the chart is a programming error.

    Raises:
        ValueError: the code matches no pattern of the chart.
    """
    for pattern, kind in _CHART:
        match = pattern.fullmatch(code)
        if match:
            owner = match.groupdict().get("owner")
            return AccountNature(kind, kind is not AccountKind.LIABILITY, int(owner) if owner else None)
    raise ValueError(f"{code!r} is not an account of the chart")


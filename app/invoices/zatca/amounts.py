"""Line and document amounts as ZATCA computes them, rounded half up to the halala.

Inside, everything is ``Money`` (integer halalas), so sums are exact and the only rounding is
VAT: ``net × rate`` rounded half up (Implementation Standard §10), which ``Money.percent`` does
on basis points. As §10 and BR-CO-17 require, a category's VAT is rounded once from its taxable
total, never summed from rounded line VATs; each line still shows its own rounded VAT
(BR-KSA-50), so the two may differ by a halala. ``Decimal`` appears only where an amount becomes
XML text (``amount_text``); reading text back is ``Money.parse``, which refuses a third decimal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from app.core.money import Money
from app.invoices.zatca.tax import TaxCategory


class Taxed(Protocol):
    """A line or a document allowance: an amount without VAT and its VAT category."""

    @property
    def amount(self) -> Money: ...

    @property
    def tax(self) -> TaxCategory: ...


@dataclass(frozen=True)
class LineTotal:
    """One line's net amount (BT-131), its VAT (KSA-11) and both together (KSA-12)."""

    net: Money
    vat: Money

    @property
    def gross(self) -> Money:
        return self.net + self.vat


@dataclass(frozen=True)
class Subtotal:
    """The VAT breakdown of one category and rate (BG-23)."""

    tax: TaxCategory
    taxable: Money  # BT-116: its lines less its allowances
    vat: Money  # BT-117: rounded once, here


@dataclass(frozen=True)
class Totals:
    """Every amount of the document level (BG-22), from which the XML totals are written."""

    lines: tuple[LineTotal, ...]
    subtotals: tuple[Subtotal, ...]
    line_extension: Money  # BT-106
    allowances: Money  # BT-107
    vat: Money  # BT-110

    @property
    def tax_exclusive(self) -> Money:
        """BT-109 (BR-CO-13)."""
        return self.line_extension - self.allowances

    @property
    def tax_inclusive(self) -> Money:
        """BT-112 (BR-CO-15), which is also what is payable: nothing is prepaid (BR-CO-16)."""
        return self.tax_exclusive + self.vat


def vat_on(net: Money, tax: TaxCategory) -> Money:
    """VAT of ``net`` in ``tax``, rounded half up to the halala."""
    return net.percent(tax.rate_bp)


def compute_totals(lines: Sequence[Taxed], allowances: Sequence[Taxed], currency: str) -> Totals:
    """Line VATs, one breakdown per distinct category (first seen first), and the totals."""
    taxable: dict[TaxCategory, Money] = {}
    for item in lines:
        taxable[item.tax] = taxable.get(item.tax, Money(0, currency)) + item.amount
    for item in allowances:
        taxable[item.tax] = taxable.get(item.tax, Money(0, currency)) - item.amount
    subtotals = tuple(Subtotal(tax, amount, vat_on(amount, tax)) for tax, amount in taxable.items())
    return Totals(
        lines=tuple(LineTotal(line.amount, vat_on(line.amount, line.tax)) for line in lines),
        subtotals=subtotals,
        line_extension=_total((line.amount for line in lines), currency),
        allowances=_total((item.amount for item in allowances), currency),
        vat=_total((subtotal.vat for subtotal in subtotals), currency),
    )


def _total(amounts: Iterable[Money], currency: str) -> Money:
    """The sum of ``amounts``; zero in ``currency`` when there are none."""
    total = Money(0, currency)
    for amount in amounts:
        total += amount
    return total


def amount_text(money: Money) -> str:
    """An amount as the XML and the QR write it: exactly two decimals (BR-DEC, BR-KSA-DEC)."""
    return _hundredths(money.minor)


def percent_text(rate_bp: int) -> str:
    """A rate in basis points as a percentage with two decimals: 1500 is ``15.00``."""
    return _hundredths(rate_bp)


def _hundredths(value: int) -> str:
    return str(Decimal(value).scaleb(-2))

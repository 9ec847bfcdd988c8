"""The chain that links every document an EGS unit issues: its counter (ICV) and the PIH.

Each document carries the invoice counter value (KSA-16, BR-KSA-33/34), one more than the
previous document's and never reset, and the previous document's invoice hash (KSA-13,
BR-KSA-61); the first carries ``FIRST_PREVIOUS_HASH``. Invoices and credit notes share one
chain per EGS unit, and ZATCA rejects a document whose link does not follow the last one it saw.

This module is the arithmetic only. Keeping the chain unforked is the invoicing service's job:
it will read the unit's last counter and hash with the unit's row locked (``SELECT … FOR
UPDATE`` on Postgres, ``BEGIN IMMEDIATE`` on SQLite), build and stamp the document, store it and
the new last link in that same transaction, and only report to ZATCA after the commit. Two
workers can then never issue the same counter, and a rolled-back document leaves no gap.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from app.invoices.zatca.errors import ensure
from app.invoices.zatca.hashing import FIRST_PREVIOUS_HASH


@dataclass(frozen=True)
class ChainLink:
    """Where a document sits in its unit's chain: its counter and the previous document's hash."""

    counter: int
    previous_hash: str

    def __post_init__(self) -> None:
        ensure(
            type(self.counter) is int and self.counter >= 1, "BR-KSA-34", "the invoice counter is a whole number from 1"
        )
        ensure(_is_invoice_hash(self.previous_hash), "BR-KSA-26", "the previous hash is a base64 SHA-256")


def first_link() -> ChainLink:
    """The link of a unit's very first document."""
    return ChainLink(1, FIRST_PREVIOUS_HASH)


def next_link(previous_counter: int, previous_hash: str) -> ChainLink:
    """The link of the document after the one numbered ``previous_counter`` and hashed so."""
    return ChainLink(previous_counter + 1, previous_hash)


def _is_invoice_hash(text: str) -> bool:
    if text == FIRST_PREVIOUS_HASH:
        return True
    try:
        return len(base64.b64decode(text, validate=True)) == 32
    except binascii.Error:
        return False

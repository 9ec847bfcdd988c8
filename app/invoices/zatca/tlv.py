"""The QR code's text: Tag-Length-Value fields, then base64 (Security Features standard §4).

Each field is one tag byte, one length byte counting the value's UTF-8 *bytes* (an Arabic
letter takes two), then the value; the fields are concatenated and base64-encoded. Tags 1-5
(seller's name, VAT number, time, total with VAT, VAT) are on every invoice; a stamped invoice
adds 6-9. Tags 6 and 7 carry the base64 *text* of the invoice hash and of its signature, as
ZATCA's SDK and the reference implementations do, not the 32 raw bytes the standard's wording
suggests (payments.md §4.1, "tag-6 discrepancy"); 8 and 9 are raw DER bytes.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass

from app.core.money import Money
from app.invoices.zatca.amounts import amount_text
from app.invoices.zatca.errors import ZatcaError, ensure

MAX_VALUE_BYTES = 255  # the length is a single byte
_RULE = "BR-KSA-27"


@dataclass(frozen=True)
class QrStamp:
    """The fields a cryptographic stamp adds: tags 6, 7, 8 and, for simplified invoices, 9."""

    invoice_hash: str
    signature: str
    public_key: bytes  # DER SubjectPublicKeyInfo
    certificate_signature: bytes | None = None  # the CSID certificate's own signature, DER


@dataclass(frozen=True)
class QrPayload:
    """What the QR code says; ``timestamp`` is the issue date and time as the invoice has them."""

    seller_name: str
    vat_number: str
    timestamp: str
    total: Money
    vat: Money
    stamp: QrStamp | None = None


def encode_qr(payload: QrPayload) -> str:
    """The base64 text to put in the invoice's QR reference and to draw as the QR image."""
    return base64.b64encode(encode_tlv(_fields(payload))).decode("ascii")


def decode_qr(text: str) -> QrPayload:
    """Read a QR text back, refusing one that misses a phase-1 field or half a stamp."""
    try:
        pairs = decode_tlv(base64.b64decode(text, validate=True))
    except binascii.Error:
        raise ZatcaError(_RULE, "the QR text is not base64") from None
    fields = dict(pairs)
    _ensure_tags(fields, repeated=len(fields) != len(pairs))
    try:
        return QrPayload(
            seller_name=fields[1].decode("utf-8"),
            vat_number=fields[2].decode("utf-8"),
            timestamp=fields[3].decode("utf-8"),
            total=Money.parse(fields[4].decode("utf-8")),
            vat=Money.parse(fields[5].decode("utf-8")),
            stamp=_stamp(fields) if 6 in fields else None,
        )
    except ValueError as error:  # text that is not UTF-8, an amount that is not one
        raise ZatcaError(_RULE, f"unreadable QR field: {error}") from None


def encode_tlv(fields: Iterable[tuple[int, bytes]]) -> bytes:
    """Concatenate ``(tag, value)`` pairs as one tag byte, one length byte, then the value."""
    out = bytearray()
    for tag, value in fields:
        ensure(1 <= tag <= 255, _RULE, f"a tag is one byte, not {tag}")
        ensure(len(value) <= MAX_VALUE_BYTES, _RULE, f"tag {tag} holds {len(value)} bytes, at most 255 fit")
        out += bytes([tag, len(value)]) + value
    return bytes(out)


def decode_tlv(data: bytes) -> list[tuple[int, bytes]]:
    """Split TLV bytes back into ``(tag, value)`` pairs, refusing a truncated field."""
    fields: list[tuple[int, bytes]] = []
    position = 0
    while position < len(data):
        ensure(position + 2 <= len(data), _RULE, "a QR field is cut before its length")
        tag, length = data[position], data[position + 1]
        value = data[position + 2 : position + 2 + length]
        ensure(len(value) == length, _RULE, f"tag {tag} is cut short")
        fields.append((tag, value))
        position += 2 + length
    return fields


def _fields(payload: QrPayload) -> list[tuple[int, bytes]]:
    texts = [payload.seller_name, payload.vat_number, payload.timestamp]
    texts += [amount_text(payload.total), amount_text(payload.vat)]
    fields = [(tag, text.encode("utf-8")) for tag, text in enumerate(texts, start=1)]
    stamp = payload.stamp
    if stamp is not None:
        fields += [(6, stamp.invoice_hash.encode("ascii")), (7, stamp.signature.encode("ascii"))]
        fields.append((8, stamp.public_key))
        if stamp.certificate_signature is not None:
            fields.append((9, stamp.certificate_signature))
    return fields


def _ensure_tags(fields: dict[int, bytes], *, repeated: bool) -> None:
    ensure(not repeated, _RULE, "a QR tag appears twice")
    ensure(fields.keys() <= set(range(1, 10)), _RULE, "QR tags run from 1 to 9")
    ensure({1, 2, 3, 4, 5} <= fields.keys(), _RULE, "the QR lacks one of tags 1-5")
    stamp_tags = fields.keys() & {6, 7, 8}
    ensure(stamp_tags in (set(), {6, 7, 8}), _RULE, "a stamped QR has all of tags 6, 7 and 8")
    ensure(9 not in fields or bool(stamp_tags), _RULE, "tag 9 comes only with a stamp")


def _stamp(fields: dict[int, bytes]) -> QrStamp:
    return QrStamp(
        invoice_hash=fields[6].decode("ascii"),
        signature=fields[7].decode("ascii"),
        public_key=fields[8],
        certificate_signature=fields.get(9),
    )

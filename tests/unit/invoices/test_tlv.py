"""The QR's TLV text: the published vectors, round trips, and what it refuses."""

from __future__ import annotations

import base64
import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.money import Money
from app.invoices.zatca import QrPayload, QrStamp, ZatcaError, decode_qr, encode_qr
from app.invoices.zatca.tlv import decode_tlv, encode_tlv

# payments.md §4.1, recomputed by shared/reference/zatca/vectors_check.py
VECTORS = [
    (
        ("Bobs Records", "310122393500003", "2022-04-25T15:30:00Z", 100_000, 15_000),
        "AQxCb2JzIFJlY29yZHMCDzMxMDEyMjM5MzUwMDAwMwMUMjAyMi0wNC0yNVQxNTozMDowMFoEBzEwMDAuMDAFBjE1MC4wMA==",
    ),
    (
        ("الجواهري العربي", "310122393500003", "2022-04-25T15:30:00Z", 100_000, 15_000),
        "AR3Yp9mE2KzZiNin2YfYsdmKINin2YTYudix2KjZigIPMzEwMTIyMzkzNTAwMDAzAxQyMDIyLTA0LTI1VDE1OjMwOjAwWgQHMTAwMC4wMAUGMTUwLjAw",
    ),
    (
        ("Salla", "1234567891", "2021-07-12T14:25:09Z", 10_000, 1_500),
        "AQVTYWxsYQIKMTIzNDU2Nzg5MQMUMjAyMS0wNy0xMlQxNDoyNTowOVoEBjEwMC4wMAUFMTUuMDA=",
    ),
    (
        ("سلة", "1234567891", "2021-07-12T14:25:09Z", 10_000, 1_500),
        "AQbYs9mE2KkCCjEyMzQ1Njc4OTEDFDIwMjEtMDctMTJUMTQ6MjU6MDlaBAYxMDAuMDAFBTE1LjAw",
    ),
]

texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
arabic = st.text(st.characters(min_codepoint=0x0600, max_codepoint=0x06FF), min_size=1, max_size=100)
halalas = st.integers(min_value=0, max_value=10**12)


def _payload(fields: tuple[str, str, str, int, int]) -> QrPayload:
    name, vat_number, timestamp, total, vat = fields
    return QrPayload(name, vat_number, timestamp, Money(total), Money(vat))


@pytest.mark.parametrize(("fields", "expected"), VECTORS)
def test_published_vectors_encode_exactly(fields, expected):
    """The four published phase-1 vectors, Arabic seller names included, come out byte for byte."""
    # given the inputs of a published vector
    # when its QR text is encoded
    # then it is the published base64
    assert encode_qr(_payload(fields)) == expected


@pytest.mark.parametrize(("fields", "text"), VECTORS)
def test_published_vectors_decode_back_to_their_fields(fields, text):
    """Decoding a published QR gives its five fields back."""
    # given a published QR text
    # when it is decoded
    # then every field is the published one
    assert decode_qr(text) == _payload(fields)


def test_vector_a_is_the_published_hex():
    """The raw TLV bytes of vector A match the published hex dump."""
    # given vector A
    raw = base64.b64decode(VECTORS[0][1])
    # when it is hex-dumped
    # then it is the published dump
    assert raw.hex() == (
        "010c426f6273205265636f726473020f3331303132323339333530303030330314323032322d30342d32355431353a33"
        "303a30305a0407313030302e303005063135302e3030"
    )


def test_lengths_count_utf8_bytes_not_characters():
    """Tag 1 of vector B is 15 characters but 29 UTF-8 bytes: the length byte says 29 (0x1D)."""
    # given the Arabic seller name of vector B
    name = "الجواهري العربي"
    # when it is encoded
    raw = base64.b64decode(encode_qr(_payload((name, "310122393500003", "2022-04-25T15:30:00Z", 100_000, 15_000))))
    # then its length byte counts bytes
    assert len(name) == 15
    assert raw[:2] == bytes([1, 0x1D])


@given(st.lists(st.tuples(st.integers(1, 255), st.binary(max_size=255)), max_size=12))
def test_tlv_round_trips_any_fields(fields):
    """Any tags and values that fit one byte of length come back unchanged, in order."""
    # given arbitrary fields
    # when they are encoded and decoded
    # then they are the same
    assert decode_tlv(encode_tlv(fields)) == fields


@given(arabic | texts, texts, texts, halalas, halalas, st.binary(max_size=100), st.none() | st.binary(max_size=80))
def test_qr_round_trips_any_payload(name, vat_number, timestamp, total, vat, key, certificate_signature):
    """Any payload, stamped or not, survives encoding; Arabic names take their real byte length."""
    # given a payload with a stamp
    stamp = QrStamp("aGFzaA==", "c2lnbmF0dXJl", key, certificate_signature)
    payload = QrPayload(name, vat_number, timestamp, Money(total), Money(vat), stamp)
    # when it is encoded and decoded
    # then it is the same payload
    assert decode_qr(encode_qr(payload)) == payload
    unstamped = dataclasses.replace(payload, stamp=None)
    assert decode_qr(encode_qr(unstamped)) == unstamped


def test_a_value_longer_than_255_bytes_is_refused():
    """The length is one byte: 128 Arabic letters (256 bytes) cannot be encoded."""
    # given a seller name of 256 UTF-8 bytes
    payload = QrPayload("م" * 128, "310122393500003", "2022-04-25T15:30:00Z", Money(100), Money(15))
    # when it is encoded
    # then it is refused
    with pytest.raises(ZatcaError, match="at most 255"):
        encode_qr(payload)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (bytes([1, 5]) + b"abc", "cut short"),
        (bytes([1]), "cut before its length"),
        (encode_tlv([(1, b"x"), (2, b"y"), (3, b"t"), (4, b"1.00")]), "lacks one of tags 1-5"),
        (encode_tlv([(t, b"1.00") for t in (1, 2, 3, 4, 5, 6, 7)]), "all of tags 6, 7 and 8"),
        (encode_tlv([(t, b"1.00") for t in (1, 2, 3, 4, 5, 9)]), "tag 9 comes only with a stamp"),
        (encode_tlv([(t, b"1.00") for t in (1, 1, 2, 3, 4, 5)]), "appears twice"),
        (encode_tlv([(t, b"1.00") for t in (1, 2, 3, 4, 5, 10)]), "from 1 to 9"),
        (encode_tlv([(1, b"x"), (2, b"y"), (3, b"t"), (4, b"lots"), (5, b"1.00")]), "unreadable"),
    ],
)
def test_malformed_qr_texts_are_refused(raw, reason):
    """A truncated, incomplete or half-stamped QR is refused with the reason, never misread."""
    # given malformed TLV bytes
    text = base64.b64encode(raw).decode()
    # when they are decoded as a QR
    # then the reason is given
    with pytest.raises(ZatcaError, match=reason):
        decode_qr(text)


def test_text_that_is_not_base64_is_refused():
    # given text with characters outside base64
    # when it is decoded
    # then it is refused
    with pytest.raises(ZatcaError, match="not base64"):
        decode_qr("not base64!")

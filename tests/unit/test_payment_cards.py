"""The sandbox's card form checks, its webhook signature and the gateway settings, without a database."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.settings import get_settings, load_settings
from app.payments import PaymentError, enabled_gateways, get_gateway
from app.payments.cards import TEST_CARDS, Outcome, ascii_digits, luhn_valid, parse_expiry, read_card
from app.payments.sandbox import reference_of, sign

TODAY = date(2026, 11, 27)
GOOD = {"number": "4111 1111 1111 1111", "expiry": "12/29", "cvc": "123", "holder": "Sara Ali"}


def failure(**changes: object) -> str:
    with pytest.raises(PaymentError) as caught:
        read_card(**{**GOOD, **changes}, today=TODAY)  # type: ignore[arg-type]
    return caught.value.key


# -- card numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["4111111111111111", "4000000000000002", "4000000000003220", "5421080101000000", "79927398713"])
def test_luhn_accepts_valid_numbers(number: str) -> None:
    # given a number with a correct check digit
    # then Luhn accepts it
    assert luhn_valid(number)


@pytest.mark.parametrize("number", ["4111111111111112", "79927398710", "", "4111-1111", "٤١١١١١١١١١١١١١١١"])
def test_luhn_refuses_wrong_check_digits_and_non_ascii(number: str) -> None:
    # given a wrong check digit, or text that is not ASCII digits
    # then Luhn refuses it (digits are normalised before, by ascii_digits)
    assert not luhn_valid(number)


def test_every_test_card_is_a_valid_card_number() -> None:
    # given the cards the page lists
    # then each passes the same checks a typed card does, and each outcome is listed once
    assert all(luhn_valid(card.number) for card in TEST_CARDS)
    assert sorted(card.outcome for card in TEST_CARDS) == sorted([Outcome.PAID, Outcome.DECLINED, Outcome.CHALLENGE])


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("4111 1111 1111 1111", "4111111111111111"),
        ("4111-1111-1111-1111", "4111111111111111"),
        ("٤١١١ ١١١١ ١١١١ ١١١١", "4111111111111111"),  # Arabic-Indic
        ("۴۱۱۱۱۱۱۱۱۱۱۱۱۱۱۱", "4111111111111111"),  # Persian
        ("  4000000000003220 ", "4000000000003220"),
    ],
)
def test_card_numbers_are_read_in_any_digits_with_separators(typed: str, digits: str) -> None:
    # given a number as a person types it
    card = read_card(**{**GOOD, "number": typed}, today=TODAY)
    # then the card holds its ASCII digits
    assert card.number == digits


@pytest.mark.parametrize("value", [None, 4111111111111111, "", "   ", "4111 1111 1111 111x", "4111.1111.1111.1111", "1" * 41, "\ud800"])
def test_ascii_digits_refuses_anything_but_digits(value: object) -> None:
    assert ascii_digits(value, separators=" -") is None


@pytest.mark.parametrize("number", ["4111 1111 1111 1112", "4111", "4" * 20, "abcd", None, ["4111111111111111"]])
def test_bad_card_numbers_are_refused(number: object) -> None:
    assert failure(number=number) == "payment.card_number"


def test_a_valid_card_that_is_not_a_test_card_has_the_unknown_outcome() -> None:
    # given a real-looking Mastercard number
    card = read_card(**{**GOOD, "number": "5421 0801 0100 0000"}, today=TODAY)
    # then the sandbox does not know it
    assert card.outcome is Outcome.UNKNOWN
    assert read_card(**GOOD, today=TODAY).outcome is Outcome.PAID


# -- expiry, CVC, holder -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("11/26", (11, 2026)), ("12/2031", (12, 2031)), ("0829", (8, 2029)), ("٠٨/٢٩", (8, 2029)), (" 01 / 30 ", (1, 2030))],
)
def test_expiry_is_read_through_the_end_of_its_month(typed: str, expected: tuple[int, int]) -> None:
    # given an expiry in one of the usual shapes (this month still counts)
    # then month and year are read
    assert parse_expiry(typed, today=TODAY) == expected


@pytest.mark.parametrize("typed", ["10/26", "01/20", "12/2025"])
def test_past_expiries_are_expired(typed: str) -> None:
    assert failure(expiry=typed) == "payment.card_expired"


@pytest.mark.parametrize("typed", ["13/29", "00/29", "1/2", "12/299", "ab/cd", "", None, 1229, "12/99", "12-29"])
def test_malformed_expiries_are_refused(typed: object) -> None:
    # "12/99" is 2099: further away than any card runs
    assert failure(expiry=typed) == "payment.card_expiry"


@pytest.mark.parametrize("cvc", ["12", "1234", "12a", "", None, 123])
def test_the_cvc_is_three_digits(cvc: object) -> None:
    assert failure(cvc=cvc) == "payment.card_cvc"


def test_an_arabic_indic_cvc_is_accepted() -> None:
    assert read_card(**{**GOOD, "cvc": "١٢٣"}, today=TODAY).number == "4111111111111111"


@pytest.mark.parametrize("holder", ["", "S", "Sara 2", "سارة ٢", "12345", "x" * 81, None, ["Sara"], "\x00\x01"])
def test_the_holder_is_a_name(holder: object) -> None:
    assert failure(holder=holder) == "payment.card_holder"


def test_an_arabic_holder_name_is_kept_clean() -> None:
    card = read_card(**{**GOOD, "holder": "  سارة\u200b العلي "}, today=TODAY)
    assert card.holder == "سارة العلي"


# -- references, signatures, settings --------------------------------------------------------


def test_references_are_read_only_from_the_pay_path() -> None:
    reference = "sbx_" + "A" * 24
    assert reference_of(f"/sandbox/pay/{reference}") == reference
    assert reference_of(f"/sandbox/pay/{reference}/") == reference
    for path in (None, 5, "/", f"/sandbox/pay/{reference}x", "/sandbox/pay/sbx_short", f"/other/{reference}", "/sandbox/pay/' OR 1=1 --"):
        assert reference_of(path) is None


def test_the_signature_covers_every_byte_of_the_body() -> None:
    # given a body and its signature
    body = b'{"data":{"reference":"sbx_x","status":"paid"}}'
    signature = sign(body)
    # then it is a stable hex HMAC-SHA256, and any change to the body changes it
    assert signature == sign(body) and len(signature) == 64 and int(signature, 16) >= 0
    assert sign(body.replace(b"paid", b"fail")) != signature
    assert sign(body + b" ") != signature


def test_the_signing_key_is_the_installations(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # given a body signed by this installation
    body = b'{"data":{"reference":"sbx_x"}}'
    ours = sign(body)
    # when another installation (another data dir, so another secret) signs it
    monkeypatch.setenv("MIHAN_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        theirs = sign(body)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    # then the signatures differ
    assert theirs != ours


def test_gateways_come_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    # given no setting, then the sandbox is the one gateway
    monkeypatch.delenv("MIHAN_PAYMENT_GATEWAYS", raising=False)
    assert load_settings().payment_gateways == ("sandbox",)
    # given a list with blanks, repeats and capitals, then it is cleaned
    monkeypatch.setenv("MIHAN_PAYMENT_GATEWAYS", " Sandbox, ,sandbox")
    assert load_settings().payment_gateways == ("sandbox",)


def test_the_registry_serves_enabled_known_gateways(monkeypatch: pytest.MonkeyPatch) -> None:
    # given the default settings
    monkeypatch.delenv("MIHAN_PAYMENT_GATEWAYS", raising=False)
    get_settings.cache_clear()
    try:
        # then the sandbox is served and nothing else is
        assert [gateway.name for gateway in enabled_gateways()] == ["sandbox"]
        assert get_gateway("sandbox").name == "sandbox"
        for name in ("moyasar", "", None, "SANDBOX", {"$ne": 1}):
            with pytest.raises(PaymentError) as caught:
                get_gateway(name)
            assert caught.value.key == "payment.unknown_gateway"
        # given a setting that names a gateway Mihan does not have
        monkeypatch.setenv("MIHAN_PAYMENT_GATEWAYS", "sandbox,moyasr")
        get_settings.cache_clear()
        # then listing the gateways says so, and the sandbox is still served by name
        with pytest.raises(ValueError, match="moyasr"):
            enabled_gateways()
        assert get_gateway("sandbox").name == "sandbox"
        # given real gateways only, the sandbox is switched off
        monkeypatch.setenv("MIHAN_PAYMENT_GATEWAYS", "moyasar")
        get_settings.cache_clear()
        with pytest.raises(PaymentError):
            get_gateway("sandbox")
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()

"""PayTabs' documented contract that needs no server: the return signature and the amounts.

The worked example is PayTabs' own (payments.md §2.3, from
https://support.paytabs.com/en/support/solutions/articles/60000718961): it must verify as published.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.money import Money
from app.payments.paytabs import canonical_return, decimal_to_money, minor_to_decimal, sign_body, sign_return



def test_the_published_return_signature_example_verifies() -> None:
    # payments.md §2.3: PayTabs' own worked example of a return POST and its signature
    raw = (
        "acquirerMessage=&acquirerRRN=&cartId=cart_11111&customerEmail=email%40domain.com&respCode=G84718"
        "&respMessage=Authorised&respStatus=A&signature=7a181a32c768621eb6966107752ee70205a01f1c4403a3d13c0ff604f591f988"
        "&token=&tranRef=TST2215201242166"
    )
    form = {k: v[0] if v else "" for k, v in parse_qs(raw, keep_blank_values=True).items()}
    assert canonical_return(form) == (
        "cartId=cart_11111&customerEmail=email%40domain.com&respCode=G84718&respMessage=Authorised&respStatus=A&tranRef=TST2215201242166"
    )
    assert sign_return("SGJNZ96JLG-JDMKHGRWT9-RWRK2KJNRJ", form) == form["signature"]
    assert sign_return("SGJNZ96JLG-JDMKHGRWT9-RWRK2KJNRX", form) != form["signature"]


@pytest.mark.parametrize(("money", "text"), [(Money(15000), "150.00"), (Money(1), "0.01"), (Money(123456, "KWD"), "123.456"), (Money(999, "JPY"), "999")])
def test_amounts_go_to_paytabs_as_decimal_strings_and_come_back_exact(money: Money, text: str) -> None:
    assert minor_to_decimal(money) == text
    assert decimal_to_money(text, money.currency) == money


@pytest.mark.parametrize("value", ["150.001", "abc", "NaN", True, 1.5, None, "Infinity"])
def test_unreadable_amounts_are_refused(value: object) -> None:
    with pytest.raises(ValueError):
        decimal_to_money(value, "SAR")


@given(minor=st.integers(min_value=1, max_value=10**12), currency=st.sampled_from(["SAR", "AED", "KWD", "OMR", "EGP", "JOD"]))
def test_any_amount_survives_the_trip_to_paytabs_and_back(minor: int, currency: str) -> None:
    money = Money(minor, currency)
    assert decimal_to_money(minor_to_decimal(money), currency) == money


def test_the_callback_signature_is_the_hmac_of_the_raw_body() -> None:
    # PHP's reference is hash_hmac('sha256', $payload, $serverKey); the expected value was computed
    # with `openssl dgst -sha256 -hmac`, and one changed byte of the body changes it
    body = b'{"tran_ref":"TST2215201242166","cart_id":"cart_11111"}'
    assert sign_body("SGJNZ96JLG-JDMKHGRWT9-RWRK2KJNRJ", body) == "de7b77e6939e6ea2042c17c62da69be68ab3d4d43133fe15bad5d93c32214f27"
    assert sign_body("SGJNZ96JLG-JDMKHGRWT9-RWRK2KJNRJ", body.replace(b"1111", b"1112")) != sign_body("SGJNZ96JLG-JDMKHGRWT9-RWRK2KJNRJ", body)

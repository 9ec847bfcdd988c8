"""Money: integer minor units, exact splits, half-up percentages, Arabic input and display."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.money import Money, format_money

amounts = st.integers()  # any size, negative too: minor units are Python ints
ratio_lists = st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=12).filter(
    lambda ratios: sum(ratios) > 0
)


@pytest.mark.parametrize("minor", [1.0, 12.5, True, False, "100", None])
def test_money_refuses_anything_but_an_int_of_minor_units(minor):
    """Floats (and bools, which are ints in Python) would let rounding errors into balances."""
    # given a value that is not a plain int
    # when it is used as an amount
    # then Money refuses it
    with pytest.raises(TypeError):
        Money(minor)  # type: ignore[arg-type]


@pytest.mark.parametrize("currency", ["sar", "SA", "SARR", "S4R", "", "ريا"])
def test_money_refuses_a_currency_that_is_not_an_iso_code(currency):
    """Currencies are three upper-case letters, so typos cannot create a new currency."""
    # given a malformed currency code
    # when money is created with it
    # then it is refused
    with pytest.raises(ValueError):
        Money(100, currency)


def test_money_adds_subtracts_and_compares_within_one_currency():
    """The arithmetic the ledger relies on works on minor units."""
    # given two amounts in riyals
    a, b = Money(1050), Money(250)
    # when they are combined
    # then the minor units add up and compare as expected
    assert a + b == Money(1300)
    assert a - b == Money(800)
    assert -b == Money(-250)
    assert b < a and b <= a and not a < b
    assert Money(0).is_zero and not a.is_zero


@pytest.mark.parametrize(
    "operation",
    [
        lambda a, b: a + b,
        lambda a, b: a - b,
        lambda a, b: a < b,
        lambda a, b: a <= b,
    ],
)
def test_mixed_currency_arithmetic_raises(operation):
    """Adding riyals to dirhams silently would corrupt every total."""
    # given amounts in two currencies
    sar, aed = Money(100, "SAR"), Money(100, "AED")
    # when they are combined
    # then it raises instead of guessing an exchange rate
    with pytest.raises(ValueError, match="currency mismatch"):
        operation(sar, aed)


def test_money_refuses_to_combine_with_a_plain_number():
    """``Money(5) + 5`` is almost certainly a bug (halalas or riyals?)."""
    # given money and an int
    # when they are added
    # then it raises
    with pytest.raises(TypeError):
        Money(500) + 5  # type: ignore[operator]


@given(amount=amounts, ratios=ratio_lists)
def test_allocate_parts_always_sum_to_the_whole(amount, ratios):
    """Commission splits never create or lose a halala, whatever the ratios."""
    # given any amount (negative too) and any usable ratios
    money = Money(amount)
    # when it is allocated
    parts = money.allocate(ratios)
    # then there is one part per ratio, in the same currency, adding back to the whole
    assert len(parts) == len(ratios)
    assert all(part.currency == "SAR" for part in parts)
    assert sum(part.minor for part in parts) == amount


@given(amount=amounts, ratios=ratio_lists)
def test_allocate_parts_stay_within_one_unit_of_the_exact_share(amount, ratios):
    """Largest-remainder allocation is fair: no part strays a whole unit from its share."""
    # given any amount and ratios
    total = sum(ratios)
    # when it is allocated
    parts = Money(amount).allocate(ratios)
    # then each part is the exact share rounded down or up (|part*total - amount*ratio| < total)
    for part, ratio in zip(parts, ratios, strict=True):
        assert abs(part.minor * total - amount * ratio) < total
        if ratio == 0:
            assert part.minor == 0


@given(amount=amounts, count=st.integers(min_value=1, max_value=50), weight=st.integers(min_value=1, max_value=1000))
def test_allocate_equal_ratios_differ_by_at_most_one(amount, count, weight):
    """Splitting evenly gives parts that differ by at most one minor unit."""
    # given equal ratios
    ratios = [weight] * count
    # when an amount is allocated
    parts = [part.minor for part in Money(amount).allocate(ratios)]
    # then the parts differ by at most one and still add up
    assert max(parts) - min(parts) <= 1
    assert sum(parts) == amount


def test_allocate_gives_the_leftover_to_the_first_parts():
    """100 halalas in three gives 34/33/33, deterministically."""
    # given 1.00 SAR
    # when it is split in three
    parts = Money(100).allocate([1, 1, 1])
    # then the extra halala goes to the first part
    assert parts == [Money(34), Money(33), Money(33)]
    assert Money(-100).allocate([1, 1, 1]) == [Money(-34), Money(-33), Money(-33)]


@pytest.mark.parametrize("ratios", [[], [0, 0], [1, -1]])
def test_allocate_refuses_unusable_ratios(ratios):
    """Empty, all-zero or negative ratios have no meaningful split."""
    # given unusable ratios
    # when an amount is allocated by them
    # then it raises
    with pytest.raises(ValueError):
        Money(100).allocate(ratios)


def test_percent_worked_example():
    """The fee example from the business rules: 20% of 100.00, then 15% of that."""
    # given 100.00 SAR
    price = Money(10000)
    # when 20% is taken, and 15% of that
    commission = price.percent(2000)
    vat = commission.percent(1500)
    # then the amounts are 20.00 and 3.00
    assert commission == Money(2000)
    assert vat == Money(300)


@pytest.mark.parametrize(
    ("minor", "basis_points", "expected"),
    [
        (5, 1000, 1),  # 0.5 rounds up
        (4, 1000, 0),  # 0.4 rounds down
        (15, 1000, 2),  # 1.5 rounds up
        (14, 1000, 1),  # 1.4 rounds down
        (-5, 1000, -1),  # half rounds away from zero for refunds too
        (-4, 1000, 0),
        (333, 5000, 167),  # 166.5
        (1, 5000, 1),  # 0.5
        (12345, 0, 0),
        (12345, 10000, 12345),
    ],
)
def test_percent_rounds_half_up(minor, basis_points, expected):
    """Half a halala rounds up (away from zero), everything below half rounds down."""
    # given an amount and a percentage in basis points
    # when the percentage is taken
    # then it is rounded half up to a whole minor unit
    assert Money(minor).percent(basis_points) == Money(expected)


def test_percent_keeps_the_currency():
    """A fee on dirhams is in dirhams."""
    # given an amount in AED
    # when a percentage is taken
    # then the currency is kept
    assert Money(1000, "AED").percent(1000) == Money(100, "AED")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("123.50", 12350),
        ("١٢٣٫٥٠", 12350),
        ("١٢٣.٥", 12350),
        ("  99 ", 9900),
        ("1,234.56", 123456),
        ("١٬٢٣٤٫٥٦", 123456),
        ("0.01", 1),
        ("٠", 0),
    ],
)
def test_parse_reads_latin_and_arabic_indic_digits(text, expected):
    """People type amounts with either digit set and either separators."""
    # given an amount as typed
    # when it is parsed
    # then it becomes the right number of halalas
    assert Money.parse(text) == Money(expected)


@pytest.mark.parametrize("text", ["1.234", "١٫٢٣٤", "0.001"])
def test_parse_refuses_more_decimals_than_the_currency_has(text):
    """A third decimal of a riyal does not exist; refusing beats rounding silently."""
    # given an amount with three decimals
    # when it is parsed as SAR
    # then it is refused
    with pytest.raises(ValueError, match="more decimals"):
        Money.parse(text)


def test_parse_uses_the_currency_precision():
    """Kuwaiti dinars have three decimals, yen none."""
    # given amounts for currencies with other precisions
    # when they are parsed
    # then each uses its own minor unit
    assert Money.parse("1.234", "KWD") == Money(1234, "KWD")
    assert Money.parse("150", "JPY") == Money(150, "JPY")
    with pytest.raises(ValueError):
        Money.parse("1.5", "JPY")


@pytest.mark.parametrize("text", ["", "abc", "١٢ريال", "NaN", "Infinity", "1..2"])
def test_parse_refuses_text_that_is_not_an_amount_with_value_error(text):
    """Callers catch ValueError for bad input; a decimal or overflow error would escape them."""
    # given text that is not an amount
    # when it is parsed
    # then a ValueError is raised
    with pytest.raises(ValueError):
        Money.parse(text)


def test_format_money_in_arabic():
    """Arabic display uses the ar-SA currency sign, Latin digits by default."""
    # given 1,234.50 SAR
    money = Money(123450)
    # when it is formatted for Arabic
    text = format_money(money, "ar")
    # then it shows the riyal sign and the amount with Latin digits
    assert "1,234.50" in text
    assert "ر.س" in text
    assert not any("٠" <= ch <= "٩" for ch in text)


def test_format_money_in_arabic_with_arabic_indic_digits():
    """Some people prefer Arabic-Indic digits; separators follow them."""
    # given 1,234.50 SAR
    # when it is formatted with Arabic digits
    text = format_money(Money(123450), "ar", arabic_digits=True)
    # then the digits and separators are Arabic-Indic
    assert "١٬٢٣٤٫٥٠" in text
    assert "ر.س" in text
    assert not any(ch in "0123456789" for ch in text)


def test_format_money_in_english():
    """English display is en-US style with the ISO code."""
    # given amounts in SAR
    # when they are formatted for English (Arabic digits are ignored in English)
    # then they read like SAR1,234.50
    assert format_money(Money(123450), "en") == "SAR1,234.50"
    assert format_money(Money(123450), "en", arabic_digits=True) == "SAR1,234.50"
    assert format_money(Money(-500), "en") == "-SAR5.00"
    assert format_money(Money(1234, "KWD"), "en") == "KWD1.234"

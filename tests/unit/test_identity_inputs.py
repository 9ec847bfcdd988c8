"""What an identity request may hold, without a database: the freelance document number as
people type it, the legal name, and a document typed by its bytes."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from app.core.private_files import picture_or_pdf
from app.reviews.errors import ReviewError
from app.trust import identity
from app.trust.errors import TrustError
from tests.integration.statekit import png_bytes

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@given(
    digits=st.text(alphabet="0123456789", min_size=8, max_size=10),
    prefix=st.sampled_from(["FL", "fl", "Fl"]),
    separator=st.sampled_from(["", "-", " ", " - "]),
    arabic=st.booleans(),
)
def test_a_number_typed_any_usual_way_reads_as_stored(digits: str, prefix: str, separator: str, arabic: bool) -> None:
    typed = prefix + separator + (digits.translate(ARABIC_INDIC) if arabic else digits)
    assert identity.normalise_freelance_number(typed) == f"FL-{digits}"


@pytest.mark.parametrize("typed", ["", "FL", "FL-1234567", "FL-12345678901", "123456789", "FX-123456789", "FL-12345678a", "FL-١٢٣٤٥٦٧٨x", None, 123456789, "FL-" + "1" * 40])
def test_anything_else_is_not_a_number(typed: object) -> None:
    assert identity.normalise_freelance_number(typed) == ""


@pytest.mark.parametrize(("typed", "stored"), [("  فهد   بن سعد ", "فهد بن سعد"), ("Noura Al-Qahtani", "Noura Al-Qahtani"), ("عبدُالله الشمري", "عبدُالله الشمري")])
def test_legal_names_are_tidied(typed: str, stored: str) -> None:
    assert identity.legal_name(typed) == stored


@pytest.mark.parametrize("typed", ["فهد", "فهد 2", "فهد_سعد", "فهد @سعد", "", None, "ف" * 121 + " س"])
def test_a_legal_name_is_two_words_of_letters(typed: object) -> None:
    with pytest.raises((TrustError, ReviewError)) as caught:
        identity.legal_name(typed)
    assert caught.value.key == "identity.invalid_name"


def test_documents_are_pictures_or_complete_pdfs_by_their_bytes() -> None:
    assert picture_or_pdf(png_bytes()) == "image/png"
    assert picture_or_pdf(b"%PDF-1.7\n...\n%%EOF\n") == "application/pdf"
    assert picture_or_pdf(b"%PDF-1.7 no trailer") is None
    assert picture_or_pdf(b"MZ\x90\x00" + b"\x00" * 200) is None
    assert picture_or_pdf(b"\x89PNG\r\n\x1a\n broken") is None

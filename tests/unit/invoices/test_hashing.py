"""The invoice hash: the reference sample's value, what it covers, and the first PIH."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from app.invoices.zatca import FIRST_PREVIOUS_HASH, invoice_hash

# a byte-exact copy of shared/reference/zatca/sample_simplified_invoice.xml (SallaApp/ZATCA's template)
SAMPLE = Path(__file__).with_name("fixtures") / "sample_simplified_invoice.xml"
# payments.md §4.2: computed by the research sketch, "use it as a regression value only";
# no ZATCA-published (XML, hash) pair exists in the reference
SAMPLE_HASH = "cRuFiBPGtF/Q0yflkhNrvZAP6zNTGMBmnD9eb7HYg0c="


def _sample() -> bytes:
    return SAMPLE.read_bytes()


def test_the_reference_sample_hashes_to_its_recorded_value():
    """The sample simplified invoice gives the hash recorded in the research notes."""
    # given the reference sample invoice
    # when its invoice hash is computed
    # then it is the recorded value
    assert invoice_hash(_sample()) == SAMPLE_HASH


def test_the_first_previous_hash_is_base64_of_the_hex_sha256_of_zero():
    """BR-KSA-26's constant is base64 of the *hex text* of SHA-256("0"), not of the raw digest."""
    # given the character "0"
    # when it is hashed as ZATCA describes
    seed = base64.b64encode(hashlib.sha256(b"0").hexdigest().encode()).decode()
    # then it is the constant
    assert seed == FIRST_PREVIOUS_HASH
    assert base64.b64encode(hashlib.sha256(b"0").digest()).decode() != FIRST_PREVIOUS_HASH


def test_the_stamp_the_qr_and_the_signature_reference_are_outside_the_hash():
    """Changing what the transforms remove (BR-KSA-26 steps 1-3) leaves the hash as it was."""
    # given the sample with a different QR, a filled extension and another signature method
    changed = (
        _sample()
        .replace(b"TEMP_QR_VALUE", b"AQxCb2Jz")
        .replace(b"<ext:UBLExtensions/>", b"<ext:UBLExtensions><ext:UBLExtension/></ext:UBLExtensions>")
        .replace(b"dsig:enveloped:xades", b"dsig:other")
    )
    # when both are hashed
    # then the hashes agree
    assert invoice_hash(changed) == SAMPLE_HASH


def test_any_other_change_changes_the_hash():
    """One halala, or one space between elements, is a different invoice."""
    # given the sample with its total changed, and with extra whitespace
    total = _sample().replace(b'"SAR">473</cbc:PayableAmount>', b'"SAR">473.01</cbc:PayableAmount>')
    spaced = _sample().replace(b"<cbc:ProfileID>", b" <cbc:ProfileID>")
    # when they are hashed
    # then neither matches the original
    assert invoice_hash(total) != SAMPLE_HASH
    assert invoice_hash(spaced) != SAMPLE_HASH


def test_the_whitespace_around_removed_elements_stays_in_the_hash():
    """The transforms remove elements, not the text between them: removing one keeps its tail."""
    # given the sample without its QR reference, but with the whitespace that followed it
    qr = rb"<cac:AdditionalDocumentReference>\s*<cbc:ID>QR</cbc:ID>.*?</cac:AdditionalDocumentReference>"
    without_qr = re.sub(qr, b"", _sample(), count=1, flags=re.DOTALL)
    assert b"TEMP_QR_VALUE" not in without_qr
    # when it is hashed
    # then it is still the sample's hash
    assert invoice_hash(without_qr) == SAMPLE_HASH

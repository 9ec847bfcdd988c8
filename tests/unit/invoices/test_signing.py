"""The stamp: the signature verifies with the public key, the QR carries tags 6-9, tampering shows."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from lxml import etree

from app.invoices.zatca import (
    SigningCredentials,
    ZatcaError,
    build_invoice,
    decode_qr,
    generate_private_key,
    invoice_hash,
    self_signed_certificate,
    sign_invoice,
    verify_invoice,
)
from app.invoices.zatca._xml import NS
from app.invoices.zatca.signing import is_signature_of, public_key_der
from tests.unit.invoices.factories import ISSUED_AT, LINK, credentials, simplified_invoice, standard_invoice

SAMPLE = Path(__file__).with_name("fixtures") / "sample_simplified_invoice.xml"


def _signed(document=None):
    return sign_invoice(build_invoice(document or simplified_invoice(), LINK), credentials(), signed_at=ISSUED_AT)


def test_the_signature_verifies_with_the_certificate_public_key():
    """ECDSA-SHA256 over the hash's raw bytes, checked with nothing but the public key."""
    # given a stamped simplified invoice
    signed = _signed()
    root = etree.fromstring(signed.xml)
    value = root.xpath("//ds:SignatureValue/text()", namespaces=NS)[0]
    certificate = x509.load_der_x509_certificate(
        base64.b64decode(root.xpath("//ds:X509Certificate/text()", namespaces=NS)[0])
    )
    # when the signature value is verified with the certificate's public key
    certificate.public_key().verify(  # raises InvalidSignature if it does not verify
        base64.b64decode(value), base64.b64decode(signed.invoice_hash), ec.ECDSA(hashes.SHA256())
    )
    # then it is the signature of this invoice's hash by the EGS key
    assert is_signature_of(value, signed.invoice_hash, credentials().private_key.public_key())
    assert not is_signature_of(value, invoice_hash(SAMPLE.read_bytes()), credentials().private_key.public_key())


def test_a_stamped_invoice_verifies_and_its_hash_is_the_xml_hash():
    """The digest, the signed properties, the signature and the QR all agree with the XML."""
    # given an unsigned invoice
    unsigned = build_invoice(simplified_invoice(), LINK)
    # when it is stamped
    signed = sign_invoice(unsigned, credentials(), signed_at=ISSUED_AT)
    # then it verifies, and its hash is that of both the stamped and the unsigned XML
    assert verify_invoice(signed.xml)
    assert signed.invoice_hash == invoice_hash(signed.xml) == invoice_hash(unsigned)


def test_the_simplified_qr_carries_tags_1_to_9():
    """Tags 6-9: the hash and signature as base64 text, the DER public key, the certificate's signature."""
    # given a stamped simplified invoice
    signed = _signed()
    # when its QR is decoded
    payload = decode_qr(signed.qr)
    # then every tag says what the invoice and the stamp say
    certificate = credentials().certificate
    assert (payload.seller_name, payload.vat_number) == ("شركة مهن للخدمات الرقمية", "310122393500003")
    assert payload.timestamp == "2026-03-01T09:30:15Z"
    assert (payload.total.minor, payload.vat.minor) == (2_300, 300)
    assert payload.stamp is not None
    assert payload.stamp.invoice_hash == signed.invoice_hash
    assert payload.stamp.public_key == public_key_der(credentials().private_key.public_key())
    assert len(payload.stamp.public_key) == 88 and b"\x2b\x81\x04\x00\x0a" in payload.stamp.public_key  # secp256k1
    assert payload.stamp.certificate_signature == certificate.signature
    assert len(signed.qr) <= 700  # the Security Features standard's limit
    qr_element = etree.fromstring(signed.xml).xpath(
        "cac:AdditionalDocumentReference[cbc:ID='QR']/cac:Attachment/cbc:EmbeddedDocumentBinaryObject", namespaces=NS
    )[0]
    assert qr_element.text == signed.qr


def test_a_standard_invoice_qr_has_no_tag_9():
    """Tag 9 is for simplified invoices and their notes only."""
    # given a stamped standard invoice
    # when its QR is decoded
    payload = decode_qr(_signed(standard_invoice()).qr)
    # then it is stamped without the certificate's signature
    assert payload.stamp is not None and payload.stamp.certificate_signature is None


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (b'<cbc:PayableAmount currencyID="SAR">23.00', b'<cbc:PayableAmount currencyID="SAR">2.30'),
        (b"<xades:SigningTime>2026", b"<xades:SigningTime>2027"),
        (b"<cbc:ID>MHN-2026-000001", b"<cbc:ID>MHN-2026-000009"),
    ],
)
def test_tampering_with_the_invoice_or_its_signed_properties_fails_verification(before, after):
    """A changed amount, signing time or number no longer matches the stamp."""
    # given a stamped invoice changed after stamping
    signed = _signed()
    assert before in signed.xml
    tampered = signed.xml.replace(before, after, 1)
    # when it is verified
    # then it fails
    assert not verify_invoice(tampered)


def test_a_qr_that_does_not_match_the_invoice_fails_verification():
    """The QR is outside the hash, so verification compares it with the XML and the stamp."""
    # given a stamped invoice whose QR was swapped for another invoice's
    signed = _signed()
    other = _signed(simplified_invoice(number="MHN-2026-000777", lines=simplified_invoice().lines * 2))
    tampered = signed.xml.replace(signed.qr.encode(), other.qr.encode())
    # when it is verified
    # then it fails
    assert not verify_invoice(tampered)


def test_the_reference_sample_can_be_stamped_and_keeps_its_hash():
    """The sample's empty extension and placeholder QR are the slots the stamp fills."""
    # given the reference sample invoice
    sample = SAMPLE.read_bytes()
    # when it is stamped
    signed = sign_invoice(sample, credentials(), signed_at=ISSUED_AT)
    # then it verifies and its hash is still the sample's
    assert verify_invoice(signed.xml)
    assert signed.invoice_hash == invoice_hash(sample) == "cRuFiBPGtF/Q0yflkhNrvZAP6zNTGMBmnD9eb7HYg0c="
    assert decode_qr(signed.qr).total.minor == 47_300


def test_an_invoice_is_stamped_once():
    # given a stamped invoice
    signed = _signed()
    # when it is stamped again
    # then it is refused
    with pytest.raises(ZatcaError, match="BR-KSA-60"):
        sign_invoice(signed.xml, credentials(), signed_at=ISSUED_AT)


def test_credentials_must_pair_a_secp256k1_key_with_its_own_certificate():
    """A certificate for another key, or a P-256 key, cannot stamp invoices."""
    # given a certificate issued to another key, and a key on the wrong curve
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "other")])
    other = self_signed_certificate(generate_private_key(), name, valid_from=ISSUED_AT)
    p256 = ec.generate_private_key(ec.SECP256R1())
    # when credentials are made of them
    # then they are refused
    with pytest.raises(ZatcaError, match="not the private key's"):
        SigningCredentials(credentials().private_key, other)
    with pytest.raises(ZatcaError, match="secp256k1"):
        SigningCredentials(p256, self_signed_certificate(p256, name, valid_from=ISSUED_AT))  # type: ignore[arg-type]

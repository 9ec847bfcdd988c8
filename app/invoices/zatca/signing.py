"""The cryptographic stamp: secp256k1 keys, the signature of the invoice hash, the stamped QR.

ZATCA's CSID certificates carry secp256k1 keys (OID 1.3.132.0.10, payments.md §4.2). The stamp
signs the invoice hash the way ZATCA's SDK does: ECDSA-SHA256 over the hash's 32 raw bytes, the
DER signature base64-encoded. ``sign_invoice`` then writes the XAdES block and the QR with tags
6-9 into the slots ``ubl.build_invoice`` left; tag 9, the CSID certificate's own signature, is
only for simplified invoices and their notes.

``self_signed_certificate`` is for simulation only (tests, the demo, ``SimulatedOnboarding``):
a live EGS unit signs with the certificate ZATCA issues it.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from lxml import etree

from app.core.money import Money
from app.invoices.zatca import xades
from app.invoices.zatca._xml import parse, serialize, single, text_of
from app.invoices.zatca.errors import ZatcaError, ensure
from app.invoices.zatca.hashing import hash_of
from app.invoices.zatca.tlv import QrPayload, QrStamp, decode_qr, encode_qr

_QR = "cac:AdditionalDocumentReference[cbc:ID='QR']/cac:Attachment/cbc:EmbeddedDocumentBinaryObject"
_SELLER = "cac:AccountingSupplierParty/cac:Party/"
_SIGNATURE_ALGORITHM = ec.ECDSA(hashes.SHA256())


@dataclass(frozen=True)
class SigningCredentials:
    """An EGS unit's private key and the certificate (CSID) that vouches for it."""

    private_key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    def __post_init__(self) -> None:
        ensure(isinstance(self.private_key.curve, ec.SECP256K1), "Security 2.2.2", "stamp keys are on secp256k1")
        ensure(
            public_key_der(certificate_key(self.certificate)) == public_key_der(self.private_key.public_key()),
            "Security 2.2.2",
            "the certificate is not the private key's",
        )


@dataclass(frozen=True)
class SignedInvoice:
    """A stamped invoice: its XML, its hash (the next document's PIH) and its QR text."""

    xml: bytes
    invoice_hash: str
    qr: str


def generate_private_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256K1())


def public_key_der(key: ec.EllipticCurvePublicKey) -> bytes:
    """The DER SubjectPublicKeyInfo, as QR tag 8 carries it."""
    return key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)


def certificate_key(certificate: x509.Certificate) -> ec.EllipticCurvePublicKey:
    """The certificate's public key, which for a CSID is an elliptic-curve one."""
    key = certificate.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise ZatcaError("Security 2.2.1", "a stamp certificate holds an ECDSA key")
    return key


def self_signed_certificate(
    private_key: ec.EllipticCurvePrivateKey, subject: x509.Name, *, valid_from: datetime, days: int = 365
) -> x509.Certificate:
    """A certificate ``private_key`` issues to itself, for simulation and tests."""
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid_from)
        .not_valid_after(valid_from + timedelta(days=days))
        .sign(private_key, hashes.SHA256())
    )


def sign_hash(invoice_hash: str, private_key: ec.EllipticCurvePrivateKey) -> str:
    """The stamp's signature value: base64 DER ECDSA-SHA256 of the hash's raw bytes."""
    signature = private_key.sign(base64.b64decode(invoice_hash), _SIGNATURE_ALGORITHM)
    return base64.b64encode(signature).decode("ascii")


def is_signature_of(signature: str, invoice_hash: str, public_key: ec.EllipticCurvePublicKey) -> bool:
    """True when ``signature`` is the stamp of ``invoice_hash`` by the key behind ``public_key``."""
    try:
        public_key.verify(base64.b64decode(signature), base64.b64decode(invoice_hash), _SIGNATURE_ALGORITHM)
    except InvalidSignature:
        return False
    return True


def sign_invoice(xml: bytes, credentials: SigningCredentials, *, signed_at: datetime) -> SignedInvoice:
    """Stamp an unsigned invoice (as ``ubl.build_invoice`` makes it) and write its QR.

    Raises:
        ZatcaError: ``BR-KSA-60`` when the invoice is stamped already.
    """
    ensure(signed_at.utcoffset() is not None, "Security 2.2.1", "the signing time is an aware datetime")
    root = parse(xml)
    extensions = single(root, "ext:UBLExtensions")
    ensure(len(extensions) == 0, "BR-KSA-60", "the invoice is stamped already")
    invoice_hash = hash_of(root)  # the slots are outside the hash: filling them leaves it as is
    signature = sign_hash(invoice_hash, credentials.private_key)
    xades.add_signature_block(extensions, credentials.certificate, signed_at)
    xades.complete(root, invoice_hash=invoice_hash, signature_value=signature)
    qr = encode_qr(_qr_payload(root, _stamp(root, invoice_hash, signature, credentials.certificate)))
    single(root, _QR).text = qr
    return SignedInvoice(serialize(root), invoice_hash, qr)


def verify_invoice(xml: bytes) -> bool:
    """True when the stamp and the QR match the invoice and its certificate's key.

    Raises:
        ZatcaError: when ``xml`` has no stamp or no QR to check.
    """
    root = parse(xml)
    parts = xades.read_signature(root)
    invoice_hash = hash_of(root)
    public_key = certificate_key(parts.certificate)
    expected_qr = _qr_payload(root, _stamp(root, invoice_hash, parts.signature_value, parts.certificate))
    return (
        parts.invoice_digest == invoice_hash
        and parts.properties_digest == xades.properties_digest(root)
        and is_signature_of(parts.signature_value, invoice_hash, public_key)
        and decode_qr(text_of(root, _QR)) == expected_qr
    )


def _stamp(root: etree._Element, invoice_hash: str, signature: str, certificate: x509.Certificate) -> QrStamp:
    simplified = single(root, "cbc:InvoiceTypeCode").get("name", "").startswith("02")
    return QrStamp(
        invoice_hash=invoice_hash,
        signature=signature,
        public_key=public_key_der(certificate_key(certificate)),
        certificate_signature=certificate.signature if simplified else None,
    )


def _qr_payload(root: etree._Element, stamp: QrStamp) -> QrPayload:
    """Tags 1-5 read from the invoice itself, so the QR always says what the XML says."""
    return QrPayload(
        seller_name=text_of(root, _SELLER + "cac:PartyLegalEntity/cbc:RegistrationName"),
        vat_number=text_of(root, _SELLER + "cac:PartyTaxScheme/cbc:CompanyID"),
        timestamp=f"{text_of(root, 'cbc:IssueDate')}T{text_of(root, 'cbc:IssueTime')}",
        total=Money.parse(text_of(root, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount")),
        vat=Money.parse(text_of(root, "cac:TaxTotal[not(cac:TaxSubtotal)]/cbc:TaxAmount")),
        stamp=stamp,
    )

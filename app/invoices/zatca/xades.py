"""The XAdES-B-B enveloped signature block that goes into ``ext:UBLExtensions``.

Its shape is the one in ZATCA's SDK samples (the Implementation Standard's §16 only points to
the Security Features standard, whose §2.3.3 lists the elements): one ``ds:Signature`` with a
reference to the invoice (the hash transforms, then its hash as digest) and one to the signed
properties (signing time and the certificate's digest, issuer and serial).

Two conventions come from the SDK and its reference implementations rather than from XMLDSig,
and are kept so ZATCA's validator finds what it expects: the certificate digest and the signed
properties digest are base64 of the *hex text* of a SHA-256 (the certificate's one taken over
its base64 text), and the second reference's ``Type`` is XMLDSig's ``SignatureProperties``
(the standard's text names ETSI's ``SignedProperties``). Whether the validator also insists on
the SDK's byte-for-byte whitespace inside the signed properties could not be checked here:
the digest below is over their canonical form, as XMLDSig defines it.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from app.invoices.zatca._xml import INDENT, element, single, text_of

C14N11 = "http://www.w3.org/2006/12/xml-c14n11"
ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
XPATH_FILTER = "http://www.w3.org/TR/1999/REC-xpath-19991116"
PROPERTIES_TYPE = "http://www.w3.org/2000/09/xmldsig#SignatureProperties"
HASH_TRANSFORMS = (
    "not(//ancestor-or-self::ext:UBLExtensions)",
    "not(//ancestor-or-self::cac:Signature)",
    "not(//ancestor-or-self::cac:AdditionalDocumentReference[cbc:ID='QR'])",
)

_SIGNATURE = (
    "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/sig:UBLDocumentSignatures"
    "/sac:SignatureInformation/ds:Signature"
)
_INVOICE_DIGEST = _SIGNATURE + "/ds:SignedInfo/ds:Reference[@Id='invoiceSignedData']/ds:DigestValue"
_PROPERTIES_DIGEST = _SIGNATURE + "/ds:SignedInfo/ds:Reference[@URI='#xadesSignedProperties']/ds:DigestValue"
_PROPERTIES = _SIGNATURE + "/ds:Object/xades:QualifyingProperties/xades:SignedProperties"
_SIGNATURE_VALUE = _SIGNATURE + "/ds:SignatureValue"
_CERTIFICATE = _SIGNATURE + "/ds:KeyInfo/ds:X509Data/ds:X509Certificate"


@dataclass(frozen=True)
class SignatureParts:
    """What a stamped invoice's signature block says, for verification."""

    invoice_digest: str
    properties_digest: str
    signature_value: str
    certificate: x509.Certificate


def add_signature_block(extensions: etree._Element, certificate: x509.Certificate, signed_at: datetime) -> None:
    """Fill the empty ``ext:UBLExtensions``; the two digests and the value come with ``complete``."""
    extension = element(extensions, "ext:UBLExtension")
    element(extension, "ext:ExtensionURI", "urn:oasis:names:specification:ubl:dsig:enveloped:xades")
    content = element(extension, "ext:ExtensionContent")
    signatures = element(content, "sig:UBLDocumentSignatures", declare=("sac", "sbc"))
    information = element(signatures, "sac:SignatureInformation")
    element(information, "cbc:ID", "urn:oasis:names:specification:ubl:signature:1")
    element(information, "sbc:ReferencedSignatureID", "urn:oasis:names:specification:ubl:signature:Invoice")
    signature = element(information, "ds:Signature", Id="signature")
    _signed_info(element(signature, "ds:SignedInfo"))
    element(signature, "ds:SignatureValue")
    element(
        element(element(signature, "ds:KeyInfo"), "ds:X509Data"), "ds:X509Certificate", _certificate_text(certificate)
    )
    _qualifying_properties(element(signature, "ds:Object"), certificate, signed_at)
    etree.indent(extensions, space=INDENT, level=1)


def complete(root: etree._Element, *, invoice_hash: str, signature_value: str) -> None:
    """Write the invoice digest, the signed properties' digest and the signature value."""
    single(root, _INVOICE_DIGEST).text = invoice_hash
    single(root, _PROPERTIES_DIGEST).text = properties_digest(root)
    single(root, _SIGNATURE_VALUE).text = signature_value


def properties_digest(root: etree._Element) -> str:
    """The digest of the signed properties as they stand in ``root``."""
    canonical = etree.tostring(single(root, _PROPERTIES), method="c14n", exclusive=False, with_comments=False)
    return _hex_digest_base64(canonical)


def read_signature(root: etree._Element) -> SignatureParts:
    """The values of a stamped invoice's signature block, to check them against the invoice."""
    return SignatureParts(
        invoice_digest=text_of(root, _INVOICE_DIGEST),
        properties_digest=text_of(root, _PROPERTIES_DIGEST),
        signature_value=text_of(root, _SIGNATURE_VALUE),
        certificate=x509.load_der_x509_certificate(base64.b64decode(text_of(root, _CERTIFICATE))),
    )


def _signed_info(info: etree._Element) -> None:
    element(info, "ds:CanonicalizationMethod", Algorithm=C14N11)
    element(info, "ds:SignatureMethod", Algorithm=ECDSA_SHA256)
    invoice = element(info, "ds:Reference", Id="invoiceSignedData", URI="")
    transforms = element(invoice, "ds:Transforms")
    for xpath in HASH_TRANSFORMS:
        element(element(transforms, "ds:Transform", Algorithm=XPATH_FILTER), "ds:XPath", xpath)
    element(transforms, "ds:Transform", Algorithm=C14N11)
    _digest(invoice, None)
    _digest(element(info, "ds:Reference", Type=PROPERTIES_TYPE, URI="#xadesSignedProperties"), None)


def _qualifying_properties(parent: etree._Element, certificate: x509.Certificate, signed_at: datetime) -> None:
    qualifying = element(parent, "xades:QualifyingProperties", Target="signature")
    properties = element(
        element(qualifying, "xades:SignedProperties", Id="xadesSignedProperties"), "xades:SignedSignatureProperties"
    )
    element(properties, "xades:SigningTime", signed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    cert = element(element(properties, "xades:SigningCertificate"), "xades:Cert")
    _digest(element(cert, "xades:CertDigest"), _hex_digest_base64(_certificate_text(certificate).encode("ascii")))
    issuer_serial = element(cert, "xades:IssuerSerial")
    element(
        issuer_serial, "ds:X509IssuerName", ", ".join(rdn.rfc4514_string() for rdn in reversed(certificate.issuer.rdns))
    )
    element(issuer_serial, "ds:X509SerialNumber", str(certificate.serial_number))


def _digest(parent: etree._Element, value: str | None) -> None:
    element(parent, "ds:DigestMethod", Algorithm=SHA256)
    element(parent, "ds:DigestValue", value)


def _certificate_text(certificate: x509.Certificate) -> str:
    """The certificate as ``ds:X509Certificate`` holds it: base64 DER, no PEM armour."""
    return base64.b64encode(certificate.public_bytes(Encoding.DER)).decode("ascii")


def _hex_digest_base64(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).hexdigest().encode("ascii")).decode("ascii")

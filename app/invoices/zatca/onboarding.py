"""Onboarding an EGS unit: its CSR, then the compliance and production CSIDs ZATCA issues for it.

The CSR carries the fields of the Security Features standard's table 1 (§2.2.2) in the form
ZATCA's SDK writes them and the portal accepts: the subject names the unit (CN), the branch (OU;
for a VAT group member, its 10-digit TIN), the taxpayer (O) and the country (C); a directory
name in the subject alternative name holds the EGS serial ``1-…|2-…|3-…`` (SN), the VAT number
(UID), the invoice types it issues (title, "TSCZ" as four 0/1 digits), its location
(registeredAddress) and industry (businessCategory); the certificate template extension names
the environment. It is signed with the unit's key as proof of possession.

Live onboarding is three calls to Fatoora (the OTP and CSR for a compliance CSID, compliance
invoices, then the production CSID); it comes when the platform goes live, behind the same
``Onboarding`` protocol. Here there is only ``SimulatedOnboarding``, which never touches the
network.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID, ObjectIdentifier

from app.core import clock
from app.invoices.zatca.errors import ZatcaError, ensure
from app.invoices.zatca.parties import is_vat_number
from app.invoices.zatca.signing import generate_private_key, self_signed_certificate

TEMPLATE_NAME_OID = ObjectIdentifier("1.3.6.1.4.1.311.20.2")  # Microsoft certificate template name
REGISTERED_ADDRESS_OID = ObjectIdentifier("2.5.4.26")
CERTIFICATE_YEARS = 5  # the longest validity the standard's certificate profile allows
_RULE = "Security 2.2.2"


class Environment(StrEnum):
    """Fatoora's environments, valued by the certificate template a CSR must name for each."""

    SANDBOX = "TSTZATCA-Code-Signing"  # the developer portal
    SIMULATION = "PREZATCA-Code-Signing"
    PRODUCTION = "ZATCA-Code-Signing"


@dataclass(frozen=True)
class EgsUnit:
    """What a CSR says about one e-invoice generation solution unit."""

    common_name: str  # a unique name or asset tracking number of the unit
    serial_number: str  # "1-<solution provider>|2-<model or version>|3-<serial>"
    vat_number: str
    branch: str
    organization: str
    location: str  # the branch's short national address, or the website
    industry: str
    invoice_types: str = "1100"  # T(ax), S(implified) and two flags kept for future use
    country: str = "SA"

    def __post_init__(self) -> None:
        for name in ("common_name", "branch", "organization", "location", "industry"):
            ensure(bool(getattr(self, name).strip()), _RULE, f"the CSR's {name} is empty")
        ensure(
            re.fullmatch(r"1-[^|]+\|2-[^|]+\|3-[^|]+", self.serial_number) is not None,
            _RULE,
            "the EGS serial is 1-…|2-…|3-…",
        )
        ensure(is_vat_number(self.vat_number), "BR-KSA-40", f"not a KSA VAT number: {self.vat_number!r}")
        ensure(
            re.fullmatch(r"[01]{4}", self.invoice_types) is not None and "1" in self.invoice_types[:2],
            _RULE,
            "invoice types are TSCZ flags",
        )
        ensure(re.fullmatch(r"[A-Z]{2}", self.country) is not None, _RULE, "the country is an ISO 3166 code")
        if self.vat_number[10] == "1":  # a VAT group: the branch is the member's 10-digit TIN
            ensure(re.fullmatch(r"[0-9]{10}", self.branch) is not None, _RULE, "a VAT group member's branch is its TIN")


@dataclass(frozen=True)
class Csid:
    """A cryptographic stamp identifier: the certificate, its API secret and ZATCA's request id."""

    certificate: x509.Certificate
    secret: str = field(repr=False)
    request_id: str


class Onboarding(Protocol):
    """How an EGS unit gets its CSIDs; the live implementation calls Fatoora's API."""

    def request_compliance_csid(self, csr: bytes, *, otp: str) -> Csid:
        """Exchange the PEM ``csr`` and the taxpayer's one-time password for a compliance CSID."""
        ...

    def request_production_csid(self, compliance: Csid) -> Csid:
        """Exchange a compliance CSID, its checks passed, for the production one."""
        ...


def build_csr(unit: EgsUnit, private_key: ec.EllipticCurvePrivateKey, environment: Environment) -> bytes:
    """The PEM CSR of ``unit``, signed by its key."""
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, unit.country),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit.branch),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, unit.organization),
            x509.NameAttribute(NameOID.COMMON_NAME, unit.common_name),
        ]
    )
    details = x509.Name(
        [
            x509.NameAttribute(NameOID.SURNAME, unit.serial_number),
            x509.NameAttribute(NameOID.USER_ID, unit.vat_number),
            x509.NameAttribute(NameOID.TITLE, unit.invoice_types),
            x509.NameAttribute(REGISTERED_ADDRESS_OID, unit.location),
            x509.NameAttribute(NameOID.BUSINESS_CATEGORY, unit.industry),
        ]
    )
    request = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(subject)
        .add_extension(x509.UnrecognizedExtension(TEMPLATE_NAME_OID, _der_utf8(environment.value)), critical=False)
        .add_extension(x509.SubjectAlternativeName([x509.DirectoryName(details)]), critical=False)
        .sign(private_key, hashes.SHA256())
    )
    return request.public_bytes(Encoding.PEM)


class SimulatedOnboarding:
    """Fatoora's onboarding played locally: a self-signed CA checks CSRs and issues CSIDs."""

    def __init__(self, environment: Environment = Environment.SIMULATION) -> None:
        self.environment = environment
        self._ca_key = generate_private_key()
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Mihan simulated ZATCA CA")])
        self.ca_certificate = self_signed_certificate(self._ca_key, name, valid_from=clock.now(), days=3650)
        self._requests: dict[str, x509.CertificateSigningRequest] = {}

    def request_compliance_csid(self, csr: bytes, *, otp: str) -> Csid:
        """Check the CSR as the portal would, and issue the unit's compliance CSID."""
        ensure(re.fullmatch(r"[0-9]{6}", otp) is not None, "Security 2.1.1", "the OTP is 6 digits")
        request = x509.load_pem_x509_csr(csr)
        self._ensure_acceptable(request)
        compliance = self._issue(request)
        self._requests[compliance.request_id] = request
        return compliance

    def request_production_csid(self, compliance: Csid) -> Csid:
        """Issue the production CSID for a compliance CSID this simulator issued."""
        request = self._requests.get(compliance.request_id)
        if request is None:
            raise ZatcaError("Security 2.1.1", "unknown compliance request")
        return self._issue(request)

    def _ensure_acceptable(self, request: x509.CertificateSigningRequest) -> None:
        ensure(request.is_signature_valid, _RULE, "the CSR is not signed by its key")
        key = request.public_key()
        ensure(
            isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256K1),
            _RULE,
            "the key is not secp256k1",
        )
        template = _extension(request, TEMPLATE_NAME_OID)
        expected = _der_utf8(self.environment.value)
        ensure(
            isinstance(template, x509.UnrecognizedExtension) and template.value == expected,
            _RULE,
            f"the CSR is not for {self.environment.value}",
        )
        ensure(is_vat_number(_vat_number(request)), "BR-KSA-40", "the CSR's UID is not a VAT number")

    def _issue(self, request: x509.CertificateSigningRequest) -> Csid:
        now = clock.now()
        certificate = (
            x509.CertificateBuilder()
            .subject_name(request.subject)
            .issuer_name(self.ca_certificate.subject)
            .public_key(request.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + timedelta(days=365 * CERTIFICATE_YEARS))
            .add_extension(_extension(request, x509.SubjectAlternativeName.oid), critical=False)
            .sign(self._ca_key, hashes.SHA256())
        )
        return Csid(certificate, secrets.token_urlsafe(32), request_id=str(secrets.randbelow(10**12)))


def _extension(request: x509.CertificateSigningRequest, oid: ObjectIdentifier) -> x509.ExtensionType:
    try:
        return request.extensions.get_extension_for_oid(oid).value
    except x509.ExtensionNotFound:
        raise ZatcaError(_RULE, f"the CSR lacks the extension {oid.dotted_string}") from None


def _vat_number(request: x509.CertificateSigningRequest) -> str:
    """The UID of the CSR's directory name: the taxpayer's VAT number."""
    names = _extension(request, x509.SubjectAlternativeName.oid)
    assert isinstance(names, x509.SubjectAlternativeName)
    uids = [
        attribute.value
        for name in names.get_values_for_type(x509.DirectoryName)
        for attribute in name.get_attributes_for_oid(NameOID.USER_ID)
    ]
    return str(uids[0]) if len(uids) == 1 else ""


def _der_utf8(text: str) -> bytes:
    """``text`` DER-encoded as a UTF8String; template names are short, so one length byte."""
    value = text.encode("utf-8")
    return bytes([0x0C, len(value)]) + value

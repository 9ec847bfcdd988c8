"""Onboarding: the ZATCA-shaped CSR, and CSIDs from the local simulation (no network)."""

from __future__ import annotations

import dataclasses

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.invoices.zatca import (
    EgsUnit,
    Environment,
    Onboarding,
    SigningCredentials,
    SimulatedOnboarding,
    ZatcaError,
    build_csr,
    build_invoice,
    generate_private_key,
    sign_invoice,
    verify_invoice,
)
from app.invoices.zatca.onboarding import REGISTERED_ADDRESS_OID, TEMPLATE_NAME_OID
from tests.unit.invoices.factories import ISSUED_AT, LINK, refusal, simplified_invoice

UNIT = EgsUnit(
    common_name="MIHAN-EGS-1",
    serial_number="1-Mihan|2-1.0|3-6f1c2a9e-1b7d-4c57-9d0e-5a8f3b2c1d4e",
    vat_number="310122393500003",
    branch="Riyadh main branch",
    organization="Mihan Digital Services",
    location="RRRD2929",
    industry="Online marketplace",
)


def _csr(environment: Environment = Environment.SIMULATION, key: ec.EllipticCurvePrivateKey | None = None) -> bytes:
    return build_csr(UNIT, key or generate_private_key(), environment)


def test_the_csr_carries_the_fields_of_the_security_standard():
    """Subject C/OU/O/CN; SAN dirName SN, UID, title, registeredAddress, businessCategory; the template."""
    # given an EGS unit and its key
    # when its CSR is built for the simulation environment
    request = x509.load_pem_x509_csr(_csr())
    # then it holds every field, signed by the unit's own key on secp256k1
    subject = {attribute.oid: attribute.value for attribute in request.subject}
    assert subject == {
        NameOID.COUNTRY_NAME: "SA",
        NameOID.ORGANIZATIONAL_UNIT_NAME: "Riyadh main branch",
        NameOID.ORGANIZATION_NAME: "Mihan Digital Services",
        NameOID.COMMON_NAME: "MIHAN-EGS-1",
    }
    (details,) = request.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
        x509.DirectoryName
    )
    assert {attribute.oid: attribute.value for attribute in details} == {
        NameOID.SURNAME: "1-Mihan|2-1.0|3-6f1c2a9e-1b7d-4c57-9d0e-5a8f3b2c1d4e",
        NameOID.USER_ID: "310122393500003",
        NameOID.TITLE: "1100",
        REGISTERED_ADDRESS_OID: "RRRD2929",
        NameOID.BUSINESS_CATEGORY: "Online marketplace",
    }
    template = request.extensions.get_extension_for_oid(TEMPLATE_NAME_OID).value
    assert template.value == b"\x0c\x15PREZATCA-Code-Signing"
    assert request.is_signature_valid
    assert isinstance(request.public_key().curve, ec.SECP256K1)


def test_the_simulation_issues_compliance_then_production_csids_that_stamp_invoices():
    """The whole onboarding, offline: CSR and OTP, compliance CSID, production CSID, a stamped invoice."""
    # given a unit's key and the simulated Fatoora
    key = generate_private_key()
    simulator = SimulatedOnboarding()
    onboarding: Onboarding = simulator  # what the invoicing service will hold
    # when the unit is onboarded
    compliance = onboarding.request_compliance_csid(_csr(key=key), otp="123456")
    production = onboarding.request_production_csid(compliance)
    # then both certificates are the unit's, issued by the simulated CA, and the production one stamps
    for csid in (compliance, production):
        csid.certificate.verify_directly_issued_by(simulator.ca_certificate)
        assert csid.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "MIHAN-EGS-1"
        assert csid.secret and csid.secret not in repr(csid)
    assert production.request_id != compliance.request_id
    stamp = SigningCredentials(key, production.certificate)
    signed = sign_invoice(build_invoice(simplified_invoice(), LINK), stamp, signed_at=ISSUED_AT)
    assert verify_invoice(signed.xml)


@pytest.mark.parametrize("otp", ["12345", "1234567", "abcdef", ""])
def test_a_malformed_otp_is_refused(otp):
    # given an OTP that is not six digits
    # when a compliance CSID is requested with it
    # then it is refused
    with pytest.raises(ZatcaError, match="OTP"):
        SimulatedOnboarding().request_compliance_csid(_csr(), otp=otp)


def test_a_csr_for_another_environment_is_refused():
    """A sandbox CSR cannot onboard a unit on production, and the other way round."""
    # given a CSR naming the sandbox's certificate template
    # when the production onboarding sees it
    # then it is refused
    with pytest.raises(ZatcaError, match="ZATCA-Code-Signing"):
        SimulatedOnboarding(Environment.PRODUCTION).request_compliance_csid(_csr(Environment.SANDBOX), otp="123456")


def test_a_production_csid_needs_a_compliance_csid_from_the_same_place():
    # given a compliance CSID from another simulator
    foreign = SimulatedOnboarding().request_compliance_csid(_csr(), otp="123456")
    # when a production CSID is requested with it
    # then it is refused
    with pytest.raises(ZatcaError, match="unknown compliance request"):
        SimulatedOnboarding().request_production_csid(foreign)


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"serial_number": "Mihan-1.0-123"}, "Security 2.2.2"),
        ({"vat_number": "310122393500004"}, "BR-KSA-40"),
        ({"invoice_types": "0011"}, "Security 2.2.2"),
        ({"invoice_types": "11"}, "Security 2.2.2"),
        ({"common_name": " "}, "Security 2.2.2"),
        ({"vat_number": "310122393510003", "branch": "Riyadh"}, "Security 2.2.2"),  # a VAT group: OU is a TIN
    ],
)
def test_egs_unit_details_follow_the_csr_table(changes, rule):
    """The serial's 1-…|2-…|3-… form, a VAT number, TSCZ flags, a group member's 10-digit TIN."""
    # given unit details that break the table's formats
    # when the unit is described
    # then the rule is named
    assert refusal(lambda: dataclasses.replace(UNIT, **changes)) == rule

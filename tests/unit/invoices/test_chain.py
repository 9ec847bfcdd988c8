"""The ICV/PIH chain: each document carries the next counter and the previous document's hash."""

from __future__ import annotations

import pytest

from app.invoices.zatca import (
    FIRST_PREVIOUS_HASH,
    ChainLink,
    build_invoice,
    first_link,
    invoice_hash,
    next_link,
    sign_invoice,
)
from app.invoices.zatca._xml import parse, text_of
from tests.unit.invoices.factories import (
    ISSUED_AT,
    credentials,
    credit_note,
    refusal,
    simplified_invoice,
    standard_invoice,
)


def test_the_first_document_starts_the_chain():
    # given a unit that has issued nothing
    # when its first link is taken
    link = first_link()
    # then it is counter 1 with ZATCA's seed hash
    assert (link.counter, link.previous_hash) == (1, FIRST_PREVIOUS_HASH)


def test_three_documents_chain_each_to_the_one_before():
    """Invoices and credit notes share one chain: ICV 1, 2, 3, each PIH the previous hash."""
    # given three documents of one EGS unit, issued in turn
    documents = [
        simplified_invoice(),
        standard_invoice(number="MHN-2026-000002"),
        credit_note(number="MHN-2026-000003"),
    ]
    link, issued = first_link(), []
    # when each is built at the next link and stamped
    for document in documents:
        signed = sign_invoice(build_invoice(document, link), credentials(), signed_at=ISSUED_AT)
        issued.append(signed)
        link = next_link(link.counter, signed.invoice_hash)
    # then the XML carries the counters and the previous hashes in order
    roots = [parse(signed.xml) for signed in issued]
    counters = [text_of(root, "cac:AdditionalDocumentReference[cbc:ID='ICV']/cbc:UUID") for root in roots]
    pih = "cac:AdditionalDocumentReference[cbc:ID='PIH']/cac:Attachment/cbc:EmbeddedDocumentBinaryObject"
    previous = [text_of(root, pih) for root in roots]
    assert counters == ["1", "2", "3"]
    assert previous == [FIRST_PREVIOUS_HASH, invoice_hash(issued[0].xml), invoice_hash(issued[1].xml)]
    assert link.counter == 4 and link.previous_hash == issued[2].invoice_hash


@pytest.mark.parametrize(
    ("counter", "previous_hash", "rule"),
    [
        (0, FIRST_PREVIOUS_HASH, "BR-KSA-34"),
        (-1, FIRST_PREVIOUS_HASH, "BR-KSA-34"),
        (True, FIRST_PREVIOUS_HASH, "BR-KSA-34"),
        (2, "not a hash", "BR-KSA-26"),
        (2, "YWJj", "BR-KSA-26"),  # base64, but of 3 bytes
    ],
)
def test_a_link_that_cannot_be_in_a_chain_is_refused(counter, previous_hash, rule):
    """Counters start at 1 and are whole numbers; a previous hash is a base64 SHA-256."""
    # given a counter or hash no chain can hold
    # when a link is made of it
    # then the rule is named
    assert refusal(lambda: ChainLink(counter, previous_hash)) == rule

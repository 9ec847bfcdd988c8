"""The invoice hash: what the stamp signs and what the next invoice carries as its PIH.

BR-KSA-26 and the Security Features standard (§2.3.3, §3) define it as the signature's XPath
transforms spell it: drop ``ext:UBLExtensions``, ``cac:Signature`` and the QR's
``cac:AdditionalDocumentReference``, canonicalise with C14N 1.1, SHA-256, base64 of the 32-byte
digest. Only the elements go: the whitespace around them stays, as the XPath filter keeps text
nodes.

lxml exposes C14N 1.0, not 1.1. The two differ only in how ``xml:id``, ``xml:base`` and
``xml:lang`` of an omitted ancestor are carried onto a node that is kept. The transforms drop
whole subtrees (``ancestor-or-self``), so no kept node ever has an omitted ancestor, and both
give the same bytes.
"""

from __future__ import annotations

import base64
import copy
import hashlib

from lxml import etree

from app.invoices.zatca._xml import parse, remove_keeping_tail, select

# base64 of the *hex text* of SHA-256("0"), as ZATCA publishes it (BR-KSA-26), not of the digest
FIRST_PREVIOUS_HASH = "NWZlY2ViNjZmZmM4NmYzOGQ5NTI3ODZjNmQ2OTZjNzljMmRiYzIzOWRkNGU5MWI0NjcyOWQ3M2EyN2ZiNTdlOQ=="

_EXCLUDED = "ext:UBLExtensions | cac:Signature | cac:AdditionalDocumentReference[cbc:ID='QR']"


def invoice_hash(xml: bytes) -> str:
    """The base64 SHA-256 of ``xml`` as the standard defines the invoice hash."""
    return hash_of(parse(xml))


def hash_of(root: etree._Element) -> str:
    """The invoice hash of a parsed invoice; ``root`` itself is left untouched."""
    digest = hashlib.sha256(canonical_form(root)).digest()
    return base64.b64encode(digest).decode("ascii")


def canonical_form(root: etree._Element) -> bytes:
    """The bytes that are hashed: the invoice without its stamp and QR, canonicalised."""
    pruned = copy.deepcopy(root)
    for node in select(pruned, _EXCLUDED):
        remove_keeping_tail(node)
    return etree.tostring(pruned, method="c14n", exclusive=False, with_comments=False)

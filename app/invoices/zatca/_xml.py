"""The XML plumbing the builder, the hash and the stamp share: namespaces, elements, parsing.

Elements are named ``prefix:Name`` with the prefixes UBL and XAdES use everywhere, so code reads
like the standard's samples. Parsing never resolves entities nor touches the network: signed
invoices may come back from outside (a stored file, ZATCA's cleared copy).
"""

from __future__ import annotations

from lxml import etree

from app.invoices.zatca.errors import ZatcaError

NS = {
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    "sig": "urn:oasis:names:specification:ubl:schema:xsd:CommonSignatureComponents-2",
    "sac": "urn:oasis:names:specification:ubl:schema:xsd:SignatureAggregateComponents-2",
    "sbc": "urn:oasis:names:specification:ubl:schema:xsd:SignatureBasicComponents-2",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
    "xades": "http://uri.etsi.org/01903/v1.3.2#",
}
INDENT = "    "

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def qname(tag: str) -> str:
    """``cbc:ID`` in Clark notation (``{urn:…}ID``), which lxml wants."""
    prefix, local = tag.split(":")
    return f"{{{NS[prefix]}}}{local}"


def element(
    parent: etree._Element,
    tag: str,
    text: str | None = None,
    *,
    declare: tuple[str, ...] = (),
    **attributes: str,
) -> etree._Element:
    """Append ``tag`` to ``parent``, declaring its prefix (and ``declare``) where not in scope."""
    prefixes = (tag.split(":")[0], *declare)
    nsmap = {p: NS[p] for p in prefixes if parent.nsmap.get(p) != NS[p]}
    child = etree.SubElement(parent, qname(tag), attributes, nsmap=nsmap or None)
    if text is not None:
        child.text = text
    return child


def parse(xml: bytes) -> etree._Element:
    """The root of ``xml``, whitespace kept (it is part of what the invoice hash covers)."""
    try:
        return etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as error:
        raise ZatcaError("XML §4", f"not well-formed XML: {error}") from None


def serialize(root: etree._Element) -> bytes:
    """The document with the declaration the standard's samples use."""
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8")


def select(root: etree._Element, path: str) -> list[etree._Element]:
    """The elements at ``path`` (an XPath with the prefixes of ``NS``), in document order."""
    found = root.xpath(path, namespaces=NS)
    return [node for node in found if isinstance(node, etree._Element)] if isinstance(found, list) else []


def single(root: etree._Element, path: str) -> etree._Element:
    """The one element at ``path``; a missing or repeated one means the document is not ours."""
    found = select(root, path)
    if len(found) != 1:
        raise ZatcaError("XML §4", f"expected one {path}, found {len(found)}")
    return found[0]


def text_of(root: etree._Element, path: str) -> str:
    """The text of the one element at ``path``, which must have some."""
    text = single(root, path).text
    if not text or not text.strip():
        raise ZatcaError("BR-KSA-F-03", f"{path} is empty")
    return text


def remove_keeping_tail(node: etree._Element) -> None:
    """Remove ``node`` but keep the text after it, as the standard's XPath transforms do.

    The hash transforms drop element nodes, never the whitespace between them; lxml's
    ``remove`` would drop the tail with the element.
    """
    parent = node.getparent()
    assert parent is not None, "only elements inside the invoice are removed"
    previous = node.getprevious()
    if node.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)

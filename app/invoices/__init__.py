"""Invoicing: tax invoices and credit notes; ``zatca`` holds the e-invoicing machinery.

``issue`` issues documents inside the order services' transactions; ``queries`` reads them;
``sheet`` and ``render`` make the printable HTML and the PDF; ``report`` sums output VAT.
"""

from app.invoices.errors import InvoiceError
from app.invoices.issue import (
    creditable_net,
    issue_credit_note,
    issue_for_completion,
    issue_for_payment,
    issue_for_refund,
    issue_for_tip,
)
from app.invoices.queries import (
    InvoiceFilter,
    InvoiceRow,
    count_documents,
    get_invoice,
    invoice_as_dict,
    list_invoices,
    list_page,
    open_for,
    order_documents,
    parse_day,
)
from app.invoices.render import FORMATS, ExportedDocument, export_document
from app.invoices.report import VatLine, VatReport, vat_csv, vat_report

__all__ = [
    "FORMATS",
    "ExportedDocument",
    "InvoiceError",
    "InvoiceFilter",
    "InvoiceRow",
    "VatLine",
    "VatReport",
    "count_documents",
    "creditable_net",
    "export_document",
    "get_invoice",
    "invoice_as_dict",
    "issue_credit_note",
    "issue_for_completion",
    "issue_for_payment",
    "issue_for_refund",
    "issue_for_tip",
    "list_invoices",
    "list_page",
    "open_for",
    "order_documents",
    "parse_day",
    "vat_csv",
    "vat_report",
]

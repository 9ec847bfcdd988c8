"""Invoicing: tax invoices and credit notes; ``zatca`` holds the e-invoicing machinery.

``issue`` issues documents inside the order services' transactions; ``queries`` reads them.
"""

from app.invoices.errors import InvoiceError
from app.invoices.issue import (
    creditable_net,
    issue_credit_note,
    issue_for_completion,
    issue_for_payment,
    issue_for_refund,
)
from app.invoices.queries import InvoiceRow, get_invoice, invoice_as_dict, list_invoices

__all__ = [
    "InvoiceError",
    "InvoiceRow",
    "creditable_net",
    "get_invoice",
    "invoice_as_dict",
    "issue_credit_note",
    "issue_for_completion",
    "issue_for_payment",
    "issue_for_refund",
    "list_invoices",
]

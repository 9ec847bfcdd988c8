"""Invoicing: tax invoices and credit notes; ``zatca`` holds the e-invoicing machinery."""

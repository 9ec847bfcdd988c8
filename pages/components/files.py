"""Links to private files (order deliveries, message attachments)."""

from __future__ import annotations

from typing import Any

import reflex as rx


def file_link(item: Any) -> rx.Component:
    """A download link to an order's private file (one parameter: ``rx.foreach`` passes it)."""
    return private_file_link(item, "order-file")


def private_file_link(item: Any, class_name: str) -> rx.Component:
    """A download link to a private file (``item``: name, size, href): a document request the
    server answers (with ``Content-Disposition: attachment``), never the app's client-side router."""
    return rx.link(
        rx.hstack(
            rx.icon("download", size=14, aria_hidden="true"),
            rx.text(item["name"], dir="auto"),
            rx.text(item["size"], size="1", color_scheme="gray", dir="ltr"),
            spacing="2",
            align="center",
        ),
        href=item["href"],
        reload_document=True,
        download="",
        underline="none",
        class_name=class_name,
    )

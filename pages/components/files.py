"""Links to private files (order deliveries, message attachments), and the picker of a private
document (an identity document, a transfer receipt)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from pages.components.i18n import t


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


PICTURE_OR_PDF = {"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"], "application/pdf": [".pdf"]}


def document_picker(upload_id: str, pick_key: str, *, max_bytes: int, on_drop_rejected: rx.EventHandler) -> list[rx.Component]:
    """A one-file picker for a picture or a PDF (the server types it again by its bytes) and the
    name of the file picked; the page's own button sends it."""
    return [
        rx.upload.root(
            rx.button(rx.icon("file_up", size=16), t(pick_key), variant="outline", type="button", size="2"),
            id=upload_id,
            accept=PICTURE_OR_PDF,
            max_files=1,
            max_size=max_bytes,
            multiple=False,
            on_drop_rejected=on_drop_rejected,
        ),
        rx.text(rx.selected_files(upload_id).join(", "), size="1", color_scheme="gray", dir="auto"),
    ]

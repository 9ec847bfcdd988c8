"""Terms, privacy and refund policy: Markdown files in ``content/legal``, Arabic authoritative."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from app.core.settings import PROJECT_ROOT
from pages.components.layout import shell
from state.session import SessionState

LEGAL_DIR = PROJECT_ROOT / "content" / "legal"


def _read(name: str, lang: str) -> str:
    return (LEGAL_DIR / f"{name}.{lang}.md").read_text(encoding="utf-8")


def legal_page(name: str) -> Callable[[], rx.Component]:
    def page() -> rx.Component:
        return shell(
            rx.box(
                rx.cond(SessionState.is_en, rx.markdown(_read(name, "en")), rx.markdown(_read(name, "ar"))),
                class_name="legal",
                max_width="48rem",
                margin_inline="auto",
            )
        )

    page.__name__ = f"legal_{name}"
    return page


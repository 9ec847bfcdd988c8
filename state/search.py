"""The header search box and the results page (categories of the niche until the catalogue lands)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import reflex as rx

from app.niche import get_niche
from state.session import SessionState

MAX_QUERY = 100


class SearchState(SessionState):
    query: str = ""
    matches: list[dict[str, str]] = []

    @rx.event
    def submit(self, form_data: Any):  # type: ignore[no-untyped-def]
        query = form_data.get("q") if isinstance(form_data, dict) else None
        query = query.strip()[:MAX_QUERY] if isinstance(query, str) else ""
        # errors="ignore": a forged payload may hold lone surrogates, which UTF-8 cannot encode
        return rx.redirect(f"/search?q={quote(query, errors='ignore')}")

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        raw = self.router.url.query_parameters.get("q", "")
        self.query = raw.strip()[:MAX_QUERY] if isinstance(raw, str) else ""
        needle = self.query.casefold()
        self.matches = [
            {"slug": c.slug, "name_ar": c.name_ar, "name_en": c.name_en, "icon": c.icon}
            for c in get_niche().categories
            if needle and any(needle in text.casefold() for text in (c.name_ar, c.name_en, c.description_ar, c.description_en))
        ]

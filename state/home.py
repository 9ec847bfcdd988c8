"""The home page's categories: the niche file's at build time, the database's once loaded.

The page is prerendered, and a prerendered page shows the states' defaults: so the default list
comes from the niche file (what the database is seeded with), which keeps the categories in the
static HTML for crawlers and first paint; on load the active top-level categories of the
database replace it, so an admin's edits show without a rebuild.
"""

from __future__ import annotations

import reflex as rx

from app import catalog
from app.catalog import Term
from app.core.db import reading
from app.niche import Named, get_niche
from state.session import SessionState


def category_view(category: Named | Term) -> dict[str, str]:
    return {
        "slug": category.slug,
        "name_ar": category.name_ar,
        "name_en": category.name_en,
        "description_ar": category.description_ar,
        "description_en": category.description_en,
        "icon": category.icon or "mic",
        "href": f"/category/{category.slug}",
        "element": f"category-{category.slug}",
    }


class HomeState(SessionState):
    categories: list[dict[str, str]] = [category_view(c) for c in get_niche().categories]

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /: the active top-level categories, in the admins' order."""
        with reading() as session:
            self.categories = [category_view(t) for t in catalog.list_categories(session) if not t.parent]

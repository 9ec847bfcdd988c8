"""/admin/taxonomy: categories (with sub-categories), cities and dialects, for admins only.

Every handler checks the admin role again, then takes what the browser sent (a form dict, a
list kind, a slug, a step) as untrusted: the kind must be one of the three lists, forms are
validated by the service's pydantic inputs, and a slug is only ever looked up. The lists are
sent as display dicts of strings, never as table rows; the edit dialog that is open is the
``editing`` key ``<kind>:<slug>``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx
from sqlmodel import Session

from app.catalog import taxonomy_admin as taxonomy
from app.catalog.taxonomy_admin import AdminTerm
from app.core.db import reading
from app.core.i18n import translate
from state.admin import AdminPageState

PATH = "/admin/taxonomy"
NO_PARENT = "none"  # the parent select's value for a top-level category (Radix selects need one)
MAX_FIELD = 1200  # characters of any one form value before validation (4 x the longest field)


def row_view(kind: str, term: AdminTerm) -> dict[str, str]:
    """A row as the page shows it: strings only, flags as "1" or ""."""
    return {
        "key": f"{kind}:{term.slug}",
        "kind": kind,
        "slug": term.slug,
        "name_ar": term.name_ar,
        "name_en": term.name_en,
        "parent": term.parent or NO_PARENT,
        "is_sub": "1" if term.parent else "",
        "icon": term.icon or "mic",
        "description_ar": term.description_ar,
        "description_en": term.description_en,
        "active": "1" if term.is_active else "",
        "gigs_ar": translate("taxonomy.gigs_count", "ar", n=term.gigs),
        "gigs_en": translate("taxonomy.gigs_count", "en", n=term.gigs),
        "deletable": "1" if term.gigs == 0 and term.children == 0 else "",
    }


def form_of(kind: object, form: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``kind`` the form holds, strings capped (the parent's "none" means top-level)."""
    names = ("slug", "name_ar", "name_en", *(("parent", "icon", "description_ar", "description_en") if kind == "category" else ()))
    out = {name: value[:MAX_FIELD] if isinstance(value, str) else value for name, value in form.items() if name in names}
    if out.get("parent") == NO_PARENT:
        out["parent"] = None
    return out


class TaxonomyAdminState(AdminPageState):
    """The three lists, the parents a sub-category may have, and the open edit dialog."""

    loaded: bool = False
    categories: list[dict[str, str]] = []
    cities: list[dict[str, str]] = []
    dialects: list[dict[str, str]] = []
    parents: list[dict[str, str]] = []
    editing: str = ""

    def _load(self) -> None:
        with reading() as session:
            lists = {kind: [row_view(kind, term) for term in taxonomy.list_terms(session, kind)] for kind in taxonomy.KINDS}
        self.categories, self.cities, self.dialects = lists["category"], lists["city"], lists["dialect"]
        self.parents = [{"slug": r["slug"], "name_ar": r["name_ar"], "name_en": r["name_en"]} for r in self.categories if not r["is_sub"]]
        self.loaded = True

    def _act(self, edit: Callable[[Session], object], done_key: str, **params: object):  # type: ignore[no-untyped-def]
        """Run one edit for an admin, then close the dialog, reload and say so."""
        failed = self._apply(PATH, edit)
        if failed is not None:
            return failed
        self.editing = ""
        self._load()
        return rx.toast.success(translate(done_key, self._lang, **params))

    # -- events ---------------------------------------------------------------------------

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /admin/taxonomy."""
        self.reset()
        refused = self._refusal(PATH)
        if refused is not None:
            return refused
        self._load()

    @rx.event
    def create(self, form_data: Any):  # type: ignore[no-untyped-def]
        """The add form of one list (its hidden ``kind`` says which)."""
        form = form_data if isinstance(form_data, dict) else {}
        kind, name = form.get("kind"), form.get("name_en" if self._lang == "en" else "name_ar")
        return self._act(
            lambda session: taxonomy.create_term(session, kind=kind, data=taxonomy.parse_term(kind, form_of(kind, form))),
            "taxonomy.created",
            name=name if isinstance(name, str) else "",
        )

    @rx.event
    def update(self, form_data: Any):  # type: ignore[no-untyped-def]
        """The edit dialog of a row: its kind and slug come as hidden fields and are only looked up."""
        form = form_data if isinstance(form_data, dict) else {}
        kind = form.get("kind")
        return self._act(
            lambda session: taxonomy.update_term(session, kind=kind, data=taxonomy.parse_term(kind, form_of(kind, form))),
            "taxonomy.updated",
        )

    @rx.event
    def delete(self, kind: Any, slug: Any):  # type: ignore[no-untyped-def]
        return self._act(lambda session: taxonomy.delete_term(session, kind=kind, slug=slug), "taxonomy.deleted", name=slug if isinstance(slug, str) else "")

    @rx.event
    def set_active(self, slug: Any, active: Any):  # type: ignore[no-untyped-def]
        """The show/hide switch of a category."""
        done = "taxonomy.shown" if active is True else "taxonomy.hidden"
        return self._act(lambda session: taxonomy.set_category_active(session, slug=slug, active=active), done)

    @rx.event
    def move(self, kind: Any, slug: Any, step: Any):  # type: ignore[no-untyped-def]
        """The up (-1) and down (+1) arrows of a row."""
        return self._act(lambda session: taxonomy.move_term(session, kind=kind, slug=slug, step=step), "taxonomy.moved")

    @rx.event
    def start_edit(self, key: Any):  # type: ignore[no-untyped-def]
        """Open the edit dialog of the row ``<kind>:<slug>`` (only a key the lists hold)."""
        refused = self._refusal(PATH)
        if refused is not None:
            return refused
        rows = [*self.categories, *self.cities, *self.dialects]
        self.editing = key if isinstance(key, str) and any(row["key"] == key for row in rows) else ""
        self.error = ""

    @rx.event
    def close_edit(self, still_open: Any = False):  # type: ignore[no-untyped-def]
        """The dialog's own close (Escape, outside click, the cancel button)."""
        refused = self._refusal(PATH)
        if refused is not None:
            return refused
        if still_open is not True:
            self.editing = ""
            self.error = ""

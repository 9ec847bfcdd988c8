"""/admin/lexicon: the search lexicon for admins (search, pages, add, remove, try the analyzer).

The search text and the page number live in the URL (``?q=…&page=…``), so the pager is plain
links and a refreshed page shows the same list. Terms and concepts arrive as form fields and are
checked by the lexicon service; the lists are display dicts of strings.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from app.core.db import reading
from app.core.i18n import translate
from app.search import lexicon
from app.search.lexicon import LexiconEntry
from state.admin import AdminPageState
from state.catalog import clean_text, page_url
from state.seller import positive_int

PATH = "/admin/lexicon"
PER_PAGE = 20
BUNDLED_SHOWN = 60
MAX_PAGE = 10_000


def entry_view(entry: LexiconEntry) -> dict[str, str]:
    return {"term": entry.term, "concept": entry.concept}


class LexiconAdminState(AdminPageState):
    """One page of admins' terms, the matching built-in ones, and the last analysis."""

    loaded: bool = False
    query: str = ""
    entries: list[dict[str, str]] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    prev_href: str = ""
    next_href: str = ""
    bundled: list[dict[str, str]] = []
    bundled_total: int = 0
    bundled_more: str = ""
    tried: bool = False
    analysis: list[dict[str, str]] = []

    def _load(self, query: str, page: int) -> None:
        with reading() as session:
            found = lexicon.list_terms(session, query=query, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
            pages = max(1, -(-found.total // PER_PAGE))
            if page > pages:  # past the end (a removal emptied the last page): show the last one
                page = pages
                found = lexicon.list_terms(session, query=query, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
        bundled = lexicon.list_bundled(query, BUNDLED_SHOWN)
        params = {"q": query} if query else {}
        self.query, self.total, self.page, self.pages = query, found.total, page, pages
        self.entries = [entry_view(e) for e in found.entries]
        self.prev_href = page_url(PATH, params, page=str(page - 1) if page > 2 else None) if page > 1 else ""
        self.next_href = page_url(PATH, params, page=str(page + 1)) if page < pages else ""
        self.bundled = [entry_view(e) for e in bundled.entries]
        self.bundled_total = bundled.total
        shown = len(bundled.entries)
        self.bundled_more = translate("lexicon.bundled_more", self._lang, shown=shown, total=bundled.total) if bundled.total > shown else ""
        self.loaded = True

    def _change(self, form_data: Any, change: Any, done_key: str):  # type: ignore[no-untyped-def]
        """Add or remove the form's term for an admin, then reload the page of the list."""
        form = form_data if isinstance(form_data, dict) else {}
        term, concept = form.get("term"), form.get("concept")
        failed = self._apply(PATH, lambda session: change(session, term=term, concept=concept))
        if failed is not None:
            return failed
        self._load(self.query, self.page)
        return rx.toast.success(translate(done_key, self._lang, term=" ".join(str(term).split()), concept=concept))

    # -- events ---------------------------------------------------------------------------

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /admin/lexicon (``?q=`` filters, ``?page=`` pages)."""
        self.reset()
        refused = self._refusal(PATH)
        if refused is not None:
            return refused
        params = self.router.url.query_parameters
        self._load(clean_text(params.get("q")), positive_int(params.get("page"), MAX_PAGE) or 1)

    @rx.event
    def search(self, form_data: Any):  # type: ignore[no-untyped-def]
        """The search box: the first page of the matching terms, by URL."""
        refused = self._refusal(PATH)
        if refused is not None:
            return refused
        query = clean_text(form_data.get("q") if isinstance(form_data, dict) else None)
        return rx.redirect(page_url(PATH, {"q": query} if query else {}))

    @rx.event
    def add(self, form_data: Any):  # type: ignore[no-untyped-def]
        return self._change(form_data, lexicon.add_term, "lexicon.added")

    @rx.event
    def remove(self, form_data: Any):  # type: ignore[no-untyped-def]
        return self._change(form_data, lexicon.remove_term, "lexicon.removed")

    @rx.event
    def try_analyzer(self, form_data: Any):  # type: ignore[no-untyped-def]
        """«جرّب التحليل»: the words the search keeps from the text, with their stems and concepts."""
        refused = self._refusal(PATH)
        if refused is not None:
            return refused
        text = clean_text(form_data.get("text") if isinstance(form_data, dict) else None, lexicon.MAX_TRY)
        with reading() as session:
            terms = lexicon.explain(session, text)
        self.analysis = [{"word": t.exact, "stem": t.stem, "root": t.root, "concepts": " ".join(t.concepts)} for t in terms]
        self.tried = True

"""The admin console's taxonomy and lexicon pages, through their real Reflex handlers.

Signed-out visitors are sent to log in, users and moderators see the refusal panel and change
nothing, admins see the lists and edit them; the lists reach the browser as strings only.
"""

from __future__ import annotations

import json

import pytest

from app.core import clock
from app.core.db import transaction
from app.search.analyzer import DEFAULT_LEXICON_ENTRIES
from models.accounts import Role, User
from models.catalog import SearchTerm
from state.home import HomeState
from state.lexicon_admin import LexiconAdminState
from state.taxonomy_admin import TaxonomyAdminState
from tests.integration.statekit import Browser, Tables, add_session, add_user, ar, fast_password_hashing, redirects, rows

PAGES = [("/admin/taxonomy", TaxonomyAdminState), ("/admin/lexicon", LexiconAdminState)]
WRITES = [
    (TaxonomyAdminState, "create", ({"kind": "city", "slug": "abha", "name_ar": "أبها", "name_en": "Abha"},)),
    (TaxonomyAdminState, "update", ({"kind": "city", "slug": "riyadh", "name_ar": "مخترق", "name_en": "Pwned"},)),
    (TaxonomyAdminState, "set_active", ("ads", False)),
    (TaxonomyAdminState, "move", ("city", "jeddah", -1)),
    (TaxonomyAdminState, "delete", ("category", "shelat")),
    (LexiconAdminState, "add", ({"term": "زقزقة", "concept": "jingle"},)),
]


@pytest.fixture(autouse=True)
def _fresh(fresh_lexicon: None, monkeypatch: pytest.MonkeyPatch) -> None:
    fast_password_hashing(monkeypatch)


def tab_of(role: Role | None, path: str) -> Browser:
    if role is None:
        return Browser(path=path)
    email = f"{role.value}@example.com"
    known = rows(User, User.email == email)
    return Browser(token=add_session(known[0].id if known else add_user(email, role=role)), path=path)


def admin(path: str) -> Browser:
    tab = tab_of(Role.ADMIN, path)
    cls = dict(PAGES)[path.split("?")[0]]
    tab.call(cls, "open_page")
    return tab


@pytest.mark.parametrize(("path", "cls"), PAGES)
def test_signed_out_visitors_are_sent_to_log_in(migrated_database: str, path: str, cls: type) -> None:
    tab = tab_of(None, path)
    assert redirects(tab.call(cls, "open_page")) == [f"/login?next={path}"]
    assert tab.state(cls).loaded is False and tab.state(cls).forbidden is False


@pytest.mark.parametrize("role", [Role.USER, Role.MODERATOR])
def test_users_and_moderators_see_the_refusal_and_change_nothing(migrated_database: str, role: Role) -> None:
    # given a signed-in user without the admin role
    tab = tab_of(role, "/admin/taxonomy")
    before = Tables().snapshot()
    # when they open the pages and call every write
    for path, cls in PAGES:
        tab.visit(path)
        tab.call(cls, "open_page")
        state = tab.state(cls)
        # then each page shows the refusal panel, with no data
        assert state.forbidden is True and state.loaded is False
    for cls, name, args in WRITES:
        tab.call(cls, name, *args)
    tab.call(LexiconAdminState, "try_analyzer", {"text": "فويس اوفر"})
    assert tab.state(LexiconAdminState).analysis == []
    assert Tables().snapshot() == before


def test_an_admin_edits_the_taxonomy(migrated_database: str) -> None:
    tab = admin("/admin/taxonomy")
    state = tab.state(TaxonomyAdminState)
    assert state.forbidden is False and state.loaded is True
    assert [r["slug"] for r in state.categories][:2] == ["ads", "audiobooks"]
    # adding a sub-category shows it under its parent, with its parent in the display
    tab.call(TaxonomyAdminState, "create", {"kind": "category", "slug": "radio-ads", "name_ar": "إعلانات إذاعية", "name_en": "Radio ads", "parent": "ads", "icon": "radio"})
    assert [r["slug"] for r in state.categories][:2] == ["ads", "radio-ads"]
    assert state.categories[1]["is_sub"] == "1" and state.categories[1]["parent"] == "ads"
    assert "radio-ads" not in [p["slug"] for p in state.parents]
    # a bad form names the field in Arabic and keeps the dialog open
    tab.call(TaxonomyAdminState, "start_edit", "city:riyadh")
    assert state.editing == "city:riyadh"
    tab.call(TaxonomyAdminState, "update", {"kind": "city", "slug": "riyadh", "name_ar": "ر", "name_en": "Riyadh"})
    assert state.error == ar("taxonomy.invalid_name_ar") and state.editing == "city:riyadh"
    tab.call(TaxonomyAdminState, "update", {"kind": "city", "slug": "riyadh", "name_ar": "الرياض", "name_en": "Riyadh city"})
    assert state.editing == "" and state.error == ""
    assert next(r for r in state.cities if r["slug"] == "riyadh")["name_en"] == "Riyadh city"
    # hiding a category, moving a dialect, deleting an unused category
    tab.call(TaxonomyAdminState, "set_active", "ads", False)
    assert state.categories[0]["active"] == ""
    dialects = [r["slug"] for r in state.dialects]
    tab.call(TaxonomyAdminState, "move", "dialect", dialects[1], -1)
    assert [r["slug"] for r in state.dialects][:2] == [dialects[1], dialects[0]]
    tab.call(TaxonomyAdminState, "delete", "category", "radio-ads")
    assert "radio-ads" not in [r["slug"] for r in state.categories]
    # only keys the lists hold open a dialog
    for junk in ("city:atlantis", "riyadh", None, {"$ne": 1}):
        tab.call(TaxonomyAdminState, "start_edit", junk)
        assert state.editing == ""
    # every value sent to the browser is a string
    sent = json.loads(tab.client_json())[TaxonomyAdminState.get_full_name()]
    lists = [value for value in sent.values() if isinstance(value, list)]
    assert len(lists) == 4 and all(isinstance(v, str) for rows in lists for row in rows for v in row.values())


def test_a_hidden_category_leaves_the_home_page(migrated_database: str) -> None:
    tab = admin("/admin/taxonomy")
    home = Browser(path="/")
    home.call(HomeState, "open_page")
    assert "ads" in [c["slug"] for c in home.state(HomeState).categories]
    tab.call(TaxonomyAdminState, "set_active", "ads", False)
    home.call(HomeState, "open_page")
    assert "ads" not in [c["slug"] for c in home.state(HomeState).categories]


def test_an_admin_curates_the_lexicon(migrated_database: str) -> None:
    tab = admin("/admin/lexicon")
    state = tab.state(LexiconAdminState)
    assert state.loaded is True and state.entries == [] and state.bundled_total == len(DEFAULT_LEXICON_ENTRIES)
    # adding a term lists it; adding it twice is refused
    tab.call(LexiconAdminState, "add", {"term": " زقزقة ", "concept": "jingle"})
    assert state.entries == [{"term": "زقزقة", "concept": "jingle"}]
    tab.call(LexiconAdminState, "add", {"term": "زقزقة", "concept": "jingle"})
    assert state.total == 1
    # the try-out shows the concept the word now maps to
    tab.call(LexiconAdminState, "try_analyzer", {"text": "زقزقات فويس اوفر"})
    assert state.tried is True
    assert state.analysis[0] == {"word": "زقزقات", "stem": state.analysis[0]["stem"], "root": state.analysis[0]["root"], "concepts": "jingle"}
    assert "voiceover" in state.analysis[1]["concepts"].split()
    # the search box leads to a URL; that URL filters the admins' and the built-in terms
    assert redirects(tab.call(LexiconAdminState, "search", {"q": "jingle"})) == ["/admin/lexicon?q=jingle"]
    filtered = admin("/admin/lexicon?q=jingle")
    found = filtered.state(LexiconAdminState)
    assert found.total == 1 and found.bundled and all(e["concept"] == "jingle" for e in found.bundled)
    # removing takes it off the list; a built-in term cannot be removed
    tab.call(LexiconAdminState, "remove", {"term": "زقزقة", "concept": "jingle"})
    assert state.entries == [] and state.total == 0
    before = Tables().snapshot()
    tab.call(LexiconAdminState, "remove", {"term": "دبلجة", "concept": "dubbing"})
    assert Tables().snapshot() == before


def test_the_lexicon_pages_by_url(migrated_database: str) -> None:
    with transaction() as session:
        for n in range(45):
            session.add(SearchTerm(term=f"كلمة{n}", concept="jingle", created_at=clock.now()))
    tab = admin("/admin/lexicon?page=3")
    state = tab.state(LexiconAdminState)
    assert (state.page, state.pages, len(state.entries)) == (3, 3, 5)
    assert state.prev_href == "/admin/lexicon?page=2" and state.next_href == ""
    past = admin("/admin/lexicon?page=99").state(LexiconAdminState)
    assert past.page == 3

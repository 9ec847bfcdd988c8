"""The seller's gigs, the gig editor and the moderation queue through their real Reflex handlers.

Each test opens a page the way the browser would (a ``Browser`` tab on the URL, the page's
on_load handler), types into the editor with ``edit`` as the inputs do, and checks both what
the tab shows and what the database holds, on SQLite and Postgres (``migrated_database``: the
taxonomy comes from the migrations).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from app import catalog
from app.core import db
from models.accounts import Role, User
from app.catalog.inputs import _FIELD_KEYS
from models.catalog import Gig, GigExtra, GigFaq, GigPackage, GigRequirement, GigStatus
from state.moderation import ModerationState
from state.seller import ROWS, STEP_OF, STEPS, GigEditorState, SellerGigsState
from tests.integration.statekit import (
    Browser,
    Tables,
    add_session,
    add_user,
    ar,
    events_of,
    fast_password_hashing,
    redirects,
    rows,
)

DESCRIPTION = "تسجيل احترافي في استوديو معزول مع تنقية الصوت والمونتاج، وتسليم بصيغ عالية الجودة. **جودة مضمونة**."


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    fast_password_hashing(monkeypatch)


def seller(email: str = "fahad@example.com", name: str = "فهد") -> str:
    """A seller's session token."""
    return add_session(add_user(email, name=name, seller=True))


def editor(token: str, path: str = "/seller/gigs/new") -> Browser:
    tab = Browser(token=token, path=path)
    tab.call(GigEditorState, "open_editor")
    return tab


def fill(tab: Browser, **values: Any) -> None:
    for field, value in values.items():
        tab.call(GigEditorState, "edit", field, value)


OVERVIEW = {"title": "تعليق صوتي خليجي لإعلانك", "category": "ads", "dialect": "najdi", "tags": "تعليق صوتي، إعلان"}
PRICING = {
    "basic_name": "أساسية", "basic_price": "150", "basic_days": "3", "basic_revisions": "1", "basic_included": "100",
    "standard_on": True,
    "standard_name": "متوسطة", "standard_price": "٢٥٠٫٥٠", "standard_days": "2", "standard_revisions": "2", "standard_included": "300",
}


def filled_editor(token: str) -> Browser:
    """A new gig typed step by step, ending on the review step (requirements and gallery left empty)."""
    tab = editor(token)
    fill(tab, **OVERVIEW)
    tab.call(GigEditorState, "next_step")
    fill(tab, **PRICING)
    tab.call(GigEditorState, "next_step")
    fill(tab, description=DESCRIPTION)
    for _ in range(3):  # requirements, gallery, review
        tab.call(GigEditorState, "next_step")
    return tab


# What a seller types into the repeatable rows, as the inputs send it (the switch sends a bool).
TYPED_ROWS: dict[str, list[dict[str, Any]]] = {
    "extras": [
        {"title": "تسليم سريع خلال 24 ساعة", "price": "50", "days": "0"},
        {"title": "ملف مصدر بدون موسيقى", "price": "٣٠", "days": "1", "description": "ملف WAV نظيف بلا موسيقى خلفية"},
    ],
    "faqs": [{"question": "هل تسجل بلهجات أخرى؟", "answer": "أسجل بالنجدية والفصحى."}],
    "requirements": [
        {"question": "أرسل النص المطلوب تسجيله"},
        {"question": "اختر نبرة الصوت", "kind": "choice", "choices": "رسمية\nودية\n\nحماسية\n", "required": False},
        {"question": "أرفق شعار الشركة إن وجد", "kind": "file", "required": False},
    ],
}


def add_rows(tab: Browser, typed: dict[str, list[dict[str, Any]]] = TYPED_ROWS) -> None:
    """Click «أضف» for each row and type its fields, as the editor's inputs do."""
    for group, rows_typed in typed.items():
        for row in rows_typed:
            tab.call(GigEditorState, "add_row", group)
            index = len(getattr(tab.state(GigEditorState), group)) - 1
            for name, value in row.items():
                tab.call(GigEditorState, "edit_row", group, index, name, value)


def saved_rows(gig_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """The gig's extras, FAQ and questions as stored, in position order."""
    def ordered(model: type) -> list[Any]:
        return sorted(rows(model, model.gig_id == gig_id), key=lambda row: row.position)  # type: ignore[attr-defined]

    return {
        "extras": [(e.position, e.title, e.price_minor, e.added_days, e.description) for e in ordered(GigExtra)],
        "faqs": [(f.position, f.question, f.answer) for f in ordered(GigFaq)],
        "requirements": [(r.position, r.question, r.kind, r.choices, r.required) for r in ordered(GigRequirement)],
    }


def gigs() -> list[Gig]:
    return rows(Gig)


# -- the editor -----------------------------------------------------------------------------


def test_a_seller_fills_the_steps_and_saves_a_draft(migrated_database: str) -> None:
    # given a seller on the new-gig editor
    tab = filled_editor(seller())
    state = tab.state(GigEditorState)
    # then the steps led to the review step without complaint
    assert state.step == STEPS - 1 == 5 and state.error == ""
    assert state.category_ar == "إعلانات"
    # when they save a draft
    tab.call(GigEditorState, "save_draft")
    # then one draft gig exists with both packages in halalas
    (gig,) = gigs()
    assert gig.status == GigStatus.DRAFT and gig.title == OVERVIEW["title"] and gig.price_minor == 15000
    packages = {p.tier: p for p in rows(GigPackage, GigPackage.gig_id == gig.id)}
    assert packages["basic"].price_minor == 15000 and packages["standard"].price_minor == 25050
    assert packages["standard"].words_included == 300 and packages["basic"].revisions == 1
    assert state.status == "draft" and state.error == ""
    # and saving again in the same tab updates the same gig instead of creating another
    fill(tab, title="تعليق صوتي خليجي احترافي لإعلانك")
    tab.call(GigEditorState, "save_draft")
    (gig,) = gigs()
    assert gig.title == "تعليق صوتي خليجي احترافي لإعلانك"
    # and the list shows it as a draft that can be submitted
    listing = Browser(token=tab.token, path="/seller/gigs")
    listing.call(SellerGigsState, "open_list")
    (row,) = listing.state(SellerGigsState).gigs
    assert row["status_ar"] == "مسودة" and row["can_submit"] and not row["can_pause"]


def test_the_editor_reopens_a_saved_gig_with_its_values(migrated_database: str) -> None:
    token = seller()
    tab = filled_editor(token)
    tab.call(GigEditorState, "save_draft")
    (gig,) = gigs()
    again = editor(token, f"/seller/gigs/{gig.id}")
    state = again.state(GigEditorState)
    assert state.loaded and not state.not_found and not state.is_new
    assert state.title == OVERVIEW["title"] and state.category == "ads" and state.dialect == "najdi" and state.city == "any"
    assert state.basic_price == "150" and state.standard_price == "250.50" and state.standard_on and not state.premium_on
    assert state.basic_included == "100" and state.unit == "words" and "إعلان" in state.tags


@pytest.mark.parametrize(
    ("step", "values", "key", "where"),
    [
        (1, {"basic_price": "abc"}, "gig.invalid_price", 1),
        (1, {"basic_price": "10"}, "gig.invalid_price", 1),
        (0, {"title": "تعليق صوتي خليجي 🎙️ لإعلانك"}, "gig.invalid_title", 0),
        (2, {"description": "قصير"}, "gig.invalid_description", 2),
        (1, {"standard_price": "100"}, "gig.invalid_packages", 1),
    ],
)
def test_bad_input_shows_the_arabic_message_on_its_step_and_creates_nothing(
    migrated_database: str, step: int, values: dict[str, str], key: str, where: int
) -> None:
    # given a filled editor with one bad value
    tab = filled_editor(seller())
    fill(tab, **values)
    before = Tables().snapshot()
    # when the seller saves
    tab.call(GigEditorState, "save_draft")
    # then the Arabic message shows, the editor returns to the step with the problem, nothing is written
    state = tab.state(GigEditorState)
    assert state.error == ar(key)
    assert state.step == where
    assert Tables().snapshot() == before and gigs() == []


def test_the_editor_saves_and_reloads_extras_faq_and_questions(migrated_database: str) -> None:
    # given a seller who fills the gig and adds two extras, a FAQ entry and three questions
    token = seller()
    tab = filled_editor(token)
    add_rows(tab)
    # when they save a draft
    tab.call(GigEditorState, "save_draft")
    # then the rows are stored in the order typed, prices in halalas, options one per line
    assert tab.state(GigEditorState).error == ""
    (gig,) = gigs()
    assert saved_rows(gig.id) == {
        "extras": [
            (0, "تسليم سريع خلال 24 ساعة", 5000, 0, ""),
            (1, "ملف مصدر بدون موسيقى", 3000, 1, "ملف WAV نظيف بلا موسيقى خلفية"),
        ],
        "faqs": [(0, "هل تسجل بلهجات أخرى؟", "أسجل بالنجدية والفصحى.")],
        "requirements": [
            (0, "أرسل النص المطلوب تسجيله", "text", "", True),
            (1, "اختر نبرة الصوت", "choice", "رسمية\nودية\nحماسية", False),
            (2, "أرفق شعار الشركة إن وجد", "file", "", False),
        ],
    }
    # and reopening the gig shows them as the seller typed them (prices as SAR text)
    again = editor(token, f"/seller/gigs/{gig.id}")
    state = again.state(GigEditorState)
    assert state.extras == [
        {"title": "تسليم سريع خلال 24 ساعة", "price": "50", "days": "0", "description": ""},
        {"title": "ملف مصدر بدون موسيقى", "price": "30", "days": "1", "description": "ملف WAV نظيف بلا موسيقى خلفية"},
    ]
    assert state.faqs == [{"question": "هل تسجل بلهجات أخرى؟", "answer": "أسجل بالنجدية والفصحى."}]
    assert state.requirements[1] == {"question": "اختر نبرة الصوت", "kind": "choice", "choices": "رسمية\nودية\nحماسية", "required": ""}
    assert state.requirements[0]["required"] == "1"
    # when they remove the first extra and the choice question and save again
    again.call(GigEditorState, "remove_row", "extras", 0)
    again.call(GigEditorState, "remove_row", "requirements", "1")
    again.call(GigEditorState, "save_draft")
    # then the stored set is replaced, renumbered from 0, and nothing else was added
    stored = saved_rows(gig.id)
    assert stored["extras"] == [(0, "ملف مصدر بدون موسيقى", 3000, 1, "ملف WAV نظيف بلا موسيقى خلفية")]
    assert [(r[0], r[1]) for r in stored["requirements"]] == [(0, "أرسل النص المطلوب تسجيله"), (1, "أرفق شعار الشركة إن وجد")]
    assert len(rows(GigExtra)) == 1 and len(rows(GigRequirement)) == 2


def test_a_question_switched_away_from_choice_drops_its_options(migrated_database: str) -> None:
    tab = filled_editor(seller())
    add_rows(tab, {"requirements": [{"question": "اختر نبرة الصوت", "kind": "choice", "choices": "رسمية\nودية"}]})
    tab.call(GigEditorState, "edit_row", "requirements", 0, "kind", "text")
    tab.call(GigEditorState, "save_draft")
    (gig,) = gigs()
    assert saved_rows(gig.id)["requirements"] == [(0, "اختر نبرة الصوت", "text", "", True)]


@pytest.mark.parametrize(
    ("group", "row", "key", "where"),
    [
        ("extras", {"title": "تسليم سريع", "price": "3"}, "gig.invalid_extra_price", 1),
        ("extras", {"title": "تسليم سريع", "price": "0"}, "gig.invalid_extra_price", 1),
        ("extras", {"title": "تسليم 🚀 سريع", "price": "30"}, "gig.invalid_extra_title", 1),
        ("extras", {"title": "تسليم سريع", "price": "30", "days": "٣١"}, "gig.invalid_extra_added_days", 1),
        ("extras", {}, "gig.invalid_extra_title", 1),  # a row added and left blank
        ("faqs", {"question": "هل؟", "answer": "نعم"}, "gig.invalid_faq_question", 2),
        ("requirements", {"question": "اختر نبرة الصوت", "kind": "choice", "choices": "رسمية"}, "gig.invalid_requirement_choices", 3),
    ],
)
def test_a_bad_row_shows_its_message_on_its_step_and_saves_nothing(
    migrated_database: str, group: str, row: dict[str, str], key: str, where: int
) -> None:
    # given a filled editor with one bad row
    tab = filled_editor(seller())
    add_rows(tab, {group: [row]})
    before = Tables().snapshot()
    # when the seller saves
    tab.call(GigEditorState, "save_draft")
    # then the row's own message shows on the step that holds the row, and nothing is written
    state = tab.state(GigEditorState)
    assert (state.error, state.step) == (ar(key), where)
    assert Tables().snapshot() == before and gigs() == []
    # and jumping to the review step stops there again
    tab.call(GigEditorState, "go", STEPS - 1)
    assert (state.error, state.step) == (ar(key), where)


def test_every_refusal_key_opens_a_step() -> None:
    """A refusal the editor cannot place would leave the seller on a step without the problem."""
    assert set(STEP_OF) == _FIELD_KEYS
    assert all(0 <= step < STEPS for step in STEP_OF.values())


def test_row_handlers_ignore_junk_groups_rows_fields_and_values(migrated_database: str) -> None:
    # a tab that never opened the editor cannot add rows
    closed = Browser(token=seller("early@example.com"), path="/seller/gigs/new")
    closed.call(GigEditorState, "add_row", "extras")
    assert closed.state(GigEditorState).extras == []
    tab = editor(seller())
    state = tab.state(GigEditorState)
    # rows stop at each list's limit
    for _ in range(ROWS["extras"].limit + 2):
        tab.call(GigEditorState, "add_row", "extras")
    assert len(state.extras) == ROWS["extras"].limit == 6
    # unknown groups, rows and fields change nothing
    before = [dict(row) for row in state.extras]
    for group in ("packages", "_created", "title", "", None, {"$ne": 1}, ["extras"], 3):
        tab.call(GigEditorState, "add_row", group)
        tab.call(GigEditorState, "remove_row", group, 0)
        tab.call(GigEditorState, "edit_row", group, 0, "title", "x")
    for index in (6, -1, "1; drop", True, 1.5, "٣", None, [0], {"$ne": 1}):
        tab.call(GigEditorState, "edit_row", "extras", index, "title", "مدخل")
        tab.call(GigEditorState, "remove_row", "extras", index)
    for name, value in (("gig_id", "5"), ("kind", "choice"), ("title", {"$ne": 1}), ("title", None), (None, "x"), ("title", ["x"])):
        tab.call(GigEditorState, "edit_row", "extras", 0, name, value)
    assert state.extras == before and state.faqs == [] and state.requirements == []
    # text is capped, a kind must be one of the kinds, the switch keeps a flag
    tab.call(GigEditorState, "edit_row", "extras", 0, "title", "ت" * 10_000)
    assert len(state.extras[0]["title"]) == ROWS["extras"].fields["title"]
    tab.call(GigEditorState, "add_row", "requirements")
    assert state.requirements == [{"question": "", "kind": "text", "choices": "", "required": "1"}]
    for value in ("audio", "", None, ["choice"]):
        tab.call(GigEditorState, "edit_row", "requirements", 0, "kind", value)
    assert state.requirements[0]["kind"] == "text"
    tab.call(GigEditorState, "edit_row", "requirements", 0, "kind", "choice")
    tab.call(GigEditorState, "edit_row", "requirements", "0", "required", False)
    assert (state.requirements[0]["kind"], state.requirements[0]["required"]) == ("choice", "")
    tab.call(GigEditorState, "edit_row", "requirements", 0, "required", {"$ne": 1})
    assert state.requirements[0]["required"] == ""
    tab.call(GigEditorState, "edit_row", "requirements", 0, "required", True)
    assert state.requirements[0]["required"] == "1"
    # remove takes the named row out; the rest move up
    tab.call(GigEditorState, "edit_row", "extras", 1, "title", "الثاني")
    tab.call(GigEditorState, "remove_row", "extras", 0)
    assert len(state.extras) == 5 and state.extras[0]["title"] == "الثاني"


def test_editing_only_the_rows_of_an_active_gig_keeps_it_listed(migrated_database: str) -> None:
    # given an approved gig
    token = seller()
    filled_editor(token).call(GigEditorState, "submit_for_review")
    (gig,) = gigs()
    with db.transaction() as session:
        catalog.moderate(session, gig_id=gig.id, action="approve")
    # when its seller adds extras, FAQ and questions and saves
    tab = editor(token, f"/seller/gigs/{gig.id}")
    add_rows(tab)
    tab.call(GigEditorState, "save_draft")
    # then it stays active (these are terms, not what moderation vets), with the rows stored
    assert rows(Gig)[0].status == GigStatus.ACTIVE and tab.state(GigEditorState).status == "active"
    assert [len(v) for v in saved_rows(gig.id).values()] == [2, 1, 3]
    # and so does a later edit of an answer or a removal
    tab.call(GigEditorState, "edit_row", "faqs", 0, "answer", "أسجل بالنجدية والحجازية والفصحى.")
    tab.call(GigEditorState, "remove_row", "extras", 1)
    tab.call(GigEditorState, "save_draft")
    assert rows(Gig)[0].status == GigStatus.ACTIVE and len(saved_rows(gig.id)["extras"]) == 1
    # while a new title still sends it back to review
    fill(tab, title="تعليق صوتي نجدي احترافي لإعلانك")
    tab.call(GigEditorState, "save_draft")
    assert rows(Gig)[0].status == GigStatus.PENDING


def test_moving_forward_checks_the_current_step(migrated_database: str) -> None:
    tab = editor(seller())
    fill(tab, title="قصير")
    tab.call(GigEditorState, "next_step")
    state = tab.state(GigEditorState)
    assert state.step == 0 and state.error == ar("gig.invalid_title")
    # jumping ahead stops at the first step with a problem, and junk step numbers are ignored
    fill(tab, **OVERVIEW)
    tab.call(GigEditorState, "go", 3)
    assert state.step == 1 and state.error == ar("gig.invalid_name")
    for junk in (7, -1, "2; drop", None, True, 1.5, "٣"):
        tab.call(GigEditorState, "go", junk)
        assert state.step == 1
    tab.call(GigEditorState, "go", "0")
    assert state.step == 0 and state.error == ""
    # unknown fields and non-text values are ignored
    tab.call(GigEditorState, "edit", "status", "active")
    tab.call(GigEditorState, "edit", "_created", "5")
    tab.call(GigEditorState, "edit", "title", {"$ne": 1})
    assert state.status == "" and state._created == 0 and state.title == OVERVIEW["title"]


def test_submit_sends_the_gig_to_review(migrated_database: str) -> None:
    tab = filled_editor(seller())
    result = tab.call(GigEditorState, "submit_for_review")
    (gig,) = gigs()
    assert gig.status == GigStatus.PENDING
    assert redirects(result) == ["/seller/gigs"]


def test_a_non_seller_is_told_to_switch_to_seller_mode(migrated_database: str) -> None:
    token = add_session(add_user("buyer@example.com", name="مشتري"))
    listing = Browser(token=token, path="/seller/gigs")
    listing.call(SellerGigsState, "open_list")
    assert listing.state(SellerGigsState).needs_seller and listing.state(SellerGigsState).gigs == []
    tab = editor(token)
    state = tab.state(GigEditorState)
    assert state.needs_seller
    # even typing and saving creates nothing
    fill(tab, **OVERVIEW, **PRICING, description=DESCRIPTION)
    tab.call(GigEditorState, "save_draft")
    assert gigs() == []


def test_signed_out_visitors_are_sent_to_log_in(migrated_database: str) -> None:
    tab = Browser(path="/seller/gigs/new")
    assert redirects(tab.call(GigEditorState, "open_editor")) == ["/login?next=/seller/gigs/new"]
    listing = Browser(path="/seller/gigs")
    assert redirects(listing.call(SellerGigsState, "open_list")) == ["/login?next=/seller/gigs"]
    queue = Browser(path="/admin/moderation")
    assert redirects(queue.call(ModerationState, "open_queue")) == ["/login?next=/admin/moderation"]


def test_another_seller_cannot_open_or_act_on_the_gig(migrated_database: str) -> None:
    # given fahad's draft, with its extras, FAQ and questions
    tab = filled_editor(seller())
    add_rows(tab)
    tab.call(GigEditorState, "save_draft")
    (gig,) = gigs()
    mallory = seller("mallory@example.com", "مالوري")
    before = Tables().snapshot()
    # when another seller opens its editor route
    other = editor(mallory, f"/seller/gigs/{gig.id}")
    state = other.state(GigEditorState)
    # then it is "not found" and nothing of it is shown, rows included
    assert state.not_found and state.title == "" and OVERVIEW["title"] not in other.client_json()
    assert state.extras == state.faqs == state.requirements == [] and "ملف مصدر" not in other.client_json()
    # and saving from that route, rows and all, changes nothing
    fill(other, **OVERVIEW, **PRICING, description=DESCRIPTION)
    add_rows(other, {"extras": [{"title": "تطوير مالوري", "price": "10"}]})
    other.call(GigEditorState, "save_draft")
    other.call(GigEditorState, "submit_for_review")
    # when they act on it from their list by its id
    listing = Browser(token=mallory, path="/seller/gigs")
    listing.call(SellerGigsState, "open_list")
    for action in ("submit", "pause", "resume"):
        result = listing.call(SellerGigsState, "act", {"gig": str(gig.id), "action": action})
        assert listing.state(SellerGigsState).error == ar("gig.not_found")
        assert events_of(result)
    # then nothing changed
    assert Tables().snapshot() == before


def test_the_list_moves_a_gig_through_its_seller_states(migrated_database: str) -> None:
    token = seller()
    tab = filled_editor(token)
    tab.call(GigEditorState, "save_draft")
    (gig,) = gigs()
    listing = Browser(token=token, path="/seller/gigs")
    listing.call(SellerGigsState, "open_list")
    state = listing.state(SellerGigsState)
    listing.call(SellerGigsState, "act", {"gig": str(gig.id), "action": "submit"})
    assert state.gigs[0]["status_ar"] == "قيد المراجعة" and state.error == ""
    # pausing a gig under review is refused, with the status in words
    listing.call(SellerGigsState, "act", {"gig": str(gig.id), "action": "pause"})
    assert state.error == ar("gig.invalid_transition", status="قيد المراجعة")
    with db.transaction() as session:
        catalog.moderate(session, gig_id=gig.id, action="approve")
    listing.call(SellerGigsState, "act", {"gig": gig.id, "action": "pause"})
    assert rows(Gig)[0].status == GigStatus.PAUSED and state.gigs[0]["can_resume"]
    listing.call(SellerGigsState, "act", {"gig": str(gig.id), "action": "resume"})
    assert rows(Gig)[0].status == GigStatus.ACTIVE
    # junk actions and ids are refused without a change
    before = Tables().snapshot()
    for form in ({"gig": str(gig.id), "action": "approve"}, {"gig": "1 OR 1=1", "action": "pause"}, {"gig": -1}, "x", None):
        listing.call(SellerGigsState, "act", form)
        assert state.error
    assert Tables().snapshot() == before


# -- moderation -----------------------------------------------------------------------------


def pending_gig() -> int:
    tab = filled_editor(seller())
    tab.call(GigEditorState, "submit_for_review")
    (gig,) = gigs()
    assert gig.status == GigStatus.PENDING
    return gig.id  # type: ignore[return-value]


def moderator_tab(role: Role = Role.MODERATOR) -> Browser:
    token = add_session(add_user(f"{role.value}@example.com", name="مشرف", role=role))
    tab = Browser(token=token, path="/admin/moderation")
    tab.call(ModerationState, "open_queue")
    return tab


def test_a_plain_user_cannot_moderate(migrated_database: str) -> None:
    gig = pending_gig()
    token = add_session(add_user("user@example.com", name="مستخدم"))
    other_seller = seller("other@example.com", "بائع")
    before = Tables().snapshot()
    tab = Browser(token=token, path="/admin/moderation")
    result = tab.call(ModerationState, "open_queue")
    assert redirects(result) == ["/"] and tab.state(ModerationState).items == []
    assert any(ar("auth.forbidden") in str(event) for event in events_of(result))
    for handler in ("approve", "reject", "suspend"):
        result = tab.call(ModerationState, handler, {"gig": str(gig), "note": "سبب"})
        assert redirects(result) == ["/"]
    seller_tab = Browser(token=other_seller, path="/admin/moderation")
    assert redirects(seller_tab.call(ModerationState, "approve", {"gig": str(gig)})) == ["/"]
    assert Tables().snapshot() == before


def test_a_moderator_approves_and_rejects_with_a_reason(migrated_database: str) -> None:
    first = pending_gig()
    tab = moderator_tab()
    state = tab.state(ModerationState)
    (item,) = state.items
    assert item["id"] == str(first) and item["seller_name"] == "فهد" and item["category_ar"] == "إعلانات" and state.total == 1
    # approve: active and published
    tab.call(ModerationState, "approve", {"gig": item["id"]})
    gig = rows(Gig, Gig.id == first)[0]
    assert gig.status == GigStatus.ACTIVE and gig.published_at is not None
    assert state.items == [] and state.total == 0 and state.error == ""

    # a second gig: an empty reason is refused, a reason rejects it and is stored
    token = seller("noura@example.com", "نورة")
    editor_tab = filled_editor(token)
    editor_tab.call(GigEditorState, "submit_for_review")
    (second,) = [g.id for g in gigs() if g.id != first]
    tab.call(ModerationState, "open_queue")
    before = Tables().snapshot()
    for note in ("", "   ", None, ["x"]):
        tab.call(ModerationState, "reject", {"gig": str(second), "note": note})
        assert state.error
    assert state.error == ar("moderation.invalid_note") or state.error == ar("gig.reason_required")
    assert Tables().snapshot() == before
    tab.call(ModerationState, "reject", {"gig": str(second), "note": "الصوت غير واضح في العينة."})
    gig = rows(Gig, Gig.id == second)[0]
    assert gig.status == GigStatus.REJECTED and gig.moderation_note == "الصوت غير واضح في العينة."
    # the seller sees the reason in the list
    listing = Browser(token=token, path="/seller/gigs")
    listing.call(SellerGigsState, "open_list")
    (row,) = listing.state(SellerGigsState).gigs
    assert row["status_ar"] == "مرفوضة" and row["note"] == "الصوت غير واضح في العينة." and row["can_submit"]


def test_an_admin_suspends_with_a_reason_and_junk_is_refused(migrated_database: str) -> None:
    gig = pending_gig()
    tab = moderator_tab(Role.ADMIN)
    state = tab.state(ModerationState)
    before = Tables().snapshot()
    for form in ({"gig": "abc", "note": "x"}, {"gig": str(gig + 1000), "note": "x"}, {"gig": str(gig)}, None, "x"):
        tab.call(ModerationState, "suspend", form)
        assert state.error
    assert Tables().snapshot() == before
    tab.call(ModerationState, "suspend", {"gig": str(gig), "note": "مخالفة لشروط الاستخدام."})
    assert rows(Gig, Gig.id == gig)[0].status == GigStatus.SUSPENDED
    # the seller can no longer edit it
    with db.reading() as session:
        owner = session.exec(select(Gig.seller_id).where(Gig.id == gig)).one()
    locked = editor(add_session(owner), f"/seller/gigs/{gig}")
    assert locked.state(GigEditorState).locked
    locked.call(GigEditorState, "save_draft")
    assert locked.state(GigEditorState).error == ar("gig.suspended")


def test_the_queue_pages(migrated_database: str) -> None:
    token = seller()
    data = catalog.parse_gig(
        {"title": "تعليق صوتي خليجي لإعلانك", "category": "ads", "description": DESCRIPTION,
         "packages": [{"tier": "basic", "name": "أساسية", "price": "100", "delivery_days": 2}]}
    )
    with db.reading() as session:
        owner = session.exec(select(User.id).where(User.email == "fahad@example.com")).one()
    with db.transaction() as session:
        for _ in range(25):
            made = catalog.create_gig(session, seller_id=owner, data=data)
            catalog.change_status(session, seller_id=owner, gig_id=made.id, action="submit")
    assert token
    tab = moderator_tab()
    state = tab.state(ModerationState)
    assert state.total == 25 and state.pages == 2 and len(state.items) == 20
    tab.call(ModerationState, "go_page", 2)
    assert state.page == 2 and len(state.items) == 5
    for junk in ("x", None, -3, {"$ne": 1}):
        tab.call(ModerationState, "go_page", junk)
        assert state.page == 2
    tab.call(ModerationState, "go_page", 99)
    assert state.page == 2

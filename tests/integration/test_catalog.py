"""The gig catalogue on SQLite and Postgres: refusals that change nothing, the gig lifecycle and
moderation, who may see and edit what, and browsing with filters, sorts and SQL pagination.

Every service runs inside ``transaction()`` on the default database, as the UI and the CLI call
them, so a refusal really rolls back. The database is built by the migrations, which also seed
the niche's categories, cities and dialects.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from app import catalog
from app.accounts import SignUpInput
from app.accounts.profile import become_seller
from app.accounts.registration import create_user
from app.catalog import CatalogError
from app.core import clock
from app.core.db import reading, transaction
from app.core.i18n import translate
from app.search.engine import Filters
from models.accounts import Role, SellerProfile, User
from app.core.money import Money
from models.catalog import Category, City, Dialect, Gig, GigExtra, GigFaq, GigPackage, GigRequirement, GigSearchDoc, GigStatus
from tests.passwords import use_fast_password_hashing

T0 = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
DESCRIPTION = "أسجل إعلانك بصوت رجالي نجدي دافئ في استوديو معزول، وأسلم ملف WAV عالي الجودة مع نسخة MP3 جاهزة للنشر."


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sellers and buyers are created per test; production argon2 would dominate the run time."""
    use_fast_password_hashing(monkeypatch)


# --- helpers -------------------------------------------------------------------------------


def make_user(email: str, name: str, *, seller: bool = True, level: str = "new") -> int:
    with transaction() as session:
        user = create_user(session, SignUpInput(name=name, email=email, password="user-password-1"), role=Role.USER, verified=True)
        assert user.id is not None
        if seller:
            become_seller(session, user_id=user.id)
            profile = session.exec(select(SellerProfile).where(SellerProfile.user_id == user.id)).one()
            profile.level = level
            session.add(profile)
        return user.id


def form(**changes: Any) -> dict[str, Any]:
    """A valid gig form with ``changes`` on top."""
    data: dict[str, Any] = {
        "title": "سأسجل تعليقًا صوتيًا لإعلانك باللهجة النجدية",
        "category": "ads",
        "description": DESCRIPTION,
        "tags": ["تعليق صوتي", "إعلان"],
        "city": "riyadh",
        "dialect": "najdi",
        "packages": [
            {"tier": "basic", "name": "الباقة الأساسية", "price": "150", "delivery_days": 3},
            {"tier": "premium", "name": "الباقة المميزة", "price": "400", "delivery_days": 2, "revisions": 3},
        ],
    }
    data.update(changes)
    return data


def one_package(price: str = "150", days: int = 3) -> list[dict[str, Any]]:
    return [{"tier": "basic", "name": "الباقة الأساسية", "price": price, "delivery_days": days}]


# A voice-over gig's extras, FAQ and questions for the buyer, as the form sends them.
ROWS: dict[str, Any] = {
    "extras": [
        {"title": "تسليم سريع خلال 24 ساعة", "price": "75", "added_days": 0},
        {"title": "حقوق استخدام تجاري", "price": "120.50", "added_days": 1, "description": "للإعلانات المدفوعة"},
    ],
    "faqs": [{"question": "هل تسجل بالفصحى؟", "answer": "نعم."}, {"question": "ما صيغة الملف؟", "answer": "WAV وMP3."}],
    "requirements": [
        {"question": "أرسل النص المطلوب تسجيله"},
        {"question": "نبرة الصوت", "kind": "choice", "choices": ["رسمية", "ودية"], "required": False},
    ],
}


def create(seller_id: int, **changes: Any) -> int:
    """A draft gig made through the service."""
    with transaction() as session:
        gig = catalog.create_gig(session, seller_id=seller_id, data=catalog.parse_gig(form(**changes)))
        assert gig.id is not None
        return gig.id


def set_status(gig_id: int, status: GigStatus, **columns: Any) -> None:
    """Put a gig straight into a state (and set counters), to test what that state allows."""
    with transaction() as session:
        gig = session.get(Gig, gig_id)
        assert gig is not None
        gig.status = status.value
        if status == GigStatus.ACTIVE and gig.published_at is None:
            gig.published_at = clock.now()
        for name, value in columns.items():
            setattr(gig, name, value)
        session.add(gig)


def active(seller_id: int, **changes: Any) -> int:
    gig_id = create(seller_id, **changes)
    set_status(gig_id, GigStatus.ACTIVE)
    return gig_id


def status_of(gig_id: int) -> str:
    with reading() as session:
        gig = session.get(Gig, gig_id)
        assert gig is not None
        return gig.status


def snapshot() -> dict[str, Any]:
    """Every catalogue row (and the user count) as plain tuples: equal snapshots mean nothing changed."""
    with reading() as session:
        return {
            "gigs": sorted(
                (g.id, g.seller_id, g.category_id, g.city_id, g.dialect_id, g.title, g.description, g.tags, g.status,
                 g.moderation_note, g.price_minor, g.delivery_days, g.updated_at, g.published_at)
                for g in session.exec(select(Gig))
            ),
            "packages": sorted(
                (p.gig_id, p.tier, p.name, p.price_minor, p.delivery_days, p.revisions) for p in session.exec(select(GigPackage))
            ),
            "docs": sorted((d.gig_id, d.t_exact, d.d_exact) for d in session.exec(select(GigSearchDoc))),
            "rows": sorted(
                (type(row).__name__, row.gig_id, row.position, str(row.model_dump()))
                for model in (GigExtra, GigFaq, GigRequirement)
                for row in session.exec(select(model))
            ),
            "categories": session.exec(select(func.count()).select_from(Category)).one(),
            "users": session.exec(select(func.count()).select_from(User)).one(),
        }


def refusal(action) -> str:  # type: ignore[no-untyped-def]
    """Run ``action(session)`` in a transaction; return the CatalogError key (fails if it succeeds)."""
    with pytest.raises(CatalogError) as caught, transaction() as session:
        action(session)
    return caught.value.key


def id_of(model, slug: str) -> int:  # type: ignore[no-untyped-def]
    with reading() as session:
        return session.exec(select(model.id).where(model.slug == slug)).one()


@pytest.fixture
def fahad(migrated_database: str) -> int:
    return make_user("fahad@example.com", "فهد العتيبي")


@pytest.fixture
def noura(migrated_database: str) -> int:
    return make_user("noura@example.com", "نورة الشمري")


# --- refusals change nothing ---------------------------------------------------------------

BAD_FORMS: list[tuple[str, Any, str]] = [
    ("zero price", form(packages=one_package("0")), "gig.invalid_price"),
    ("negative price", form(packages=one_package("-150")), "gig.invalid_price"),
    ("below 20 SAR", form(packages=one_package("19.99")), "gig.invalid_price"),
    ("non-numeric price", form(packages=one_package("مئة ريال")), "gig.invalid_price"),
    ("three decimals", form(packages=one_package("150.125")), "gig.invalid_price"),
    ("absurdly large price", form(packages=one_package("1e30")), "gig.invalid_price"),
    ("100 000-character description", form(description="ص" * 100_000), "gig.invalid_description"),
    ("unknown category", form(category="knitting"), "gig.invalid_category"),
    ("unknown city", form(city="cairo"), "gig.invalid_city"),
    ("unknown dialect", form(dialect="egyptian"), "gig.invalid_dialect"),
    ("RTL override in title", form(title="\u202eتعليق صوتي احترافي لإعلانك"), "gig.invalid_title"),
    ("LTR isolate in title", form(title="\u2066تعليق صوتي احترافي\u2069 لإعلانك"), "gig.invalid_title"),
    ("emoji in title", form(title="تعليق صوتي احترافي لإعلانك 🎙️"), "gig.invalid_title"),
    ("RTL override in a tag", form(tags=["\u202eإعلان"]), "gig.invalid_tags"),
    ("emoji in a tag", form(tags=["إعلان 🔥"]), "gig.invalid_tags"),
    ("duplicate tiers", form(packages=one_package("100") + one_package("200")), "gig.invalid_packages"),
    ("premium cheaper than basic", form(packages=[
        {"tier": "basic", "name": "أساسية", "price": "300", "delivery_days": 3},
        {"tier": "premium", "name": "مميزة", "price": "200", "delivery_days": 3},
    ]), "gig.invalid_packages"),
    ("not a dict", [form()], "gig.invalid"),
    ("text instead of a form", "سأسجل تعليقًا صوتيًا", "gig.invalid"),
    ("title is a number", form(title=1234567890123), "gig.invalid_title"),
    ("days as text", form(packages=[{"tier": "basic", "name": "أساسية", "price": "150", "delivery_days": "3"}]),
     "gig.invalid_delivery_days"),
    ("packages as a dict", form(packages={"tier": "basic"}), "gig.invalid_packages"),
    ("extra below 5 SAR", form(extras=[{"title": "تسليم سريع", "price": "4.99"}]), "gig.invalid_extra_price"),
    ("seven extras", form(extras=[{"title": "تسليم سريع", "price": "10"}] * 7), "gig.invalid_extras"),
    ("choice question without options", form(requirements=[{"question": "نبرة الصوت", "kind": "choice"}]),
     "gig.invalid_requirement_choices"),
]


def test_bad_gig_forms_are_refused_with_their_key_and_change_nothing(fahad: int) -> None:
    """Every bad form is refused with the key that explains it, whether the parser or the
    taxonomy lookup catches it, and the catalogue (gigs, packages, rows, index, taxonomy) is untouched."""
    # given a seller with one existing gig
    existing = active(fahad, **ROWS)
    before = snapshot()
    for label, data, key in BAD_FORMS:
        # when the seller submits a bad form, as a new gig and as an edit of the existing one
        new = refusal(lambda s, d=data: catalog.create_gig(s, seller_id=fahad, data=catalog.parse_gig(d)))
        edit = refusal(lambda s, d=data: catalog.update_gig(s, seller_id=fahad, gig_id=existing, data=catalog.parse_gig(d)))
        # then both are refused with the expected key
        assert (new, edit) == (key, key), label
        # and nothing at all changed
        assert snapshot() == before, label
    # and each key reads as a sentence, not a raw key
    assert all(translate(key, "ar") != key for _, _, key in BAD_FORMS)


def test_an_edit_refused_half_way_leaves_the_gig_as_it_was(fahad: int) -> None:
    """The category is written before the city is looked up; the transaction must undo it."""
    # given an active gig in the ads category
    gig_id = active(fahad)
    before = snapshot()
    # when the seller moves it to audiobooks but names an unknown city
    key = refusal(lambda s: catalog.update_gig(s, seller_id=fahad, gig_id=gig_id,
                                               data=catalog.parse_gig(form(category="audiobooks", city="atlantis"))))
    # then the edit is refused and the gig keeps its category, packages and index entry
    assert key == "gig.invalid_city"
    assert snapshot() == before


def test_script_in_a_description_is_stored_verbatim(fahad: int) -> None:
    """Descriptions are Markdown source sanitised at render time; storage keeps exactly what the seller wrote."""
    # given a description with a script tag, an event handler and Markdown
    description = DESCRIPTION + '\n\n<script>alert("x")</script> <img src=x onerror="steal()"> **غامق** & <b>عريض</b>'
    # when the seller creates the gig
    gig_id = create(fahad, description=description)
    # then the gig exists and its description is stored unchanged, and shown unchanged to its owner
    with reading() as session:
        gig = session.get(Gig, gig_id)
        assert gig is not None and gig.description == description
        assert catalog.get_gig(session, gig_id, viewer_id=fahad).description == description


def test_arrows_are_allowed_in_titles_and_tags(fahad: int) -> None:
    """Language pairs are written with arrows (English ⇄ Arabic); they are symbols, not emoji."""
    # given a translation gig whose title and tags hold arrows
    title = "ترجمة سكربتات الفيديو (English ⇄ Arabic)"
    # when it is created
    gig_id = create(fahad, title=title, category="translation", tags=["إنجليزي ⇄ عربي", "عربي → إنجليزي"])
    # then title and tags are stored as written
    with reading() as session:
        detail = catalog.get_gig(session, gig_id, viewer_id=fahad)
    assert detail.card.title == title
    assert detail.tags == ("إنجليزي ⇄ عربي", "عربي → إنجليزي")


def test_a_new_gig_stores_cheapest_package_and_taxonomy(fahad: int) -> None:
    """The gig row keeps the cheapest price and the shortest delivery for fast filtering."""
    # given a form with basic (150 SAR, 3 days) and premium (400 SAR, 2 days) packages
    # when created
    gig_id = create(fahad)
    # then the gig holds 150 SAR and 2 days, its taxonomy ids and both packages
    with reading() as session:
        gig = session.get(Gig, gig_id)
        assert gig is not None
        assert (gig.price_minor, gig.delivery_days, gig.currency) == (15000, 2, "SAR")
        assert gig.category_id == id_of(Category, "ads")
        assert (gig.city_id, gig.dialect_id) == (id_of(City, "riyadh"), id_of(Dialect, "najdi"))
        detail = catalog.get_gig(session, gig_id, viewer_id=fahad)
    assert [(p.tier, p.price_minor) for p in detail.packages] == [("basic", 15000), ("premium", 40000)]
    assert detail.tags == ("تعليق صوتي", "إعلان")


# --- lifecycle -----------------------------------------------------------------------------


def test_creating_a_gig_requires_seller_mode(migrated_database: str) -> None:
    """A buyer must switch to seller mode first; the refusal tells them so."""
    # given a buyer who never turned seller
    buyer = make_user("buyer@example.com", "عبدالله القحطاني", seller=False)
    before = snapshot()
    # when they try to create a gig
    key = refusal(lambda s: catalog.create_gig(s, seller_id=buyer, data=catalog.parse_gig(form())))
    # then it is refused and no gig exists
    assert key == "gig.not_a_seller"
    assert snapshot() == before


def test_a_gig_goes_from_draft_to_review_to_active(fahad: int) -> None:
    """Nothing a seller writes is public until an admin approves it; approval stamps the publication time."""
    with clock.frozen(T0) as move:
        # given a newly created gig
        gig_id = create(fahad)
        # then it is a draft, never published
        with reading() as session:
            gig = session.get(Gig, gig_id)
            assert gig is not None and gig.status == GigStatus.DRAFT and gig.published_at is None
        # when the seller submits it
        with transaction() as session:
            catalog.change_status(session, seller_id=fahad, gig_id=gig_id, action="submit")
        # then it waits for review
        assert status_of(gig_id) == GigStatus.PENDING
        # when an admin approves it a day later
        move(T0 + timedelta(days=1))
        with transaction() as session:
            catalog.moderate(session, gig_id=gig_id, action="approve")
    # then it is active and published at that moment
    with reading() as session:
        gig = session.get(Gig, gig_id)
        assert gig is not None and gig.status == GigStatus.ACTIVE
        assert clock.as_utc(gig.published_at) == T0 + timedelta(days=1)  # type: ignore[arg-type]


def test_rejection_needs_a_reason_which_the_seller_sees(fahad: int) -> None:
    """A rejected seller must learn why; a blank reason is refused and the gig stays in review."""
    # given a gig waiting for review
    gig_id = create(fahad)
    set_status(gig_id, GigStatus.PENDING)
    # when an admin rejects it without a reason (empty or blanks)
    for note in ("", "   \n"):
        # then the rejection is refused and the gig is still pending
        assert refusal(lambda s, n=note: catalog.moderate(s, gig_id=gig_id, action="reject", note=n)) == "gig.reason_required"
        assert status_of(gig_id) == GigStatus.PENDING
    # when the admin gives a reason
    with transaction() as session:
        catalog.moderate(session, gig_id=gig_id, action="reject", note="  الصورة والعنوان لا يطابقان الخدمة  ")
    # then the gig is rejected and the trimmed note is shown to its seller
    with reading() as session:
        detail = catalog.get_gig(session, gig_id, viewer_id=fahad)
    assert detail.status == GigStatus.REJECTED
    assert detail.moderation_note == "الصورة والعنوان لا يطابقان الخدمة"
    # and the seller may fix it and submit again
    with transaction() as session:
        catalog.update_gig(session, seller_id=fahad, gig_id=gig_id, data=catalog.parse_gig(form(title="تعليق صوتي نجدي لإعلانات المطاعم")))
        catalog.change_status(session, seller_id=fahad, gig_id=gig_id, action="submit")
    assert status_of(gig_id) == GigStatus.PENDING


def test_a_suspended_gig_is_hidden_and_frozen(fahad: int) -> None:
    """Suspension is the admin's stop: it needs a reason, hides the gig and the seller can neither edit nor resume it."""
    # given an active gig
    gig_id = active(fahad)
    # when an admin suspends it without a reason, then with one
    assert refusal(lambda s: catalog.moderate(s, gig_id=gig_id, action="suspend")) == "gig.reason_required"
    assert status_of(gig_id) == GigStatus.ACTIVE
    with transaction() as session:
        catalog.moderate(session, gig_id=gig_id, action="suspend", note="شكوى حقوق ملكية")
    # then it is suspended and gone from the catalogue
    assert status_of(gig_id) == GigStatus.SUSPENDED
    with reading() as session:
        assert catalog.browse(session, Filters()).total == 0
    before = snapshot()
    # and the seller can neither edit nor resume nor resubmit it
    assert refusal(lambda s: catalog.update_gig(s, seller_id=fahad, gig_id=gig_id, data=catalog.parse_gig(form()))) == "gig.suspended"
    for action in ("resume", "submit", "pause"):
        assert refusal(lambda s, a=action: catalog.change_status(s, seller_id=fahad, gig_id=gig_id, action=a)) == "gig.invalid_transition"
    assert snapshot() == before


# (state the gig is in, the move, the state it ends in or None when refused)
SELLER_MOVES = [
    (GigStatus.DRAFT, "submit", GigStatus.PENDING),
    (GigStatus.REJECTED, "submit", GigStatus.PENDING),
    (GigStatus.ACTIVE, "pause", GigStatus.PAUSED),
    (GigStatus.PAUSED, "resume", GigStatus.ACTIVE),
    (GigStatus.DRAFT, "pause", None),
    (GigStatus.DRAFT, "resume", None),
    (GigStatus.PENDING, "pause", None),
    (GigStatus.PENDING, "resume", None),
    (GigStatus.PENDING, "submit", None),
    (GigStatus.ACTIVE, "resume", None),
    (GigStatus.ACTIVE, "submit", None),
    (GigStatus.PAUSED, "pause", None),
    (GigStatus.PAUSED, "submit", None),
    (GigStatus.REJECTED, "pause", None),
    (GigStatus.REJECTED, "resume", None),
    (GigStatus.ACTIVE, "approve", None),  # an admin move is not a seller move
    (GigStatus.ACTIVE, "delete", None),
]
ADMIN_MOVES = [
    (GigStatus.PENDING, "approve", GigStatus.ACTIVE),
    (GigStatus.PENDING, "suspend", GigStatus.SUSPENDED),
    (GigStatus.PAUSED, "suspend", GigStatus.SUSPENDED),
    (GigStatus.DRAFT, "approve", None),  # a draft was never submitted
    (GigStatus.ACTIVE, "approve", None),
    (GigStatus.REJECTED, "approve", None),
    (GigStatus.SUSPENDED, "approve", None),
    (GigStatus.DRAFT, "reject", None),
    (GigStatus.ACTIVE, "reject", None),
    (GigStatus.DRAFT, "suspend", None),
    (GigStatus.SUSPENDED, "suspend", None),
    (GigStatus.PENDING, "pause", None),
]


def test_status_moves_are_allowed_only_from_the_right_states(fahad: int) -> None:
    """The lifecycle is a fixed graph; a move from any other state is refused and leaves the gig where it was."""
    # given one gig, put into each starting state in turn
    gig_id = create(fahad)
    for start, action, end in SELLER_MOVES + ADMIN_MOVES:
        set_status(gig_id, start)
        is_admin_move = (start, action, end) in ADMIN_MOVES

        def move(session, action=action, is_admin_move=is_admin_move):  # type: ignore[no-untyped-def]
            if is_admin_move:
                return catalog.moderate(session, gig_id=gig_id, action=action, note="سبب القرار")
            return catalog.change_status(session, seller_id=fahad, gig_id=gig_id, action=action)

        # when the move is made
        if end is None:
            # then a wrong move is refused with invalid_transition and the state is kept
            assert refusal(move) == "gig.invalid_transition", (start, action)
            assert status_of(gig_id) == start, (start, action)
        else:
            # then a right move lands in its state
            with transaction() as session:
                move(session)
            assert status_of(gig_id) == end, (start, action)
    # and an admin link to a deleted or mistyped gig says so instead of failing
    assert refusal(lambda s: catalog.moderate(s, gig_id=424242, action="approve")) == "gig.not_found"


def test_a_seller_cannot_touch_another_sellers_gig(fahad: int, noura: int) -> None:
    """Ownership is part of every query: naming another seller's gig id finds nothing, and
    the refusal does not even confirm the gig exists."""
    # given Noura's active and draft gigs, the active one with extras, FAQ and questions
    hers = active(noura, title="تعليق صوتي حجازي دافئ للإعلانات", **ROWS)
    draft = create(noura, title="مسودة تعليق صوتي لم تنشر بعد")
    before = snapshot()
    for gig_id in (hers, draft, 424242):
        # when Fahad edits, pauses, resumes or submits it by id
        edit = refusal(lambda s, g=gig_id: catalog.update_gig(s, seller_id=fahad, gig_id=g, data=catalog.parse_gig(form(title="صار هذا العنوان لفهد الآن"))))
        moves = [refusal(lambda s, g=gig_id, a=a: catalog.change_status(s, seller_id=fahad, gig_id=g, action=a))
                 for a in ("pause", "resume", "submit")]
        # then each is refused as not found, exactly like a gig that does not exist
        assert [edit, *moves] == ["gig.not_found"] * 4, gig_id
    # and nothing changed
    assert snapshot() == before


def test_editing_the_text_of_a_published_gig_sends_it_back_to_review(fahad: int) -> None:
    """Admins approved the words buyers see; new words need a new approval, whether the gig is active or paused."""
    new_texts = {"title": "تعليق صوتي نجدي لإعلانات العقار", "description": DESCRIPTION + " وأضيف موسيقى خلفية مرخصة."}
    for start in (GigStatus.ACTIVE, GigStatus.PAUSED):
        for field, new_text in new_texts.items():
            # given an active (or paused) gig
            gig_id = active(fahad)
            set_status(gig_id, start)
            # when its seller changes the title or the description
            with transaction() as session:
                catalog.update_gig(session, seller_id=fahad, gig_id=gig_id, data=catalog.parse_gig(form(**{field: new_text})))
            # then it is pending review with the new text
            with reading() as session:
                gig = session.get(Gig, gig_id)
                assert gig is not None and gig.status == GigStatus.PENDING, (start, field)
                assert getattr(gig, field) == new_text
    # and none of them is listed any more
    with reading() as session:
        assert catalog.browse(session, Filters()).total == 0


def test_editing_only_prices_and_packages_keeps_a_gig_active(fahad: int) -> None:
    """Repricing is routine and carries no new claims; the gig stays listed with its new price."""
    # given an active gig from 150 SAR
    gig_id = active(fahad)
    packages = [
        {"tier": "basic", "name": "الباقة الأساسية", "price": "90", "delivery_days": 4},
        {"tier": "standard", "name": "الباقة المتوسطة", "price": "180", "delivery_days": 3},
        {"tier": "premium", "name": "الباقة المميزة", "price": "350", "delivery_days": 1},
    ]
    # when the seller changes only prices, packages, tags and city
    with transaction() as session:
        catalog.update_gig(session, seller_id=fahad, gig_id=gig_id,
                           data=catalog.parse_gig(form(packages=packages, city="jeddah", tags=["إعلان"])))
    # then it stays active, with the new cheapest price and fastest delivery and three packages
    with reading() as session:
        gig = session.get(Gig, gig_id)
        assert gig is not None and gig.status == GigStatus.ACTIVE
        assert (gig.price_minor, gig.delivery_days) == (9000, 1)
        detail = catalog.get_gig(session, gig_id)
        assert [p.tier for p in detail.packages] == ["basic", "standard", "premium"]
        assert session.exec(select(func.count()).select_from(GigPackage).where(GigPackage.gig_id == gig_id)).one() == 3
        assert detail.card.city_en == "Jeddah"


def test_rows_are_replaced_in_order_and_keep_an_active_gig_listed(fahad: int) -> None:
    """Extras, FAQ and questions are commercial terms: editing them replaces the whole set, in the
    seller's order, and a published gig stays listed (only title, description and media are reviewed)."""
    # given an active gig with two extras, two FAQ entries and two questions
    gig_id = active(fahad, **ROWS)
    with reading() as session:
        detail = catalog.get_gig(session, gig_id)
        asked = catalog.list_requirements(session, gig_id)
    # then the page's read model has them in order, extras priced as Money
    assert [(e.title, e.price, e.added_days) for e in detail.extras] == [
        ("تسليم سريع خلال 24 ساعة", Money(7500), 0), ("حقوق استخدام تجاري", Money(12050), 1),
    ]
    assert [f.question for f in detail.faqs] == ["هل تسجل بالفصحى؟", "ما صيغة الملف؟"]
    # and the order flow can read the questions, options as a tuple
    assert [(q.question, q.kind, q.choices, q.required) for q in asked] == [
        ("أرسل النص المطلوب تسجيله", "text", (), True), ("نبرة الصوت", "choice", ("رسمية", "ودية"), False),
    ]
    # when the seller reorders the FAQ, drops an extra and every question
    rows = {"extras": ROWS["extras"][1:], "faqs": ROWS["faqs"][::-1], "requirements": []}
    with transaction() as session:
        catalog.update_gig(session, seller_id=fahad, gig_id=gig_id, data=catalog.parse_gig(form(**rows)))
    # then the new set replaced the old one, renumbered from 0, and the gig is still listed
    with reading() as session:
        assert status_of(gig_id) == GigStatus.ACTIVE
        extras = session.exec(select(GigExtra).where(GigExtra.gig_id == gig_id)).all()
        assert [(e.position, e.title) for e in extras] == [(0, "حقوق استخدام تجاري")]
        assert [f.question for f in catalog.get_gig(session, gig_id).faqs] == ["ما صيغة الملف؟", "هل تسجل بالفصحى؟"]
        assert catalog.list_requirements(session, gig_id) == ()
        assert session.exec(select(func.count()).select_from(GigFaq)).one() == 2


# --- visibility ----------------------------------------------------------------------------


def test_an_unlisted_gig_is_seen_only_by_its_seller_and_admins(fahad: int, noura: int) -> None:
    """A gig page that is not active must look like a missing page to everyone else."""
    gig_id = create(fahad)
    for status in (GigStatus.DRAFT, GigStatus.PENDING, GigStatus.PAUSED, GigStatus.REJECTED, GigStatus.SUSPENDED):
        # given Fahad's gig in an unlisted state
        set_status(gig_id, status)
        with reading() as session:
            # when a visitor or another seller opens it
            # then it is not found
            for viewer in (None, noura):
                with pytest.raises(CatalogError) as caught:
                    catalog.get_gig(session, gig_id, viewer_id=viewer)
                assert caught.value.key == "gig.not_found", (status, viewer)
            # when its seller or an admin opens it
            # then they see it with its state
            assert catalog.get_gig(session, gig_id, viewer_id=fahad).status == status
            assert catalog.get_gig(session, gig_id, is_admin=True).status == status


def test_an_active_gig_is_public_and_an_unknown_id_is_not_found(fahad: int) -> None:
    """Anyone may open an active gig; a made-up id is the same not-found as a hidden gig."""
    gig_id = active(fahad)
    with reading() as session:
        detail = catalog.get_gig(session, gig_id)
        assert detail.card.id == gig_id and detail.card.seller_name == "فهد العتيبي"
        with pytest.raises(CatalogError) as caught:
            catalog.get_gig(session, gig_id + 1000)
    assert caught.value.key == "gig.not_found"


def test_browse_and_search_list_only_active_gigs(fahad: int) -> None:
    """Drafts, reviews, paused, rejected and suspended gigs never reach a listing."""
    # given one gig in every state, all saying تعليق صوتي
    ids = {}
    for status in GigStatus:
        ids[status] = create(fahad, title=f"تعليق صوتي احترافي رقم {len(ids) + 1}")
        set_status(ids[status], status)
    # when the catalogue is browsed and searched
    with reading() as session:
        browsed = catalog.browse(session, Filters())
        searched = catalog.search(session, "تعليق صوتي", Filters())
    # then only the active gig is listed
    assert [c.id for c in browsed.cards] == [ids[GigStatus.ACTIVE]] and browsed.total == 1
    assert [c.id for c in searched.cards] == [ids[GigStatus.ACTIVE]] and searched.total == 1


# --- browsing ------------------------------------------------------------------------------


@pytest.fixture
def market(migrated_database: str) -> dict[str, int]:
    """Three sellers of different levels and six active gigs published a day apart (plus a paused one)."""
    fahad = make_user("fahad@example.com", "فهد العتيبي", level="top")
    noura = make_user("noura@example.com", "نورة الشمري", level="level1")
    khaled = make_user("khaled@example.com", "خالد الكندري")
    specs = {
        # name: (seller, category, city, dialect, price SAR, days, (rating sum, count))
        "najdi_ad": (fahad, "ads", "riyadh", "najdi", "150", 2, (48, 10)),
        "hijazi_ad": (noura, "ads", "jeddah", "hijazi", "80", 5, (35, 10)),
        "cheap_ad": (noura, "ads", "jeddah", None, "40", 1, (0, 0)),
        "audiobook": (fahad, "audiobooks", "riyadh", "msa", "900", 14, (50, 10)),
        "kuwaiti_dub": (khaled, "dubbing", "kuwait", "kuwaiti", "200", 7, (27, 9)),
        "ivr": (khaled, "ivr", None, None, "60", 3, (4, 1)),
        "paused": (fahad, "ads", "riyadh", "najdi", "20", 1, (50, 10)),
    }
    ids: dict[str, int] = {}
    with clock.frozen(T0) as move:
        for day, (name, (seller, category, city, dialect, price, days, (total, count))) in enumerate(specs.items()):
            move(T0 + timedelta(days=day))
            ids[name] = create(seller, title=f"خدمة صوتية احترافية {name}", category=category, city=city, dialect=dialect,
                               packages=one_package(price, days))
            set_status(ids[name], GigStatus.ACTIVE, rating_sum=total, rating_count=count)
    set_status(ids["paused"], GigStatus.PAUSED)
    return ids


def browsed(filters: Filters = Filters(), **kwargs: Any) -> catalog.Page:
    with reading() as session:
        return catalog.browse(session, filters, **kwargs)


def names(market: dict[str, int], page: catalog.Page) -> list[str]:
    by_id = {v: k for k, v in market.items()}
    return [by_id[c.id] for c in page.cards]


def test_browse_filters_narrow_the_catalogue(market: dict[str, int]) -> None:
    """Each filter of the catalogue page narrows the active gigs by one column (prices in halalas)."""
    cases: list[tuple[str, Filters, set[str]]] = [
        ("everything", Filters(), {"najdi_ad", "hijazi_ad", "cheap_ad", "audiobook", "kuwaiti_dub", "ivr"}),
        ("category", Filters(category_id=id_of(Category, "ads")), {"najdi_ad", "hijazi_ad", "cheap_ad"}),
        ("city", Filters(city_id=id_of(City, "riyadh")), {"najdi_ad", "audiobook"}),
        ("dialect", Filters(dialect_id=id_of(Dialect, "hijazi")), {"hijazi_ad"}),
        ("city and dialect", Filters(city_id=id_of(City, "jeddah"), dialect_id=id_of(Dialect, "najdi")), set()),
        ("price from 80 SAR", Filters(price_min=8000), {"najdi_ad", "hijazi_ad", "audiobook", "kuwaiti_dub"}),
        ("price up to 80 SAR", Filters(price_max=8000), {"hijazi_ad", "cheap_ad", "ivr"}),
        ("price 60 to 150 SAR", Filters(price_min=6000, price_max=15000), {"najdi_ad", "hijazi_ad", "ivr"}),
        ("delivered within 3 days", Filters(max_days=3), {"najdi_ad", "cheap_ad", "ivr"}),
        ("4 stars and up", Filters(min_rating=4), {"najdi_ad", "audiobook", "ivr"}),  # 4.8, 5.0, 4.0; unrated excluded
        ("5 stars", Filters(min_rating=5), {"audiobook"}),
        ("3 stars and up", Filters(min_rating=3), {"najdi_ad", "hijazi_ad", "audiobook", "kuwaiti_dub", "ivr"}),
        ("top sellers", Filters(level="top"), {"najdi_ad", "audiobook"}),
        ("level one sellers", Filters(level="level1"), {"hijazi_ad", "cheap_ad"}),
        ("new sellers", Filters(level="new"), {"kuwaiti_dub", "ivr"}),
        ("everything at once", Filters(category_id=id_of(Category, "ads"), city_id=id_of(City, "riyadh"), dialect_id=id_of(Dialect, "najdi"),
                                       price_min=2000, price_max=20000, max_days=2, min_rating=4, level="top"), {"najdi_ad"}),
    ]
    for label, filters, expected in cases:
        # when the catalogue is browsed with the filter
        page = browsed(filters)
        # then exactly the matching active gigs are listed and counted (never the paused one)
        assert set(names(market, page)) == expected, label
        assert page.total == len(expected), label


def test_browse_sorts_order_the_catalogue(market: dict[str, int]) -> None:
    """Buyers sort by price either way, newest first or best rated; ties never shuffle between requests."""
    # given six active gigs published a day apart with known prices and ratings
    expected = {
        "price_asc": ["cheap_ad", "ivr", "hijazi_ad", "najdi_ad", "kuwaiti_dub", "audiobook"],
        "price_desc": ["audiobook", "kuwaiti_dub", "najdi_ad", "hijazi_ad", "ivr", "cheap_ad"],
        "newest": ["ivr", "kuwaiti_dub", "audiobook", "cheap_ad", "hijazi_ad", "najdi_ad"],
        # 5.0 (10), 4.8 (10), 4.0 (1), 3.5, 3.0, then the unrated gig last
        "rating": ["audiobook", "najdi_ad", "ivr", "hijazi_ad", "kuwaiti_dub", "cheap_ad"],
    }
    for sort, order in expected.items():
        # when browsed with that sort
        # then the order is exactly as expected, and stable
        assert names(market, browsed(sort=sort)) == order, sort
        assert names(market, browsed(sort=sort)) == order, sort
    # and an unknown sort falls back to the default instead of failing
    assert sorted(names(market, browsed(sort="; DROP TABLE gig"))) == sorted(expected["price_asc"])


def test_browse_paginates_in_sql_and_clamps_the_page(market: dict[str, int]) -> None:
    """Pages are cut by the database; a page past the end (an old link) shows the last page, not an empty one."""
    # given six active gigs, four to a page
    # when each page is requested, cheapest first
    first = browsed(sort="price_asc", page=1, per_page=4)
    second = browsed(sort="price_asc", page=2, per_page=4)
    # then the pages split the catalogue without overlap or gap
    assert (first.total, first.pages, first.page, len(first.cards)) == (6, 2, 1, 4)
    assert (second.total, second.pages, second.page, len(second.cards)) == (6, 2, 2, 2)
    assert names(market, first) + names(market, second) == ["cheap_ad", "ivr", "hijazi_ad", "najdi_ad", "kuwaiti_dub", "audiobook"]
    # when a page beyond the end, zero or negative is requested
    # then it is clamped to the last (or first) page
    assert browsed(sort="price_asc", page=99, per_page=4) == second
    assert browsed(sort="price_asc", page=0, per_page=4) == first
    assert browsed(sort="price_asc", page=-5, per_page=4) == first
    # and per_page decides the page size
    single = browsed(sort="price_asc", page=3, per_page=1)
    assert (single.pages, single.page, names(market, single)) == (6, 3, ["hijazi_ad"])
    # and a filter with no match gives one empty page
    empty = browsed(Filters(price_min=10_000_000), page=4)
    assert (empty.total, empty.pages, empty.page, empty.cards) == (0, 1, 1, ())


def test_browse_cards_carry_what_the_listing_shows(market: dict[str, int]) -> None:
    """A card is everything the listing needs without another query: seller, level, price, rating, taxonomy."""
    page = browsed(Filters(dialect_id=id_of(Dialect, "najdi")))
    (card,) = page.cards
    assert (card.seller_name, card.seller_level) == ("فهد العتيبي", "top")
    assert (card.price_minor, card.currency, card.delivery_days) == (15000, "SAR", 2)
    assert (card.rating, card.rating_count) == (4.8, 10)
    assert (card.category_slug, card.city_en) == ("ads", "Riyadh")
    assert card.published_at is not None

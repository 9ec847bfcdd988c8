"""Admins' taxonomy edits on SQLite and Postgres: validation, one level of nesting, rows in use
kept, hidden categories gone from what buyers and sellers choose from, renames re-indexed."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from app import catalog
from app.catalog import CatalogError, taxonomy_admin as admin
from app.catalog.taxonomy import category_by_slug
from app.core.db import reading, transaction
from app.search.engine import search
from models.catalog import Category, City, Gig
from state.catalog import Taxonomy, term_options
from tests.integration.statekit import add_published_gig
from tests.passwords import use_fast_password_hashing


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_password_hashing(monkeypatch)


def category(**changes: Any) -> dict[str, Any]:
    return {"slug": "radio-ads", "name_ar": "إعلانات إذاعية", "name_en": "Radio ads", "icon": "radio", **changes}


def create(kind: str = "category", **changes: Any) -> None:
    with transaction() as session:
        admin.create_term(session, kind=kind, data=admin.parse_term(kind, category(**changes)))


def refusal(action: Any) -> str:
    """The key of the TaxonomyError ``action(session)`` raises; the transaction rolls back."""
    with transaction() as session, pytest.raises(CatalogError) as refused:
        action(session)
    return refused.value.key


def slugs(kind: str = "category") -> list[str]:
    with reading() as session:
        return [t.slug for t in admin.list_terms(session, kind)]


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"slug": "Radio Ads"}, "taxonomy.invalid_slug"),
        ({"slug": "إعلانات"}, "taxonomy.invalid_slug"),
        ({"slug": ""}, "taxonomy.invalid_slug"),
        ({"name_ar": "ا"}, "taxonomy.invalid_name_ar"),
        ({"name_en": "x" * 81}, "taxonomy.invalid_name_en"),
        ({"name_ar": "إعلانات \u202eإذاعية"}, "taxonomy.invalid_name_ar"),
        ({"icon": "skull"}, "taxonomy.invalid_icon"),
        ({"description_en": "x" * 301}, "taxonomy.invalid_description_en"),
        ({"parent": "Ads!"}, "taxonomy.invalid_parent"),
        ({"name_ar": None}, "taxonomy.invalid_name_ar"),
    ],
)
def test_bad_forms_are_refused_with_the_field(changes: dict[str, Any], key: str) -> None:
    with pytest.raises(CatalogError) as refused:
        admin.parse_term("category", category(**changes))
    assert refused.value.key == key


def test_unknown_kinds_and_non_forms_are_refused() -> None:
    for kind, data, key in [("gig", category(), "taxonomy.invalid_kind"), (["city"], category(), "taxonomy.invalid_kind"), ("city", "slug=x", "taxonomy.invalid")]:
        with pytest.raises(CatalogError) as refused:
            admin.parse_term(kind, data)  # type: ignore[arg-type]
        assert refused.value.key == key


def test_a_category_and_a_sub_category_are_added_last_and_listed_in_a_tree(migrated_database: str) -> None:
    # given the seeded categories
    seeded = slugs()
    # when an admin adds a top-level category and a sub-category of the first seeded one
    create(slug="radio", name_ar="إذاعة", name_en="Radio")
    create(parent=seeded[0])
    # then the top-level one comes last, the sub-category right after its parent
    assert slugs() == [seeded[0], "radio-ads", *seeded[1:], "radio"]
    with reading() as session:
        listed = {t.slug: t for t in admin.list_terms(session, "category")}
        public = catalog.list_categories(session)
    assert listed["radio-ads"].parent == seeded[0] and listed[seeded[0]].children == 1
    assert [t.slug for t in public] == slugs()
    # and the filters name the sub-category after its parent
    with reading() as session:
        options = {o["slug"]: o for o in term_options(Taxonomy.load(session).categories)}
    assert options["radio-ads"]["name_ar"] == f"{listed[seeded[0]].name_ar} › إعلانات إذاعية"


def test_slugs_are_unique_per_list(migrated_database: str) -> None:
    # given a seeded category slug and a seeded city
    # when they are added again
    # then each list refuses its own duplicate, while another list may reuse the slug
    assert refusal(lambda s: admin.create_term(s, kind="category", data=admin.parse_term("category", category(slug="ads")))) == "taxonomy.slug_taken"
    assert refusal(lambda s: admin.create_term(s, kind="city", data=admin.parse_term("city", category(slug="riyadh")))) == "taxonomy.slug_taken"
    create(kind="city", slug="ads")
    assert "ads" in slugs("city")


def test_only_one_level_of_sub_categories(migrated_database: str) -> None:
    # given a sub-category of "ads"
    create(parent="ads")
    # when a sub-category of the sub-category is asked for, or of an unknown parent
    # then both are refused, and so is making a parent with children a sub-category, or a row its own parent
    assert refusal(lambda s: admin.create_term(s, kind="category", data=admin.parse_term("category", category(slug="radio-jingles", parent="radio-ads")))) == "taxonomy.too_deep"
    assert refusal(lambda s: admin.create_term(s, kind="category", data=admin.parse_term("category", category(slug="x-ads", parent="nowhere")))) == "taxonomy.unknown_parent"
    moved = category(slug="ads", parent="dubbing")
    assert refusal(lambda s: admin.update_term(s, kind="category", data=admin.parse_term("category", moved))) == "taxonomy.has_children"
    assert refusal(lambda s: admin.update_term(s, kind="category", data=admin.parse_term("category", {**moved, "parent": "ads"}))) == "taxonomy.invalid_parent"
    assert slugs().count("radio-ads") == 1


def test_a_hidden_category_leaves_buyers_and_sellers_lists_but_its_gigs_keep_it(migrated_database: str) -> None:
    # given a live gig in "ads", and a sub-category of "ads"
    gig = add_published_gig("تسجيل إعلان إذاعي قصير لمتجرك")
    create(parent="ads")
    # when the admin hides "ads"
    with transaction() as session:
        admin.set_category_active(session, slug="ads", active=False)
    # then the home page, the filters and the editor no longer offer it nor its sub-category ...
    with reading() as session:
        listed = [t.slug for t in catalog.list_categories(session)]
        filters = Taxonomy.load(session).categories
        for slug in ("ads", "radio-ads"):
            with pytest.raises(CatalogError):
                category_by_slug(session, slug)
        # ... while the gig keeps its category and is still found
        assert session.get(Gig, gig).category_id == session.exec(select(Category.id).where(Category.slug == "ads")).one()
        assert gig in [h.gig_id for h in search(session, "إعلان إذاعي")]
    assert "ads" not in listed and "radio-ads" not in listed and "ads" not in filters
    assert "ads" in slugs()  # the console still lists it
    # and showing it again brings both back
    with transaction() as session:
        admin.set_category_active(session, slug="ads", active=True)
    with reading() as session:
        assert {"ads", "radio-ads"} <= {t.slug for t in catalog.list_categories(session)}


def test_rows_in_use_are_never_deleted(migrated_database: str) -> None:
    # given a gig in "ads", a city no gig uses and a sub-category
    add_published_gig("تسجيل إعلان إذاعي قصير لمتجرك")
    create(parent="dubbing")
    create(kind="city", slug="abha", name_ar="أبها", name_en="Abha")
    # when each is deleted
    # then the category with gigs and the parent with a sub-category stay; the unused rows go
    assert refusal(lambda s: admin.delete_term(s, kind="category", slug="ads")) == "taxonomy.in_use"
    assert refusal(lambda s: admin.delete_term(s, kind="category", slug="dubbing")) == "taxonomy.has_children"
    assert refusal(lambda s: admin.delete_term(s, kind="city", slug="nowhere")) == "taxonomy.not_found"
    with transaction() as session:
        admin.delete_term(session, kind="category", slug="radio-ads")
        admin.delete_term(session, kind="city", slug="abha")
    assert "radio-ads" not in slugs() and "abha" not in slugs("city") and "ads" in slugs()


def test_moving_swaps_with_the_neighbour_among_siblings(migrated_database: str) -> None:
    # given the seeded cities
    cities = slugs("city")
    # when the second moves up, the first moves up (already first), the last moves down
    with transaction() as session:
        admin.move_term(session, kind="city", slug=cities[1], step=-1)
        admin.move_term(session, kind="city", slug=cities[1], step=-1)
        admin.move_term(session, kind="city", slug=cities[-1], step=1)
    # then only the first two swapped
    assert slugs("city") == [cities[1], cities[0], *cities[2:]]
    for step in (0, 2, True, 1.0, "1", None):
        assert refusal(lambda s: admin.move_term(s, kind="city", slug=cities[0], step=step)) == "taxonomy.invalid"


def test_sub_categories_move_among_their_own_siblings(migrated_database: str) -> None:
    create(slug="radio-ads", parent="ads")
    create(slug="tv-ads", name_ar="إعلانات تلفزيونية", name_en="TV ads", parent="ads")
    with transaction() as session:
        admin.move_term(session, kind="category", slug="tv-ads", step=-1)
    assert slugs()[:3] == ["ads", "tv-ads", "radio-ads"]


def test_renaming_a_category_re_indexes_its_gigs(migrated_database: str) -> None:
    # given a gig in "ads" that never says «ترويج»
    gig = add_published_gig("تسجيل صوتي قصير لمتجرك الإلكتروني")
    with reading() as session:
        assert gig not in [h.gig_id for h in search(session, "ترويج")]
        ads = session.exec(select(Category).where(Category.slug == "ads")).one()
        form = {"slug": "ads", "name_ar": "إعلانات وترويج", "name_en": ads.name_en, "icon": ads.icon, "description_ar": "وصف"}
    # when the category is renamed
    with transaction() as session:
        admin.update_term(session, kind="category", data=admin.parse_term("category", form))
    # then its gig is found by the new name, and the other fields took the new values
    with reading() as session:
        assert gig in [h.gig_id for h in search(session, "ترويج")]
        ads = session.exec(select(Category).where(Category.slug == "ads")).one()
        assert (ads.name_ar, ads.description_ar, ads.description_en) == ("إعلانات وترويج", "وصف", "")


def test_a_city_is_renamed_by_its_slug(migrated_database: str) -> None:
    city = slugs("city")[0]
    with transaction() as session:
        admin.update_term(session, kind="city", data=admin.parse_term("city", {"slug": city, "name_ar": "  الرياض   العاصمة ", "name_en": "Riyadh"}))
    with reading() as session:
        assert session.exec(select(City.name_ar).where(City.slug == city)).one() == "الرياض العاصمة"
    assert refusal(lambda s: admin.update_term(s, kind="city", data=admin.parse_term("city", {"slug": "atlantis", "name_ar": "أتلانتس", "name_en": "Atlantis"}))) == "taxonomy.not_found"

"""The public seller page /sellers/<n>, through the service and its real handler, on SQLite and Postgres."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app import catalog
from app.catalog import CatalogError
from app.core import db
from models.accounts import SellerProfile, User
from models.catalog import GigStatus
from state.seller_profile import SellerProfileState
from tests.integration.statekit import Browser, add_user, ar, snapshot_database
from tests.integration.test_catalog_state import make_gig, make_seller
from tests.passwords import use_fast_password_hashing


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_password_hashing(monkeypatch)


@pytest.fixture
def sellers(migrated_database: str) -> dict[str, int]:
    fahad = make_seller("fahad@example.com", "فهد العتيبي", level="top")
    with db.transaction() as session:
        user = session.get(User, fahad)
        user.city, user.languages, user.bio = "riyadh", "العربية,الإنجليزية", "صوت نجدي دافئ للإعلانات."
        session.add(user)
        profile = session.exec(select(SellerProfile).where(SellerProfile.user_id == fahad)).one()
        profile.dialects = "najdi,unknown-dialect"
        session.add(profile)
    noura = make_seller("noura@example.com", "نورة الشمري")
    return {
        "fahad": fahad,
        "noura": noura,
        "buyer": add_user("buyer@example.com", name="عبدالله"),
        "ad": make_gig(fahad, "تعليق صوتي احترافي لإعلانك باللهجة النجدية"),
        "book": make_gig(fahad, "قراءة كتاب صوتي كامل بصوت رخيم وأداء درامي", category="audiobooks"),
        "paused": make_gig(fahad, "تعليق صوتي لإعلان متوقف مؤقتًا عن البيع", status=GigStatus.PAUSED),
        "draft": make_gig(fahad, "تعليق صوتي في مسودة لم تنشر بعد للمشترين", status=GigStatus.DRAFT),
        "other": make_gig(noura, "تعليق صوتي حجازي دافئ للإعلانات والسوشال ميديا"),
    }


def open_page(path: str) -> SellerProfileState:
    tab = Browser(path=path)
    tab.call(SellerProfileState, "open_page")
    return tab.state(SellerProfileState)


def test_service_shows_the_profile_and_only_active_gigs(sellers: dict[str, int]) -> None:
    with db.reading() as session:
        view = catalog.get_seller_profile(session, seller_key=sellers["fahad"])
        page = catalog.list_seller_cards(session, seller_key=sellers["fahad"])
    assert (view.name, view.level, view.city_ar, view.city_en) == ("فهد العتيبي", "top", "الرياض", "Riyadh")
    assert view.languages == ("العربية", "الإنجليزية")
    assert view.dialects_en[1] == "unknown-dialect"
    assert {c.id for c in page.cards} == {sellers["ad"], sellers["book"]}


@pytest.mark.parametrize("who", ["buyer", "unknown"])
def test_service_refuses_non_sellers(sellers: dict[str, int], who: str) -> None:
    key = sellers["buyer"] if who == "buyer" else 987_654
    with db.reading() as session, pytest.raises(CatalogError) as error:
        catalog.get_seller_profile(session, seller_key=key)
    assert error.value.key == "seller.not_found"


def test_page_shows_display_text_and_active_cards(sellers: dict[str, int]) -> None:
    before = snapshot_database()
    state = open_page(f"/sellers/{sellers['fahad']}")
    assert state.loaded and not state.not_found
    assert (state.name, state.level, state.level_ar, state.city_ar) == ("فهد العتيبي", "top", ar("level.top"), "الرياض")
    assert state.languages == ["العربية", "الإنجليزية"] and state.dialects_ar.endswith("، unknown-dialect")
    assert state.bio == "صوت نجدي دافئ للإعلانات." and state.since_ar and state.since_en
    assert {int(c["id"]) for c in state.results} == {sellers["ad"], sellers["book"]}
    assert state.total == 2 and state.pages == 1 and state.next_href == ""
    assert snapshot_database() == before


def test_page_is_paged_in_sql(sellers: dict[str, int]) -> None:
    for n in range(24):
        make_gig(sellers["noura"], f"تعليق صوتي رقم {n} لإعلانات المتاجر الإلكترونية")
    state = open_page(f"/sellers/{sellers['noura']}")
    assert (state.total, state.pages, len(state.results), state.next_href) == (25, 2, 24, f"/sellers/{sellers['noura']}?page=2")
    state = open_page(f"/sellers/{sellers['noura']}?page=2")
    assert (state.page, len(state.results), state.prev_href) == (2, 1, f"/sellers/{sellers['noura']}")


@pytest.mark.parametrize("suffix", ["buyer", "999999", "0", "-1", "abc", "١", "99999999999999999999999", ""])
def test_unknown_or_non_seller_is_not_found(sellers: dict[str, int], suffix: str) -> None:
    key = str(sellers["buyer"]) if suffix == "buyer" else suffix
    state = open_page(f"/sellers/{key}")
    assert state.loaded and state.not_found
    assert state.name == "" and state.results == []

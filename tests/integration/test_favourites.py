"""Favourites (المفضلة): the service and the gig page's heart and /favourites, on SQLite and Postgres."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import select

from app import catalog
from app.catalog import CatalogError
from app.core import clock, db
from models.catalog import Favourite, Gig, GigStatus
from state.favourites import FavouritesState
from state.gig import GigState
from tests.integration.statekit import Browser, add_session, add_user, ar, redirects, rows, snapshot_database
from tests.integration.test_catalog_state import make_gig, make_seller
from tests.passwords import use_fast_password_hashing


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_password_hashing(monkeypatch)


@pytest.fixture
def shop(migrated_database: str) -> dict[str, int]:
    seller = make_seller("fahad@example.com", "فهد العتيبي", level="top")
    return {
        "seller": seller,
        "buyer": add_user("buyer@example.com", name="عبدالله"),
        "other": add_user("other@example.com", name="سارة"),
        "ad": make_gig(seller, "تعليق صوتي احترافي لإعلانك باللهجة النجدية"),
        "book": make_gig(seller, "قراءة كتاب صوتي كامل بصوت رخيم وأداء درامي", category="audiobooks"),
        "paused": make_gig(seller, "تعليق صوتي لإعلان متوقف مؤقتًا عن البيع", status=GigStatus.PAUSED),
    }


def toggle(user: int, gig: int) -> bool:
    with db.transaction() as session:
        return catalog.toggle_favourite(session, user_id=user, gig_id=gig)


def listed(user: int, page: int = 1, per_page: int = 24) -> catalog.Page:
    with db.reading() as session:
        return catalog.list_favourites(session, user_id=user, page=page, per_page=per_page)


# -- the service ----------------------------------------------------------------------------


def test_toggle_adds_then_removes(shop: dict[str, int]) -> None:
    assert toggle(shop["buyer"], shop["ad"]) is True
    assert [(f.user_id, f.gig_id) for f in rows(Favourite)] == [(shop["buyer"], shop["ad"])]
    with db.reading() as session:
        assert catalog.favourite_ids(session, user_id=shop["buyer"], gig_ids=[shop["ad"], shop["book"]]) == {shop["ad"]}
    assert toggle(shop["buyer"], shop["ad"]) is False
    assert rows(Favourite) == []


def test_only_active_gigs_can_be_added_but_removing_always_works(shop: dict[str, int]) -> None:
    for gig in (shop["paused"], 999_999):
        with pytest.raises(CatalogError) as error:
            toggle(shop["buyer"], gig)
        assert error.value.key == "gig.not_found"
    assert rows(Favourite) == []
    # a saved gig that is paused later can still be taken out, and no longer shows in the list
    toggle(shop["buyer"], shop["ad"])
    with db.transaction() as session:
        gig = session.get(Gig, shop["ad"])
        gig.status = GigStatus.PAUSED.value
        session.add(gig)
    assert listed(shop["buyer"]).total == 0
    assert toggle(shop["buyer"], shop["ad"]) is False
    assert rows(Favourite) == []


def test_another_users_favourites_are_never_shown(shop: dict[str, int]) -> None:
    toggle(shop["buyer"], shop["ad"])
    toggle(shop["other"], shop["book"])
    assert [c.id for c in listed(shop["buyer"]).cards] == [shop["ad"]]
    assert [c.id for c in listed(shop["other"]).cards] == [shop["book"]]
    with db.reading() as session:
        assert catalog.favourite_ids(session, user_id=shop["other"], gig_ids=[shop["ad"]]) == set()


def test_double_insert_is_absorbed_by_the_unique_constraint(shop: dict[str, int]) -> None:
    # given a favourite another request saved between our check and our insert
    toggle(shop["buyer"], shop["ad"])
    with db.transaction() as session:
        # the unique constraint refuses a second row; the savepoint keeps the transaction usable
        from sqlalchemy.exc import IntegrityError

        with pytest.raises(IntegrityError), session.begin_nested():
            session.add(Favourite(user_id=shop["buyer"], gig_id=shop["ad"], created_at=clock.now()))
            session.flush()
        assert session.exec(select(Favourite)).all()
    assert len(rows(Favourite)) == 1


def test_concurrent_double_clicks_leave_one_row(shop: dict[str, int]) -> None:
    results: list[object] = []

    def click() -> None:
        try:
            results.append(toggle(shop["buyer"], shop["book"]))
        except Exception as exc:  # noqa: BLE001 - a lost race must not raise; recorded to fail below
            results.append(exc)

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(r, bool) for r in results), results
    assert len(rows(Favourite)) <= 1


def test_list_is_newest_first_and_paged_in_sql(shop: dict[str, int]) -> None:
    extra = [make_gig(shop["seller"], f"تعليق صوتي رقم {n} لإعلانات المتاجر الإلكترونية") for n in range(3)]
    order = [shop["ad"], shop["book"], *extra]
    for gig in order:
        toggle(shop["buyer"], gig)
    first, second, third = (listed(shop["buyer"], page=n, per_page=2) for n in (1, 2, 3))
    assert (first.total, first.pages) == (5, 3)
    shown = [c.id for p in (first, second, third) for c in p.cards]
    assert sorted(shown) == sorted(order) and len(shown) == 5
    assert listed(shop["buyer"], page=99, per_page=2).page == 3


# -- the handlers ---------------------------------------------------------------------------


def test_heart_signed_out_redirects_to_log_in_and_changes_nothing(shop: dict[str, int]) -> None:
    before = snapshot_database()
    tab = Browser(path=f"/gig/{shop['ad']}")
    result = tab.call(GigState, "toggle_favourite")
    assert redirects(result) == [f"/login?next=/gig/{shop['ad']}"]
    assert snapshot_database() == before


def test_heart_signed_in_toggles_and_the_page_shows_it(shop: dict[str, int]) -> None:
    token = add_session(shop["buyer"])
    tab = Browser(token=token, path=f"/gig/{shop['ad']}")
    tab.call(GigState, "open_page")
    page = tab.state(GigState)
    assert page.favourite is False and page.seller_href == f"/sellers/{shop['seller']}"
    tab.call(GigState, "toggle_favourite")
    assert page.favourite is True
    assert [(f.user_id, f.gig_id) for f in rows(Favourite)] == [(shop["buyer"], shop["ad"])]
    again = Browser(token=token, path=f"/gig/{shop['ad']}")
    again.call(GigState, "open_page")
    assert again.state(GigState).favourite is True
    tab.call(GigState, "toggle_favourite")
    assert page.favourite is False and rows(Favourite) == []


def test_heart_on_an_inactive_gig_is_refused(shop: dict[str, int]) -> None:
    tab = Browser(token=add_session(shop["seller"]), path=f"/gig/{shop['paused']}")
    tab.call(GigState, "toggle_favourite")
    assert rows(Favourite) == [] and tab.state(GigState).favourite is False


def test_favourites_page_signed_out_redirects(shop: dict[str, int]) -> None:
    tab = Browser(path="/favourites")
    result = tab.call(FavouritesState, "open_page")
    assert redirects(result) == ["/login?next=/favourites"]
    assert tab.state(FavouritesState).results == []


def test_favourites_page_lists_only_the_viewers_cards_with_pages(shop: dict[str, int]) -> None:
    toggle(shop["other"], shop["book"])
    token = add_session(shop["buyer"])
    tab = Browser(token=token, path="/favourites")
    tab.call(FavouritesState, "open_page")
    page = tab.state(FavouritesState)
    assert page.loaded and page.results == [] and page.total == 0
    assert ar("favourites.empty") == "لم تضف أي خدمة إلى المفضلة بعد"
    for n in range(25):
        toggle(shop["buyer"], make_gig(shop["seller"], f"تعليق صوتي رقم {n} لإعلانات المتاجر الإلكترونية"))
    tab.call(FavouritesState, "open_page")
    assert (page.total, page.pages, len(page.results), page.next_href, page.prev_href) == (25, 2, 24, "/favourites?page=2", "")
    assert shop["book"] not in {int(c["id"]) for c in page.results}
    assert page.results[0]["seller_href"] == f"/sellers/{shop['seller']}"
    tab.visit("/favourites?page=2")
    tab.call(FavouritesState, "open_page")
    assert (page.page, len(page.results), page.prev_href, page.next_href) == (2, 1, "/favourites", "")
    tab.visit("/favourites?page=junk")
    tab.call(FavouritesState, "open_page")
    assert page.page == 1

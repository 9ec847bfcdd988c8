"""Founding sellers' invite codes on a migrated database (SQLite and Postgres): an admin makes
codes, a seller redeems one once (the badge and the founding commission from that moment), and
every refusal changes nothing: spent, expired, revoked, junk, a buyer, a second code, a non-admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from app.core import db
from app.core.clock import as_utc
from app.trust import founding
from app.trust.errors import TrustError
from models.accounts import InviteCode, SellerProfile
from state.gig import GigState
from state.invites import InvitesState
from state.seller import SellerGigsState
from state.seller_profile import SellerProfileState
from tests.integration.orderkit import T0, act, now, order_of, place, shop  # noqa: F401 (fixtures)
from tests.integration.statekit import Browser, add_session, ar, snapshot_database
from tests.integration.test_order_state import toasts
from tests.integration.test_catalog_state import make_seller
from tests.passwords import use_fast_password_hashing


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_password_hashing(monkeypatch)


def make_codes(shop: dict[str, int], count: int = 2, days: int = 30) -> list[str]:
    codes = act(founding.create_codes, admin_id=shop["admin"], count=count, note="الدفعة الأولى", valid_days=days, now=T0)
    return [code.code for code in codes]


def founding_since(user_id: int):  # type: ignore[no-untyped-def]
    with db.reading() as session:
        since = session.exec(select(SellerProfile.founding_since).where(SellerProfile.user_id == user_id)).one()
    return as_utc(since) if since else None


def refusal(**kwargs: object) -> str:
    before = snapshot_database()
    with pytest.raises(TrustError) as caught:
        act(founding.redeem_code, now=T0, **kwargs)
    assert snapshot_database() == before
    return caught.value.key


def test_a_seller_redeems_a_code_once_and_pays_the_founding_rate(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    first, second = make_codes(shop)
    assert len(first) == founding.CODE_LENGTH and set(first) <= set(founding.ALPHABET) and first != second
    # typed as people type it: lower case, with spaces and dashes
    act(founding.redeem_code, user_id=shop["seller"], code=f" {first[:5].lower()}-{first[5:]} ", now=T0)
    assert founding_since(shop["seller"]) == T0
    assert order_of(place(shop)).commission_rule == "founding"
    # a second code for the same seller, and the spent code for another seller, are refused
    assert refusal(user_id=shop["seller"], code=second) == "trust.already_founding"
    other = make_seller("noura@example.com", "نورة")
    assert refusal(user_id=other, code=first) == "trust.bad_code"


@pytest.mark.parametrize("code", ["", "   ", None, 12345, "X" * 10, "ABCDEFGHJKMN" * 3, ["ABC"], {"code": "x"}])
def test_junk_codes_are_refused(shop: dict[str, int], now, code: object) -> None:  # type: ignore[no-untyped-def]
    make_codes(shop)
    assert refusal(user_id=shop["seller"], code=code) == "trust.bad_code"


def test_expired_and_revoked_codes_are_refused_like_unknown_ones(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    expiring, revoked = make_codes(shop, days=1)
    with db.reading() as session:
        revoked_id = session.exec(select(InviteCode.id).where(InviteCode.code == revoked)).one()
    act(founding.revoke_code, admin_id=shop["admin"], code_id=revoked_id, now=T0)
    assert refusal(user_id=shop["seller"], code=revoked) == "trust.bad_code"
    before = snapshot_database()
    with pytest.raises(TrustError):
        act(founding.redeem_code, user_id=shop["seller"], code=expiring, now=T0 + timedelta(days=1))
    assert snapshot_database() == before


def test_only_sellers_redeem_and_only_admins_make_codes(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    [code] = make_codes(shop, count=1)
    assert refusal(user_id=shop["buyer"], code=code) == "trust.sellers_only"
    for who in ("buyer", "seller"):
        with pytest.raises(TrustError, match="trust.admin_only"):
            act(founding.create_codes, admin_id=shop[who], count=1, note="", valid_days=30, now=T0)


@pytest.mark.parametrize(("count", "days", "note"), [(0, 30, ""), (51, 30, ""), (True, 30, ""), ("5", 30, ""), (5, 0, ""), (5, 366, ""), (5, 30, "x" * 201), (5, 30, None)])
def test_a_bad_batch_is_refused(shop: dict[str, int], now, count: object, days: object, note: object) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TrustError, match="trust.invalid_batch"):
        act(founding.create_codes, admin_id=shop["admin"], count=count, note=note, valid_days=days, now=T0)


def test_a_spent_code_cannot_be_revoked(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    [code] = make_codes(shop, count=1)
    act(founding.redeem_code, user_id=shop["seller"], code=code, now=T0)
    with db.reading() as session:
        code_id = session.exec(select(InviteCode.id).where(InviteCode.code == code)).one()
    with pytest.raises(TrustError, match="trust.code_spent"):
        act(founding.revoke_code, admin_id=shop["admin"], code_id=code_id, now=T0)


def test_the_admin_page_makes_lists_and_revokes_codes(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    page = Browser(token=add_session(shop["admin"]), path="/admin/invites")
    page.call(InvitesState, "open_page")
    page.call(InvitesState, "create", {"count": "3", "days": "14", "note": "معلقو جدة"})
    shown = page.state(InvitesState)
    assert len(shown.fresh) == 3 and [item["state"] for item in shown.items] == ["open"] * 3
    page.call(InvitesState, "revoke", {"code": shown.items[0]["key"]})
    assert page.state(InvitesState).items[0]["state"] == "revoked"
    # junk changes nothing
    before = snapshot_database()
    for form in ({"count": "-1", "days": "14"}, {"count": "3"}, "junk", None, {"count": "9" * 30, "days": "1"}):
        page.call(InvitesState, "create", form)
    page.call(InvitesState, "revoke", {"code": "0"})
    assert snapshot_database() == before


def test_a_seller_page_shows_the_badge_after_redeeming_on_their_gigs_page(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    [code] = make_codes(shop, count=1)
    mine = Browser(token=add_session(shop["seller"]), path="/seller/gigs")
    mine.call(SellerGigsState, "open_list")
    assert not mine.state(SellerGigsState).founding
    assert ar("trust.bad_code") in toasts(mine.call(SellerGigsState, "redeem_invite", {"code": "NOPE"}))
    assert ar("trust.founding_welcome") in toasts(mine.call(SellerGigsState, "redeem_invite", {"code": code}))
    assert mine.state(SellerGigsState).founding
    public = Browser(token="", path=f"/sellers/{shop['seller']}")
    public.call(SellerProfileState, "open_page")
    assert public.state(SellerProfileState).founding
    gig = Browser(token="", path=f"/gig/{shop['gig']}")
    gig.call(GigState, "open_page")
    assert gig.state(GigState).seller_founding

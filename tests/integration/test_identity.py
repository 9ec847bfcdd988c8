"""Identity verification on a migrated database (SQLite and Postgres): a seller asks with a
freelance document number or a private identity document, an admin decides, the «هوية موثّقة»
badge appears on the seller's page data, the gig page data and the server-rendered pages, and
goes again when withdrawn; the document is served to its owner and admins only and deleted once
decided; every refusal changes nothing. Also: a review a moderator removed no longer shows on
the order page."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from app import catalog, reviews
from app.catalog.sellers import get_seller_profile
from app.core import db
from app.core.clock import as_utc
from app.core.errors import MihanError
from app.http import build_routes
from app.seo import cache
from app.trust import identity
from app.trust.errors import TrustError
from app.reviews.services import remove_review
from models.orders import Notification
from models.reviews import Review
from models.trust import IdentityVerification
from state.identity import IdentityState, VerificationsQueueState
from state.order_reviews import OrderReviewState
from state.session import SessionState
from tests.integration.orderkit import T0, act, completed, now, shop  # noqa: F401 (fixtures)
from tests.integration.statekit import Browser, add_session, ar, png_bytes, snapshot_database, upload
from tests.integration.test_order_state import toasts
from tests.passwords import use_fast_password_hashing

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
NAME = "فهد بن سعد العتيبي"


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_password_hashing(monkeypatch)


@pytest.fixture
def client():  # type: ignore[no-untyped-def]
    cache.clear()  # each test's database restarts the SEO content version
    with TestClient(build_routes(), follow_redirects=True) as http:
        yield http
    cache.clear()


def ask_by_number(seller: int, number: object = " fl 123-456-789 ", name: object = NAME, when=T0):  # type: ignore[no-untyped-def]
    return act(identity.request_with_number, seller_id=seller, name=name, number=number, now=when)


def ask_by_document(seller: int, data: object = None, filename: object = "هويتي.png", when=T0):  # type: ignore[no-untyped-def]
    return act(identity.request_with_document, seller_id=seller, name=NAME, filename=filename, data=png_bytes() if data is None else data, now=when)


def decide(shop: dict[str, int], request_id: int, approve: object = True, reason: object = "", when=T0):  # type: ignore[no-untyped-def]
    return act(identity.decide, admin_id=shop["admin"], request_id=request_id, approve=approve, reason=reason, now=when)


def key_of(fn, /, **kwargs: object) -> str:  # type: ignore[no-untyped-def]
    """The refusal's key (its transaction rolled back)."""
    with pytest.raises(MihanError) as caught:
        act(fn, **kwargs)
    return caught.value.key


def refused(fn, /, **kwargs: object) -> str:  # type: ignore[no-untyped-def]
    """The refusal's key; the database is exactly as before."""
    before = snapshot_database()
    key = key_of(fn, **kwargs)
    assert snapshot_database() == before
    return key


def badges(shop: dict[str, int], client: TestClient) -> tuple[bool, bool, bool, bool]:
    """Whether the badge shows on the seller page data, the gig page data and both public pages."""
    with db.reading() as session:
        profile = get_seller_profile(session, seller_key=shop["seller"])
        gig = catalog.get_gig(session, shop["gig"])
    seller_html = client.get(f"/ar/sellers/{shop['seller']}").text
    gig_html = client.get(f"/ar/gigs/{shop['gig']}").text
    mark = ar("identity.badge")
    return profile.verified, gig.seller_verified, mark in seller_html, mark in gig_html


def notifications(user_id: int) -> list[str]:
    with db.reading() as session:
        return list(session.exec(select(Notification.kind).where(Notification.user_id == user_id).order_by(Notification.id)).all())


def test_a_freelance_number_approved_shows_the_badge_everywhere_until_withdrawn(shop: dict[str, int], client: TestClient) -> None:
    assert badges(shop, client) == (False, False, False, False)
    request = ask_by_number(shop["seller"])
    assert (request.document_number, request.legal_name, request.token) == ("FL-123456789", NAME, None)
    # the public pages do not claim what nobody checked yet
    assert badges(shop, client) == (False, False, False, False)
    decided = decide(shop, request.id, approve=True, when=T0 + timedelta(hours=2))
    assert (decided.status, decided.decided_by, decided.decided_at) == ("approved", shop["admin"], T0 + timedelta(hours=2))
    assert badges(shop, client) == (True, True, True, True)
    assert refused(identity.request_with_number, seller_id=shop["seller"], name=NAME, number="FL-123456789", now=T0) == "identity.already_verified"
    # an admin withdraws it: the badge goes from the data and from the cached public pages
    act(identity.withdraw, admin_id=shop["admin"], seller_id=shop["seller"], reason="انتهت صلاحية الوثيقة", now=T0 + timedelta(days=1))
    assert badges(shop, client) == (False, False, False, False)
    assert notifications(shop["seller"]) == ["identity_approved", "identity_withdrawn"]
    with db.reading() as session:
        row = session.get(IdentityVerification, request.id)
        assert row is not None and (row.decided_by, row.withdrawn_by) == (shop["admin"], shop["admin"])
        assert row.withdrawn_at is not None and as_utc(row.withdrawn_at) == T0 + timedelta(days=1)
    with db.reading() as session:
        status = identity.status_of(session, seller_id=shop["seller"], now=T0 + timedelta(days=1))
    assert (status.verified, status.can_request, status.status, status.reason) == (False, True, "withdrawn", "انتهت صلاحية الوثيقة")


def test_a_document_is_private_and_deleted_once_decided(shop: dict[str, int]) -> None:
    request = ask_by_document(shop["seller"])
    stored = identity.folder(shop["seller"]) / request.token
    assert stored.read_bytes() == png_bytes() and request.file_mime == "image/png"
    http = TestClient(build_routes())
    link = f"/files/{request.token}"
    for who, status in (("seller", 200), ("admin", 200), ("buyer", 404), ("other", 404), (None, 404)):
        http.cookies.clear()
        if who:
            http.cookies.set("mihan_session", add_session(shop[who]))
        answer = http.get(link)
        assert answer.status_code == status, who
        if status == 200:
            assert answer.content == png_bytes() and answer.headers["x-content-type-options"] == "nosniff"
            assert answer.headers["content-disposition"].startswith("attachment")
    decided = decide(shop, request.id, approve=False, reason="الصورة غير واضحة")
    assert (decided.status, decided.reason, decided.token) == ("rejected", "الصورة غير واضحة", None)
    assert not stored.exists() and decided.file_deleted_at is not None
    http.cookies.set("mihan_session", add_session(shop["seller"]))
    assert http.get(link).status_code == 404
    # a rejected seller may try again, up to the monthly cap
    again = ask_by_document(shop["seller"], data=PDF, filename="id.pdf")
    assert again.file_mime == "application/pdf"
    assert again.token is not None and (identity.folder(shop["seller"]) / again.token).is_file()
    decide(shop, again.id, approve=True)
    assert list(identity.folder(shop["seller"]).iterdir()) == []  # approved: the document is gone too
    assert notifications(shop["seller"]) == ["identity_rejected", "identity_approved"]


EXECUTABLE_AS_PDF = b"MZ\x90\x00\x03" + b"\x00" * 60 + b"PE\x00\x00" + b"\x00" * 200


BAD_DOCUMENTS = {
    "exe-named-pdf": (EXECUTABLE_AS_PDF, "identity.file_type"),
    "elf": (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "identity.file_type"),
    "broken-pdf": (b"%PDF-1.4 but cut short", "identity.file_type"),
    "html": (b"<html><script>alert(1)</script></html>", "identity.file_type"),
    "empty": (b"", "identity.file_empty"),
    "text": ("not bytes", "identity.file_empty"),
    "too-big": (b"\x00" * (identity.MAX_BYTES + 1), "identity.file_too_large"),
}
BAD_FORMS = [
    (NAME, "", "identity.invalid_number"),
    (NAME, "123456789", "identity.invalid_number"),
    (NAME, "FL-1234", "identity.invalid_number"),
    (NAME, "FL-12345678901", "identity.invalid_number"),
    (NAME, "FX-123456789", "identity.invalid_number"),
    (NAME, 123456789, "identity.invalid_number"),
    ("فهد", "FL-123456789", "identity.invalid_name"),
    ("", "FL-123456789", "identity.invalid_name"),
    ("فهد 123", "FL-123456789", "identity.invalid_name"),
    ("<b>فهد</b> سعد", "FL-123456789", "review.markup"),
    ("ف" * 200 + " سعد", "FL-123456789", "identity.invalid_name"),
    (None, "FL-123456789", "identity.invalid_name"),
]


def test_bad_documents_names_and_numbers_are_refused_and_change_nothing(shop: dict[str, int]) -> None:
    # one shop and one snapshot for every case: the set-up is the expensive part
    before = snapshot_database()
    for case, (data, key) in BAD_DOCUMENTS.items():
        assert key_of(identity.request_with_document, seller_id=shop["seller"], name=NAME, filename="هوية.pdf", data=data, now=T0) == key, case
    assert not identity.folder(shop["seller"]).exists() or list(identity.folder(shop["seller"]).iterdir()) == []
    for name, number, key in BAD_FORMS:
        assert key_of(identity.request_with_number, seller_id=shop["seller"], name=name, number=number, now=T0) == key, (name, number)
    assert snapshot_database() == before


def test_one_pending_request_a_monthly_cap_and_sellers_only(shop: dict[str, int]) -> None:
    assert refused(identity.request_with_number, seller_id=shop["buyer"], name=NAME, number="FL-123456789", now=T0) == "trust.sellers_only"
    first = ask_by_number(shop["seller"])
    assert refused(identity.request_with_document, seller_id=shop["seller"], name=NAME, filename="a.png", data=png_bytes(), now=T0) == "identity.already_pending"
    decide(shop, first.id, approve=False, reason="الرقم لا يطابق الاسم")
    second = ask_by_number(shop["seller"], when=T0 + timedelta(days=1))
    decide(shop, second.id, approve=False, reason="ما زال لا يطابق")
    third = ask_by_number(shop["seller"], when=T0 + timedelta(days=2))
    decide(shop, third.id, approve=False, reason="لا يطابق")
    later = T0 + timedelta(days=3)
    assert refused(identity.request_with_number, seller_id=shop["seller"], name=NAME, number="FL-123456789", now=later) == "identity.monthly_cap"
    with db.reading() as session:
        assert identity.status_of(session, seller_id=shop["seller"], now=later).capped
    ask_by_number(shop["seller"], when=T0 + timedelta(days=31))  # a month after the first, one more


def test_deciding_is_for_admins_once_and_a_rejection_says_why(shop: dict[str, int]) -> None:
    request = ask_by_number(shop["seller"])
    before = snapshot_database()
    attempts = [
        ({"admin_id": shop["buyer"], "request_id": request.id, "approve": True, "reason": ""}, "trust.admin_only"),
        ({"admin_id": shop["admin"], "request_id": request.id, "approve": False, "reason": "  "}, "identity.reason_required"),
        ({"admin_id": shop["admin"], "request_id": request.id, "approve": "yes", "reason": ""}, "identity.bad_decision"),
        ({"admin_id": shop["admin"], "request_id": 999999, "approve": True, "reason": ""}, "identity.not_found"),
        ({"admin_id": shop["admin"], "request_id": str(request.id), "approve": True, "reason": ""}, "identity.not_found"),
    ]
    assert [key_of(identity.decide, now=T0, **kwargs) for kwargs, _ in attempts] == [key for _, key in attempts]
    assert snapshot_database() == before
    decide(shop, request.id)
    before = snapshot_database()
    assert key_of(identity.decide, admin_id=shop["admin"], request_id=request.id, approve=False, reason="لا", now=T0) == "identity.decided"
    assert key_of(identity.withdraw, admin_id=shop["admin"], seller_id=shop["buyer"], reason="لا", now=T0) == "identity.not_verified"
    assert key_of(identity.withdraw, admin_id=shop["buyer"], seller_id=shop["seller"], reason="لا", now=T0) == "trust.admin_only"
    assert key_of(identity.withdraw, admin_id=shop["admin"], seller_id=shop["seller"], reason="", now=T0) == "identity.reason_required"
    assert snapshot_database() == before


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_two_admins_deciding_at_once_decide_once(shop: dict[str, int]) -> None:
    request = ask_by_number(shop["seller"])
    gate = threading.Barrier(2)
    outcomes: list[str] = []

    def run(approve: bool) -> None:
        gate.wait()
        try:
            decide(shop, request.id, approve=approve, reason="" if approve else "لا يطابق")
            outcomes.append("ok")
        except TrustError as exc:
            outcomes.append(exc.key)

    threads = [threading.Thread(target=run, args=(flag,)) for flag in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["identity.decided", "ok"]
    with db.reading() as session:
        row = session.get(IdentityVerification, request.id)
        assert row is not None and row.status in ("approved", "rejected")
        assert identity.is_verified(session, seller_id=shop["seller"]) == (row.status == "approved")
    assert len(notifications(shop["seller"])) == 1


# -- the handlers ---------------------------------------------------------------------------------


def tab(shop: dict[str, int], who: str, path: str = "/seller/gigs") -> Browser:
    return Browser(token=add_session(shop[who]), path=path)


def test_the_seller_asks_and_the_admin_decides_through_the_pages(shop: dict[str, int]) -> None:
    seller = tab(shop, "seller")
    seller.call(IdentityState, "open_card")
    card = seller.state(IdentityState)
    assert card.loaded and card.can_request and not card.verified
    # a bad number is refused in Arabic and changes nothing
    before = snapshot_database()
    result = seller.call(IdentityState, "request_number", {"name": NAME, "number": "12"})
    assert card.error == ar("identity.invalid_number") and card.error in toasts(result)
    assert snapshot_database() == before
    # a document with the name typed beside it
    seller.call(IdentityState, "set_legal_name", NAME)
    result = seller.call(IdentityState, "upload_document", [upload(png_bytes(), "هويتي.png")])
    assert ar("identity.sent") in toasts(result) and card.status == "pending" and not card.can_request
    assert card.legal_name == ""  # the typed name is cleared once sent
    # the admin's queue shows it with its private link, and rejects it with a reason
    admin = tab(shop, "admin", "/admin/verifications")
    admin.call(VerificationsQueueState, "open_page")
    queue = admin.state(VerificationsQueueState)
    assert admin.state(SessionState).pending_verifications == 1  # the console's count beside the link
    (item,) = queue.items
    assert item["legal_name"] == NAME and item["href"].startswith("/files/") and item["method"] == "document"
    before = snapshot_database()
    result = admin.call(VerificationsQueueState, "decide", {"request": item["key"], "decision": "reject", "reason": ""})
    assert queue.error == ar("identity.reason_required", limit=identity.MAX_REASON) and snapshot_database() == before
    admin.call(VerificationsQueueState, "decide", {"request": item["key"], "decision": "reject", "reason": "الصورة غير واضحة"})
    assert queue.items == []
    seller.call(IdentityState, "open_card")
    assert card.status == "rejected" and card.reason == "الصورة غير واضحة" and card.can_request
    # the second try by number is approved; the seller's «خدماتي» shows the badge
    seller.call(IdentityState, "set_method", "freelance")
    seller.call(IdentityState, "request_number", {"name": NAME, "number": "FL-987654321"})
    admin.call(VerificationsQueueState, "open_page")
    (item,) = queue.items
    assert item["number"] == "FL-987654321" and item["href"] == ""
    result = admin.call(VerificationsQueueState, "decide", {"request": item["key"], "decision": "approve", "reason": ""})
    assert ar("verifications.done_approved") in toasts(result)
    seller.call(IdentityState, "open_card")
    assert card.verified and not card.can_request
    # withdrawn by seller number typed in Arabic-Indic digits
    admin.call(VerificationsQueueState, "withdraw", {"seller": str(shop["seller"]).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")), "reason": "وثيقة منتهية"})
    seller.call(IdentityState, "open_card")
    assert not card.verified and card.status == "withdrawn" and card.reason == "وثيقة منتهية"


@pytest.mark.parametrize("who", ["buyer", "seller", None])
def test_only_admins_open_or_work_the_queue(shop: dict[str, int], who: str | None) -> None:
    request = ask_by_number(shop["seller"])
    page = tab(shop, who, "/admin/verifications") if who else Browser(path="/admin/verifications")
    before = snapshot_database()
    for name, args in (("open_page", ()), ("decide", ({"request": str(request.id), "decision": "approve"},)), ("withdraw", ({"seller": str(shop["seller"]), "reason": "x"},))):
        page.call(VerificationsQueueState, name, *args)
        assert page.state(VerificationsQueueState).items == []
    assert snapshot_database() == before


def test_a_buyer_cannot_ask(shop: dict[str, int]) -> None:
    page = tab(shop, "buyer")
    before = snapshot_database()
    result = page.call(IdentityState, "request_number", {"name": NAME, "number": "FL-123456789"})
    assert ar("trust.sellers_only") in toasts(result) and snapshot_database() == before
    page.call(IdentityState, "open_card")
    assert not page.state(IdentityState).loaded


# -- a removed review on the order page ------------------------------------------------------------


def test_a_review_removed_by_a_moderator_leaves_the_order_page(shop: dict[str, int]) -> None:
    order_id = completed(shop)
    act(reviews.submit_review, order_id=order_id, user_id=shop["buyer"], overall=1, communication=1, quality=1, on_time=1, text="كلام مسيء للبائع")
    act(reviews.submit_review, order_id=order_id, user_id=shop["seller"], overall=5, text="مشترٍ واضح")
    with db.reading() as session:
        (review_id,) = session.exec(select(Review.id).where(Review.order_id == order_id, Review.side == "buyer")).all()
    act(remove_review, review_id=review_id, now=T0)
    for who, removed in (("seller", "theirs_removed"), ("buyer", "mine_removed")):
        page = tab(shop, who, f"/orders/{order_id}")
        page.call(OrderReviewState, "open_page")
        panel = page.state(OrderReviewState)
        assert getattr(panel, removed) and "كلام مسيء للبائع" not in page.client_json()
        assert not panel.can_reply
    assert refused(reviews.reply_to_review, order_id=order_id, user_id=shop["seller"], text="شكرًا") == "review.nothing_to_reply"

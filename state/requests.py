"""/requests (طلبات الخدمات) and /requests/<n>.

/requests has, for anyone signed in, the form to post a request and «طلباتي» (their own, with
how many offers each has and a way to close it); for a seller, the board of open requests in
their categories with «أرسل عرضًا» (a dialog with the offer's terms); for a moderator, every
open request with «إزالة» and a reason. /requests/<n> is the buyer's own request with the offers
that answer it, cheapest first, to compare and accept (on to checkout) or decline.

Which request a button acts on is an argument (a hidden field or the card's id): the services
check it belongs to the caller, or that the caller may answer or remove it. Public vars are
display strings only.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import reflex as rx

from app import buyer_requests as requests
from app import offers
from app.catalog.taxonomy import list_categories
from app.core.db import reading, transaction
from app.core.errors import MihanError
from app.core.i18n import translate
from models.offers import OfferStatus
from models.accounts import Role
from state.catalog import LEVEL_KEYS, both, money_text
from state.checkout import CHECKOUT_PREFIX
from state.offers import STATUS_COLORS, gig_options
from state.orders import order_id_of, when_text
from state.seller import positive_int
from state.session import SessionState

LIST = "/requests"
PREFIX = "/requests/"
MAX_PAGE = 10_000
MAX_ID = 2**62
STATUS_TONES = {"open": "green", "closed": "gray", "removed": "red", "expired": "gray"}


def card_view(card: requests.RequestCard) -> dict[str, str]:
    budget = money_text(card.budget.minor, card.budget.currency)
    days = both(lambda lang: translate("requests.within_days", lang, days=card.delivery_days))
    posted = when_text(card.created_at)
    status = both(lambda lang: translate(f"requests.status_{card.status.value}", lang))
    answers = both(lambda lang: translate("requests.answers", lang, count=card.answers))
    return {
        "id": str(card.id),
        "href": f"{PREFIX}{card.id}",
        "buyer": card.buyer_name,
        "category_ar": card.category_ar,
        "category_en": card.category_en,
        "description": card.description,
        "budget_ar": budget["ar"],
        "budget_en": budget["en"],
        "days_ar": days["ar"],
        "days_en": days["en"],
        "posted_ar": posted["ar"],
        "posted_en": posted["en"],
        "status_ar": status["ar"],
        "status_en": status["en"],
        "tone": STATUS_TONES[card.status.value],
        "answers_ar": answers["ar"],
        "answers_en": answers["en"],
        "answered": "1" if card.answered else "",
        "open": "1" if card.status.value == "open" else "",
        "reason": card.removed_reason,
    }


def answer_view(answer: requests.Answer) -> dict[str, str]:
    price = money_text(answer.price.minor, answer.price.currency)
    terms = both(lambda lang: translate("offers.terms", lang, days=answer.delivery_days, revisions=answer.revisions))
    level = both(lambda lang: translate(LEVEL_KEYS.get(answer.seller_level, "level.new"), lang))
    status = both(lambda lang: translate(f"offers.status_{answer.status.value}", lang))
    return {
        "id": str(answer.offer_id),
        "seller": answer.seller_name,
        "level": answer.seller_level,
        "level_ar": level["ar"],
        "level_en": level["en"],
        "gig": answer.gig_title,
        "gig_href": f"/gig/{answer.gig_id}",
        "description": answer.description,
        "price_ar": price["ar"],
        "price_en": price["en"],
        "terms_ar": terms["ar"],
        "terms_en": terms["en"],
        "status_ar": status["ar"],
        "status_en": status["en"],
        "tone": STATUS_COLORS[answer.status],
        "pending": "1" if answer.status is OfferStatus.PENDING else "",
        "chat": f"/messages/{answer.conversation_id}",
        "order": f"/orders/{answer.order_id}" if answer.order_id else "",
    }


class RequestsState(SessionState):
    """Both pages: the lists and the open request, the category and gig choices, the last word."""

    loaded: bool = False
    categories: list[dict[str, str]] = []
    mine: list[dict[str, str]] = []
    board_cards: list[dict[str, str]] = []
    board_total: int = 0
    page: int = 1
    pages: int = 1
    prev_href: str = ""
    next_href: str = ""
    moderating: bool = False  # the board shows every open request, with «إزالة»
    offer_gigs: list[dict[str, str]] = []
    answering: str = ""  # the request the offer dialog answers
    request: dict[str, str] = {}
    answers: list[dict[str, str]] = []
    missing: bool = False
    error: str = ""
    notice: str = ""

    def _refuse(self, exc: MihanError):  # type: ignore[no-untyped-def]
        self.error = self._message(exc)
        return rx.toast.error(self.error)

    def _load_list(self, viewer_id: int, is_seller: bool, is_moderator: bool) -> None:
        page = positive_int(self.router.url.query_parameters.get("page"), MAX_PAGE) or 1
        with reading() as session:
            self.categories = [{"value": str(c.id), "ar": c.name_ar, "en": c.name_en} for c in list_categories(session)]
            self.mine = [card_view(card) for card in requests.my_requests(session, buyer_id=viewer_id).cards]
            board = None
            if is_moderator:
                board = requests.board(session, seller_id=viewer_id, page=page, everything=True)
            elif is_seller:
                board = requests.board(session, seller_id=viewer_id, page=page)
                self.offer_gigs = gig_options(offers.offerable_gigs(session, viewer_id))
        self.moderating = is_moderator
        if board is not None:
            self.board_cards = [card_view(card) for card in board.cards]
            self.board_total, self.page, self.pages = board.total, board.page, board.pages
            self.prev_href = f"{LIST}?page={board.page - 1}" if board.page > 1 else ""
            self.next_href = f"{LIST}?page={board.page + 1}" if board.page < board.pages else ""

    def _load_request(self, viewer_id: int, request_id: int | None) -> None:
        try:
            with reading() as session:
                card, answers = requests.get_request(session, request_id=request_id, buyer_id=viewer_id)
        except MihanError:
            self.missing, self.request, self.answers = True, {}, []
            return
        self.request = card_view(card)
        self.answers = [answer_view(answer) for answer in answers]

    def _reload(self) -> None:
        viewer = self._require()
        request_id = order_id_of(self.router.url.path, PREFIX)
        if request_id is not None:
            self._load_request(viewer.id, request_id)
        else:
            self._load_list(viewer.id, viewer.is_seller, viewer.is_moderator)
        self.loaded = True

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /requests (``?page=`` pages the board) and /requests/<n>."""
        self.reset()
        try:
            self._show(self._require())
        except MihanError:
            return rx.redirect(f"/login?next={quote(str(self.router.url.path or LIST))}")
        self._reload()
        return None

    @rx.event
    def post(self, form_data: Any):  # type: ignore[no-untyped-def]
        """«انشر الطلب»: ``{"category", "description", "budget", "days"}``."""
        self.error = self.notice = ""
        try:
            viewer = self._require()
            data = requests.parse_request(form_data)
            with transaction() as session:
                posted = requests.post_request(session, buyer_id=viewer.id, data=data)
        except MihanError as exc:
            return self._refuse(exc)
        self.notice = translate("requests.posted", self._lang)
        return [rx.toast.success(self.notice), rx.redirect(f"{PREFIX}{posted.id}")]

    @rx.event
    def close(self, request: Any):  # type: ignore[no-untyped-def]
        """«أغلق الطلب»: the buyer takes their open request off the board."""
        return self._act(lambda session, viewer: requests.close_request(session, request_id=positive_int(request, MAX_ID), buyer_id=viewer.id), "requests.closed_done")

    @rx.event
    def open_answer(self, request: Any):  # type: ignore[no-untyped-def]
        """«أرسل عرضًا» on a board card: open the offer dialog for that request."""
        self.error = ""
        try:
            viewer = self._require()
            if not viewer.is_seller:
                raise requests.RequestError("request.not_seller")
            if not self.offer_gigs:
                raise offers.OfferError("offers.no_gigs")
        except MihanError as exc:
            return self._refuse(exc)
        chosen = positive_int(request, MAX_ID)
        self.answering = str(chosen) if chosen else ""
        return None

    @rx.event
    def close_answer(self, _open: Any = False):  # type: ignore[no-untyped-def]
        self.answering = ""

    @rx.event
    def answer(self, form_data: Any):  # type: ignore[no-untyped-def]
        """The offer dialog: the request (hidden field) and the offer's terms."""
        form = form_data if isinstance(form_data, dict) else {}
        self.error = ""
        try:
            viewer = self._require()
            data = offers.parse_offer(form)
            with transaction() as session:
                requests.answer_request(session, request_id=positive_int(form.get("request"), MAX_ID), seller_id=viewer.id, data=data)
        except MihanError as exc:
            return self._refuse(exc)
        self.answering = ""
        self._reload()
        return rx.toast.success(translate("offers.sent", self._lang))

    @rx.event
    def remove(self, form_data: Any):  # type: ignore[no-untyped-def]
        """A moderator's «إزالة»: ``{"request", "reason"}``."""
        form = form_data if isinstance(form_data, dict) else {}
        try:
            moderator = self._require(Role.MODERATOR.value)
        except MihanError as exc:
            return self._refuse(exc)
        return self._act(
            lambda session, _viewer: requests.remove_request(session, request_id=positive_int(form.get("request"), MAX_ID), moderator_id=moderator.id, reason=form.get("reason")),
            "requests.removed_done",
        )

    @rx.event
    def accept(self, offer: Any):  # type: ignore[no-untyped-def]
        """«قبول والدفع» on an answer: the order is placed; on to checkout."""
        try:
            viewer = self._require()
            with transaction() as session:
                order = offers.accept_offer(session, offer_id=positive_int(offer, MAX_ID), buyer_id=viewer.id)
        except MihanError as exc:
            return self._refuse(exc)
        return rx.redirect(f"{CHECKOUT_PREFIX}{order.id}")

    @rx.event
    def decline(self, offer: Any):  # type: ignore[no-untyped-def]
        return self._act(lambda session, viewer: offers.decline_offer(session, offer_id=positive_int(offer, MAX_ID), buyer_id=viewer.id), "offers.declined")

    def _act(self, change: Any, done_key: str):  # type: ignore[no-untyped-def]
        self.error = ""
        try:
            viewer = self._require()
            with transaction() as session:
                change(session, viewer)
        except MihanError as exc:
            return self._refuse(exc)
        self._reload()
        return rx.toast.success(translate(done_key, self._lang))

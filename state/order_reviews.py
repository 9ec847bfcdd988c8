"""The review part of the order page /orders/<n>: the form, the blind wait, both reviews, the
seller's reply.

Like the rest of the order page, the order comes from the route and the viewer from the
session on every event; ``reviews.order_reviews`` answers ``None`` for anyone who is not a
party and for orders that cannot be reviewed, and the services re-check everything, so a stale
page or a forged event is refused there. The form's star fields arrive as text: ``stars`` turns
"1".."5" (Latin or Arabic-Indic digits) into whole numbers and leaves anything else as it came,
for the service to refuse with its own message. The other side's review is never loaded here
before it is revealed, so no hidden score can reach the browser.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx
from sqlmodel import Session

from app import reviews
from app.core import clock
from app.core.db import reading, transaction
from app.core.errors import MihanError
from app.core.i18n import translate
from app.reviews import OrderReviews, ReviewError, Stage
from models.reviews import ReviewSide
from state.catalog import both
from state.orders import OrderState, order_id_of, when_text
from state.reviews import SUB_RATINGS, profile_href, review_view
from state.session import SessionState

_DIGITS = str.maketrans("١٢٣٤٥", "12345")
# Each stage's sentence and the moment it names (a field of ``OrderReviews``).
STAGE_NOTES = {
    Stage.OPEN: ("reviews.until", "review_until"),
    Stage.WAITING: ("reviews.waiting", "reveal_by"),
    Stage.CLOSED: ("reviews.closed", None),
}


def stars(value: object) -> object:
    """A star field of a form: 1 to 5 as an int; nothing (``None``) when it was left empty;
    anything else unchanged, for the service to refuse."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and len(value) == 1 and value.translate(_DIGITS) in "12345":
        return int(value.translate(_DIGITS))
    return value


class OrderReviewState(SessionState):
    """What the order page shows of its reviews for the viewing party."""

    side: str = ""  # buyer | seller; "" when the order cannot be reviewed (yet), or not by this viewer
    stage: str = ""  # open | waiting | revealed | closed
    note_ar: str = ""  # the stage in a sentence: until when to review, when it shows at the latest
    note_en: str = ""
    has_mine: bool = False
    mine: dict[str, str] = {}
    has_theirs: bool = False
    theirs: dict[str, str] = {}
    can_reply: bool = False
    mine_removed: bool = False  # a moderator removed the viewer's review: a note, never the text
    theirs_removed: bool = False
    buyer_href: str = ""  # the seller's link to the buyer's public page
    error: str = ""

    def _order(self) -> int | None:
        return order_id_of(self.router.url.path)

    def _fill(self, panel: OrderReviews | None) -> None:
        self.reset()
        if panel is None:
            return
        self.buyer_href = profile_href(ReviewSide.BUYER.value, panel.buyer_id) if panel.side == ReviewSide.SELLER.value else ""
        if panel.stage == Stage.NONE:
            return
        self.side, self.stage = panel.side, panel.stage
        key, moment = STAGE_NOTES.get(panel.stage, ("", None))
        when = when_text(getattr(panel, moment) if moment else None)
        note = both(lambda lang: translate(key, lang, when=when[lang]) if key else "")
        self.note_ar, self.note_en = note["ar"], note["en"]
        self.has_mine, self.mine = panel.mine is not None, review_view(panel.mine) if panel.mine else {}
        self.has_theirs, self.theirs = panel.theirs is not None, review_view(panel.theirs) if panel.theirs else {}
        self.can_reply = panel.can_reply
        self.mine_removed, self.theirs_removed = panel.mine_removed, panel.theirs_removed

    def _load(self, viewer_id: int) -> None:
        order = self._order()
        panel = None
        if order is not None:
            with reading() as session:
                panel = reviews.order_reviews(session, order_id=order, user_id=viewer_id, now=clock.now())
        self._fill(panel)

    async def _run(self, command: Callable[[Session, int, int], object], done_key: str):  # type: ignore[no-untyped-def]
        """Run one service for the session's viewer on the route's order, then show the order
        again (this part, and the timeline above it)."""
        try:
            viewer = self._require()
            order = self._order()
            if order is None:
                raise ReviewError("review.order_not_found")
            with transaction() as session:
                command(session, order, viewer.id)
        except MihanError as exc:
            self.error = self._message(exc)
            return rx.toast.error(self.error)
        self._load(viewer.id)
        (await self.get_state(OrderState))._load(viewer.id, viewer.is_admin)
        return rx.toast.success(translate(done_key, self._lang))

    # -- events ---------------------------------------------------------------------------

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /orders/<n> (after ``OrderState.open_page``, which sends visitors to log in)."""
        viewer = self._viewer()
        if viewer is None:
            self.reset()
            return
        self._load(viewer.id)

    @rx.event
    async def submit_review(self, form_data: Any):  # type: ignore[no-untyped-def]
        """The review form: ``overall`` (and, from the buyer, ``communication``, ``quality``,
        ``on_time``) as "1".."5", and the optional ``text``."""
        form = form_data if isinstance(form_data, dict) else {}
        ratings = {name: stars(form.get(name)) for name in ("overall", *SUB_RATINGS)}
        text = form.get("text", "")
        return await self._run(
            lambda session, order, user: reviews.submit_review(session, order_id=order, user_id=user, text=text, **ratings),
            "reviews.done",
        )

    @rx.event
    async def reply(self, form_data: Any):  # type: ignore[no-untyped-def]
        """The seller's one public reply to the buyer's revealed review: ``{"reply": "…"}``."""
        form = form_data if isinstance(form_data, dict) else {}
        text = form.get("reply")
        return await self._run(
            lambda session, order, user: reviews.reply_to_review(session, order_id=order, user_id=user, text=text),
            "reviews.reply_done",
        )

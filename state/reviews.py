"""Reviews as the pages show them: display strings of a review and of a rating summary, and the
``ReviewsList`` mixin the gig page, the seller page and the buyer page share.

Public vars are display text only (both languages at once). Whose reviews a page lists is kept
in a backend var set by the page's own ``open_page`` after its checks (the gig is visible to this
viewer, the seller or buyer has a public page); «عرض المزيد» asks the page again through
``_fetch_reviews``, which repeats those checks, so the browser can never point the list at
anything else.
"""

from __future__ import annotations

from datetime import datetime

import reflex as rx
from babel.dates import format_datetime, get_timezone
from sqlmodel import Session

from app.core.clock import as_utc
from app.core.db import reading
from app.core.errors import MihanError
from app.core.i18n import translate
from app.reviews import RatingSummary, ReviewLine, ReviewPage
from models.reviews import ReviewSide
from state.catalog import Counted, both

TIMEZONE = get_timezone("Asia/Riyadh")  # the pilot's market, as on the order pages
STARS = Counted("reviews.stars_one", "reviews.stars_two", "reviews.stars_few", "reviews.stars_many")
COUNT = Counted("reviews.count_one", "reviews.count_two", "reviews.count_few", "reviews.count_many")
SUB_RATINGS = ("communication", "quality", "on_time")
EMPTY_SUMMARY = {"average": "", "count": "0", "count_ar": "", "count_en": "", "label_ar": "", "label_en": ""}


def day_text(moment: datetime | None) -> dict[str, str]:
    """A date (Riyadh time) in both languages: «٢٧ نوفمبر ٢٠٢٦», "27 Nov 2026"."""
    if moment is None:
        return {"ar": "", "en": ""}
    return both(lambda lang: format_datetime(as_utc(moment), "d MMMM y" if lang == "ar" else "d MMM y", locale=lang, tzinfo=TIMEZONE))


def profile_href(side: str, user_id: int) -> str:
    """Where a review's author has their public page: buyers at /buyers/<n>, sellers at /sellers/<n>."""
    return f"/buyers/{user_id}" if side == ReviewSide.BUYER.value else f"/sellers/{user_id}"


def review_view(line: ReviewLine) -> dict[str, str]:
    """One review as display strings; sub-ratings are blank on the seller's side."""
    stars = both(lambda lang: STARS.text(line.overall, lang))
    when = day_text(line.revealed_at or line.created_at)
    replied = day_text(line.replied_at)
    return {
        "key": str(line.id),
        "author": line.author_name,
        "author_href": profile_href(line.side, line.author_id),
        "gig_title": line.gig_title,
        "gig_href": f"/gig/{line.gig_id}",
        "overall": str(line.overall),
        "stars_ar": stars["ar"],
        "stars_en": stars["en"],
        **{name: str(value) if (value := getattr(line, name)) is not None else "" for name in SUB_RATINGS},
        "text": line.text,
        "date_ar": when["ar"],
        "date_en": when["en"],
        "reply": line.reply,
        "reply_date_ar": replied["ar"],
        "reply_date_en": replied["en"],
        "hidden": "" if line.revealed_at is not None else "1",
    }


def summary_view(summary: RatingSummary) -> dict[str, str]:
    """Count and averages to one decimal; a sub-rating also as a percentage for its bar."""
    if not summary.count or summary.overall is None:
        return dict(EMPTY_SUMMARY)
    average = f"{summary.overall:.1f}"
    count = both(lambda lang: COUNT.text(summary.count, lang))
    label = both(lambda lang: translate("reviews.out_of_five", lang, rating=average))
    view = {"average": average, "count": str(summary.count), "count_ar": count["ar"], "count_en": count["en"], "label_ar": label["ar"], "label_en": label["en"]}
    for name in SUB_RATINGS:
        value = getattr(summary, name)
        view[name] = f"{value:.1f}" if value is not None else ""
        view[f"{name}_pct"] = str(round(value * 20)) if value is not None else "0"
    return view


class ReviewsList(rx.State, mixin=True):
    """A page's rating summary and its list of revealed reviews, one SQL page at a time."""

    review_summary: dict[str, str] = EMPTY_SUMMARY
    reviews: list[dict[str, str]] = []
    reviews_more: bool = False
    _reviews_of: int = 0  # the gig, seller or buyer the page checked and lists
    _reviews_page: int = 0

    def _fetch_reviews(self, session: Session, key: int, page: int) -> ReviewPage:
        """One page of reviews of ``key``, after the page's own visibility checks (each page
        defines it). Raises ``MihanError`` when ``key`` may no longer be shown."""
        raise NotImplementedError

    def _show_reviews(self, key: int, found: ReviewPage, summary: RatingSummary | None = None) -> None:
        """Show ``found`` (the first page replaces the list, later ones append)."""
        views = [review_view(line) for line in found.rows]
        self.reviews = views if found.page <= 1 else [*self.reviews, *views]
        self.reviews_more = found.page < found.pages
        self._reviews_of, self._reviews_page = key, found.page
        if summary is not None:
            self.review_summary = summary_view(summary)

    @rx.event
    def more_reviews(self):  # type: ignore[no-untyped-def]
        """«عرض المزيد من التقييمات»: the next page of the reviews this page lists."""
        if not self._reviews_of or not self.reviews_more:
            return None
        try:
            with reading() as session:
                found = self._fetch_reviews(session, self._reviews_of, self._reviews_page + 1)
        except MihanError as error:
            self.reviews_more = False
            return rx.toast.error(self._message(error))  # type: ignore[attr-defined] (a SessionState page)
        self._show_reviews(self._reviews_of, found)
        return None

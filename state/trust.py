"""Trust as display text: a seller's level progress (their own page) and the public signals
(the seller page). Pure formatting of ``app.trust``'s figures; no state class lives here.
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal, format_percent

from app.core.i18n import translate
from app.trust import Gap, Progress, SellerMetrics
from app.trust.levels import CRITERIA
from app.trust.policy import RATES, Threshold
from state.catalog import both

LOCALES = {"ar": "ar_SA", "en": "en_US"}


def figure(criterion: str, value: int | None, lang: str) -> str:
    """One criterion's value as read: a rate as a percentage, a rating with two decimals, a count."""
    locale = LOCALES[lang]
    if value is None:
        return "—"
    if criterion in RATES:
        return format_percent(Decimal(value).scaleb(-4), locale=locale, numbering_system="latn")
    if criterion == "response_hours":
        return translate("trust.within_hours", lang, hours=format_decimal(value, locale=locale, numbering_system="latn"))
    if criterion == "rating_x100":
        return format_decimal(Decimal(value).scaleb(-2), format="0.00", locale=locale, numbering_system="latn")
    return format_decimal(value, locale=locale, numbering_system="latn")


def _row(criterion: str, have: int | None, need: int, met: bool) -> dict[str, str]:
    row = {"criterion": criterion, "met": "1" if met else ""}
    for lang in LOCALES:
        row[f"label_{lang}"] = translate(f"trust.criterion_{criterion}", lang)
        row[f"have_{lang}"] = figure(criterion, have, lang)
        row[f"need_{lang}"] = figure(criterion, need, lang)
    return row


def progress_rows(metrics: SellerMetrics, progress: Progress, threshold: Threshold | None) -> list[dict[str, str]]:
    """Every criterion of the next level, met or not, with what the seller has and needs."""
    if threshold is None:
        return []
    missing: dict[str, Gap] = {gap.criterion: gap for gap in progress.gaps}
    return [_row(name, getattr(metrics, name), getattr(threshold, name), name not in missing) for name in CRITERIA]


def signal_rows(metrics: SellerMetrics) -> list[dict[str, str]]:
    """The public trust signals a buyer reads on the seller page (only those measured yet):
    on-time, completion and response rates, the median time to a first answer, orders in queue."""
    shown = [
        ("on_time", metrics.on_time),
        ("completion", metrics.completion),
        ("response", metrics.response),
        ("response_hours", metrics.response_hours),
        ("queued", metrics.queued),
    ]
    rows = []
    for name, value in shown:
        if value is None:
            continue
        texts = both(lambda lang: translate(f"trust.signal_{name}", lang))
        values = both(lambda lang: figure(name, value, lang))
        rows.append({"signal": name, "label_ar": texts["ar"], "label_en": texts["en"], "value_ar": values["ar"], "value_en": values["en"]})
    return rows

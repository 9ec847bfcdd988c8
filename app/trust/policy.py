"""What each seller level asks for (docs/domain.md, "Reviews and trust"), and when it is checked.

The defaults follow Fiverr's ladder scaled for a pilot: level one after two months and ten
orders, level two after four months and fifty, top after six months and a hundred, each with a
high rating and high on-time, completion and response rates. ``MIHAN_LEVELS_FILE`` may name a
JSON object overriding any of them, e.g. ``{"thresholds": {"level1": {"completed": 5}}}``, so a
pilot tunes its ladder without a release; a bad file stops the server at start.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import time
from functools import lru_cache
from pathlib import Path

from app.core.settings import SettingsError, get_settings, load_json

RATES = ("on_time", "completion", "response")  # the criteria that are shares between 0 and 1


@dataclass(frozen=True)
class Threshold:
    """The least a seller must have for one level; a rate is in basis points (9000 = 90%)."""

    age_days: int
    completed: int
    rating_x100: int  # the average overall rating ×100 (470 = 4.70) of revealed buyer reviews
    reviews: int  # revealed buyer reviews behind that average
    on_time: int
    completion: int
    response: int

    def __post_init__(self) -> None:
        for name, value in dataclasses.asdict(self).items():
            if type(value) is not int or value < 0:
                raise ValueError(f"level threshold {name} must be a whole number ≥ 0")
        if self.rating_x100 > 500 or any(getattr(self, name) > 10_000 for name in RATES):
            raise ValueError("a rating is at most 5.00 and a rate at most 100%")


def _defaults() -> dict[str, Threshold]:
    return {
        "level1": Threshold(age_days=60, completed=10, rating_x100=470, reviews=5, on_time=9000, completion=9000, response=9000),
        "level2": Threshold(age_days=120, completed=50, rating_x100=470, reviews=20, on_time=9000, completion=9000, response=9000),
        "top": Threshold(age_days=180, completed=100, rating_x100=480, reviews=40, on_time=9500, completion=9500, response=9500),
    }


@dataclass(frozen=True)
class LevelPolicy:
    thresholds: dict[str, Threshold] = field(default_factory=_defaults)
    # the nightly run: sellers not checked since this time of day (Riyadh) are checked again
    nightly_at: time = time(3, 0)
    timezone: str = "Asia/Riyadh"
    answer_within_hours: int = 24  # a buyer's first message counts as answered within this

    def __post_init__(self) -> None:
        if list(self.thresholds) != ["level1", "level2", "top"]:
            raise ValueError("the levels are level1, level2 and top, in that order")
        ladder = list(self.thresholds.values())
        for lower, higher in zip(ladder, ladder[1:]):
            if any(getattr(higher, f.name) < getattr(lower, f.name) for f in dataclasses.fields(Threshold)):
                raise ValueError("a higher level cannot ask for less than a lower one")


def parse_level_policy(data: object) -> LevelPolicy:
    """A policy from a settings file's JSON: thresholds are merged field by field over the defaults.

    Raises:
        ValueError, TypeError: not an object, an unknown key, or a value out of bounds.
    """
    if not isinstance(data, dict):
        raise ValueError("the level policy must be a JSON object")
    unknown = set(data) - {"thresholds", "answer_within_hours"}
    if unknown:
        raise ValueError(f"unknown level policy fields: {sorted(unknown)}")
    given = data.get("thresholds", {})
    if not isinstance(given, dict) or set(given) - set(_defaults()):
        raise ValueError("thresholds must be an object keyed by level1, level2, top")
    thresholds = {name: dataclasses.replace(base, **given.get(name, {})) for name, base in _defaults().items()}
    hours = data.get("answer_within_hours", LevelPolicy.answer_within_hours)
    if type(hours) is not int or not 1 <= hours <= 24 * 7:
        raise ValueError("answer_within_hours must be a whole number of hours, 1 to 168")
    return LevelPolicy(thresholds=thresholds, answer_within_hours=hours)


def get_level_policy() -> LevelPolicy:
    """The policy of this process: the defaults, overridden by ``MIHAN_LEVELS_FILE`` when set."""
    return _load(get_settings().levels_file)


@lru_cache(maxsize=4)
def _load(path: Path | None) -> LevelPolicy:
    if path is None:
        return LevelPolicy()
    try:
        return parse_level_policy(load_json(path))
    except (OSError, ValueError, TypeError) as exc:
        raise SettingsError(f"MIHAN_LEVELS_FILE ({path}): {exc}") from exc

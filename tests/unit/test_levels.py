"""The level ladder (pure): each threshold's boundary, the highest level earned, what the next
level still needs, the response criterion with no messages, and the policy file's refusals."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.trust import LevelPolicy, SellerMetrics, evaluate, progress
from app.trust.jobs import last_nightly
from app.trust.levels import LEVELS
from app.trust.policy import Threshold, parse_level_policy

POLICY = LevelPolicy()
LEVEL1 = POLICY.thresholds["level1"]


def record(threshold: Threshold, **changes: int | None) -> SellerMetrics:
    """A seller meeting ``threshold`` exactly, with ``changes`` applied."""
    exact = SellerMetrics(queued=0, **dataclasses.asdict(threshold))
    return dataclasses.replace(exact, **changes)


@pytest.mark.parametrize("level", ["level1", "level2", "top"])
def test_meeting_a_threshold_exactly_earns_the_level(level: str) -> None:
    assert evaluate(record(POLICY.thresholds[level]), POLICY) == level


@pytest.mark.parametrize("criterion", [f.name for f in dataclasses.fields(Threshold)])
def test_one_short_on_any_criterion_stays_below(criterion: str) -> None:
    short = record(LEVEL1, **{criterion: getattr(LEVEL1, criterion) - 1})
    assert evaluate(short, POLICY) == "new"
    [gap] = progress(short, "new", POLICY).gaps
    assert (gap.criterion, gap.have, gap.need) == (criterion, getattr(LEVEL1, criterion) - 1, getattr(LEVEL1, criterion))


def test_a_seller_nobody_wrote_to_is_not_held_back_by_the_response_rate() -> None:
    assert evaluate(record(LEVEL1, response=None), POLICY) == "level1"


@pytest.mark.parametrize("criterion", ["rating_x100", "on_time", "completion"])
def test_an_unmeasured_rate_or_rating_does_not_count_as_met(criterion: str) -> None:
    assert evaluate(record(LEVEL1, **{criterion: None}), POLICY) == "new"


def test_progress_lists_what_the_next_level_needs_and_stops_at_the_top() -> None:
    seller = record(LEVEL1)
    ahead = progress(seller, "level1", POLICY)
    assert ahead.next_level == "level2"
    assert {gap.criterion for gap in ahead.gaps} == {"age_days", "completed", "reviews"}
    assert progress(record(POLICY.thresholds["top"]), "top", POLICY) == progress(seller, "top", POLICY)
    assert progress(seller, "top", POLICY).next_level is None


@given(
    st.builds(
        SellerMetrics,
        age_days=st.integers(0, 2000),
        completed=st.integers(0, 500),
        rating_x100=st.none() | st.integers(100, 500),
        reviews=st.integers(0, 500),
        on_time=st.none() | st.integers(0, 10_000),
        completion=st.none() | st.integers(0, 10_000),
        response=st.none() | st.integers(0, 10_000),
        queued=st.integers(0, 50),
    )
)
def test_a_better_record_never_earns_a_lower_level(seller: SellerMetrics) -> None:
    level = evaluate(seller, POLICY)
    better = dataclasses.replace(seller, age_days=seller.age_days + 1, completed=seller.completed + 1, reviews=seller.reviews + 1)
    assert LEVELS.index(evaluate(better, POLICY)) >= LEVELS.index(level)
    # and the level earned is exactly the highest whose threshold has no gap
    assert progress(seller, level, POLICY).next_level is None or progress(seller, level, POLICY).gaps


def test_the_nightly_moment_is_three_in_the_morning_in_riyadh() -> None:
    assert last_nightly(datetime(2026, 11, 27, 23, 59, tzinfo=UTC), POLICY) == datetime(2026, 11, 27, 0, 0, tzinfo=UTC)
    assert last_nightly(datetime(2026, 11, 27, 0, 0, tzinfo=UTC), POLICY) == datetime(2026, 11, 27, 0, 0, tzinfo=UTC)
    assert last_nightly(datetime(2026, 11, 26, 23, 59, tzinfo=UTC), POLICY) == datetime(2026, 11, 26, 0, 0, tzinfo=UTC)


def test_a_policy_file_overrides_field_by_field() -> None:
    policy = parse_level_policy({"thresholds": {"level1": {"completed": 3}}, "answer_within_hours": 12})
    assert policy.thresholds["level1"] == dataclasses.replace(LEVEL1, completed=3)
    assert policy.thresholds["top"] == POLICY.thresholds["top"] and policy.answer_within_hours == 12


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"levels": {}},
        {"thresholds": {"gold": {}}},
        {"thresholds": {"level1": {"completed": -1}}},
        {"thresholds": {"level1": {"completed": 2.5}}},
        {"thresholds": {"level1": {"on_time": 10_001}}},
        {"thresholds": {"level1": {"rating_x100": 501}}},
        {"thresholds": {"level1": {"speed": 1}}},
        {"thresholds": {"level2": {"completed": 5}}},  # below level one's 10
        {"answer_within_hours": 0},
        {"answer_within_hours": True},
    ],
)
def test_a_bad_policy_file_is_refused(data: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        parse_level_policy(data)

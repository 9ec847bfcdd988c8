"""The order commands of the ``mihan`` CLI: ``jobs run --now``, ``simulate`` and the order-side
half of ``ledger check``."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import text

from app.cli import main
from app.core import db
from app.orders import lifecycle
from tests.integration.orderkit import T0, act, now, pay_by_card, place, shop  # noqa: F401 (fixtures)
from tests.passwords import use_fast_password_hashing


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_password_hashing(monkeypatch)


def test_jobs_run_at_a_given_moment_completes_and_clears(shop: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    order_id = place(shop)
    pay_by_card(shop, order_id)
    act(lifecycle.deliver, order_id=order_id, user_id=shop["seller"], message="تم")
    assert main(["jobs", "run", "--now", (T0 + timedelta(days=4)).isoformat(), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["auto_complete"] == 1
    assert main(["jobs", "run", "--now", (T0 + timedelta(days=19)).date().isoformat(), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["clearance"] == 1
    assert main(["jobs", "run", "--now", "not-a-date"]) == 2


def test_ledger_check_sees_an_open_order_whose_escrow_was_emptied(shop: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    order_id = place(shop)
    pay_by_card(shop, order_id)
    assert main(["ledger", "check", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    with db.transaction() as session:  # an order marked paid again by a bad hand: no money behind it
        session.execute(text("UPDATE gig_order SET total_minor = total_minor + 100 WHERE id = :id"), {"id": order_id})
    assert main(["ledger", "check", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [b["rule"] for b in report["breaches"]] == ["escrow_mismatch"]


def test_simulate_prints_its_report_and_passes(migrated_database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--orders", "12", "--seed", "3", "--workers", "3", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True and report["orders"] == 12 and report["breaches"] == []
    assert main(["simulate", "--orders", "0"]) == 1

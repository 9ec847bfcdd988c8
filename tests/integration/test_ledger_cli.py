"""``mihan ledger check`` and ``mihan ledger rebuild``: exit codes and the stable JSON contract."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from app.cli import main
from app.core.db import get_engine, transaction
from app.core.i18n import translate
from app.core.money import Money
from tests.integration.ledgerkit import pay


@pytest.fixture
def books(database: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database with one paid order, and the CLI in its default language."""
    monkeypatch.delenv("MIHAN_LANG", raising=False)
    with transaction() as session:
        pay(session, 1, Money(10_000))
    return database


def _raise_escrow_cache(url: str) -> None:
    with get_engine(url).begin() as connection:
        connection.execute(text("UPDATE ledger_account SET balance_minor = balance_minor + 5 WHERE code = 'order:1:escrow'"))


def test_check_json_on_clean_books_exits_0(books, capsys):
    """Monitoring reads ok, the breaches and the counts."""
    # given consistent books
    # when they are checked with --json
    code = main(["ledger", "check", "--json"])
    # then the answer is ok with the counts, and the exit code 0
    assert code == 0
    assert json.loads(capsys.readouterr().out) == {"ok": True, "breaches": [], "transactions": 1, "accounts": 2}


def test_check_json_on_tampered_books_exits_1(books, capsys):
    """A cache changed by hand is a breach: exit 1, with the rule and the account named."""
    # given an escrow balance raised by hand
    _raise_escrow_cache(books)
    # when the books are checked with --json
    code = main(["ledger", "check", "--json"])
    # then it exits 1 and names the stale balance
    assert code == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is False
    assert payload["breaches"] == [
        {"rule": "stale_balance", "subject": "order:1:escrow", "detail": "cached 10005, entries sum to 10000"}
    ]


def test_check_text_then_rebuild_then_check(books, capsys):
    """The founder's path: see the breach, rebuild the cache, see the books clean again."""
    # given a tampered cache
    _raise_escrow_cache(books)
    # when the books are checked without --json
    assert main(["ledger", "check"]) == 1
    out = capsys.readouterr().out.splitlines()
    # then each breach is a line and the last line counts them in Arabic
    assert out == ["stale_balance\torder:1:escrow\tcached 10005, entries sum to 10000", translate("cli.ledger_breaches", "ar", count=1)]
    # when the balances are rebuilt
    assert main(["--lang", "en", "ledger", "rebuild"]) == 0
    assert capsys.readouterr().out == translate("cli.ledger_rebuilt", "en", count=1) + "\n"
    # then the books are clean again, and a second rebuild corrects nothing
    assert main(["ledger", "check"]) == 0
    assert capsys.readouterr().out == translate("cli.ledger_ok", "ar", transactions=1, accounts=2) + "\n"
    assert main(["ledger", "rebuild", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"corrected": []}

"""The ``mihan`` command: exit codes, one-line translated errors, stable JSON output."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect

import models
from tests.passwords import use_fast_password_hashing
from app.accounts import get_user_by_email
from app.cli import main
from app.core.db import get_engine, reading
from app.core.i18n import translate
from app.core.settings import PROJECT_ROOT
from app.demo import DEMO_PASSWORD
from models.accounts import Role
from tests.conftest import use_database

MIHAN = Path(sys.executable).with_name("mihan")


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No developer setting changes the language or turns tracebacks on; hashing is cheap.

    Production argon2 costs ~0.1-0.3 s per hash and the demo seed makes nine; the real
    parameters are covered by tests/unit/test_security.py.
    """
    monkeypatch.delenv("MIHAN_LANG", raising=False)
    monkeypatch.delenv("MIHAN_DEBUG", raising=False)
    use_fast_password_hashing(monkeypatch)


@pytest.fixture
def migrated(empty_database: str, capsys: pytest.CaptureFixture[str]) -> str:
    """A database upgraded through the CLI itself."""
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()
    return empty_database


@pytest.fixture
def unreachable_database() -> str:
    """A Postgres URL on a loopback port nobody listens on, made the default for the test."""
    previous = os.environ["REFLEX_DB_URL"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql+psycopg://mihan@127.0.0.1:{port}/mihan?connect_timeout=3"
    use_database(url)
    yield url
    use_database(previous)


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def test_db_upgrade_then_check(empty_database, capsys):
    """``db upgrade`` migrates to head and says so; ``db check`` then agrees."""
    # given an empty database
    # when it is upgraded through the CLI
    code = main(["db", "upgrade"])
    out = capsys.readouterr()
    # then it exits 0 with the Arabic confirmation and the tables exist
    assert code == 0
    assert out.out == translate("cli.db_upgraded", "ar") + "\n"
    assert set(models.metadata.tables) <= set(inspect(get_engine(empty_database)).get_table_names())
    # when it is checked
    code = main(["db", "check"])
    out = capsys.readouterr()
    # then it is in sync
    assert code == 0
    assert out.out == translate("cli.db_in_sync", "ar") + "\n"
    assert out.err == ""


def test_db_check_on_an_unmigrated_database_exits_1_with_one_line(empty_database, capsys):
    """CI runs ``mihan db check``; a database behind the models fails it readably."""
    # given a database that was never upgraded
    # when it is checked
    code = main(["db", "check"])
    out = capsys.readouterr()
    # then it exits 1 with one translated line and nothing on stdout
    assert code == 1
    line = _one_line(out.err)
    assert line.startswith(translate("db.models_differ", "ar").split("{")[0])
    assert out.out == ""


def test_create_admin_json(migrated, capsys):
    """Scripts read the JSON: id, the normalised e-mail and the admin role."""
    # given a migrated database
    # when an admin is created with --json
    code = main(["create-admin", "--email", "Founder@Example.com", "--password", "founder-pass-1", "--json"])
    out = capsys.readouterr()
    # then the output is one JSON object describing an admin
    assert code == 0
    payload = json.loads(out.out)
    assert payload["role"] == "admin" == Role.ADMIN.value
    assert payload["email"] == "founder@example.com"
    assert isinstance(payload["id"], int)
    # and the account really is a verified admin with the default Arabic name
    with reading() as session:
        user = get_user_by_email(session, "founder@example.com")
        assert user is not None
        assert (user.id, user.role, user.name) == (payload["id"], "admin", "مدير مِهَن")
        assert user.email_verified_at is not None


def test_create_admin_prints_a_translated_confirmation(migrated, capsys):
    """Without --json a person gets a sentence in their language."""
    # given a migrated database
    # when admins are created in Arabic and in English
    assert main(["create-admin", "--email", "a@example.com", "--password", "founder-pass-1", "--name", "أحمد"]) == 0
    arabic = capsys.readouterr().out
    assert main(["--lang", "en", "create-admin", "--email", "b@example.com", "--password", "founder-pass-1"]) == 0
    english = capsys.readouterr().out
    # then each confirmation is in its language and names the address
    assert arabic == translate("cli.admin_created", "ar", email="a@example.com") + "\n"
    assert english == translate("cli.admin_created", "en", email="b@example.com") + "\n"
    assert arabic != english


@pytest.mark.parametrize(
    ("arguments", "key"),
    [
        (["--email", "not-an-email", "--password", "founder-pass-1"], "input.email"),
        (["--email", "a@example.com", "--password", "short"], "input.password"),
        (["--email", "a@example.com", "--password", "founder-pass-1", "--name", "x"], "input.name"),
    ],
)
def test_create_admin_with_bad_input_exits_1_with_one_arabic_line(migrated, capsys, arguments, key):
    """A typo gets one sentence in Arabic, never a traceback, and creates nothing."""
    # given a migrated database
    # when create-admin is given bad input
    code = main(["create-admin", *arguments])
    out = capsys.readouterr()
    # then it exits 1 with exactly the translated message
    assert code == 1
    assert _one_line(out.err) == translate(key, "ar")
    assert any("\u0600" <= ch <= "\u06ff" for ch in out.err)
    assert out.out == ""
    with reading() as session:
        assert get_user_by_email(session, "a@example.com") is None


def test_create_admin_for_someone_elses_address_exits_1(migrated, capsys):
    """Re-running with the same password promotes again; another password is refused."""
    # given an admin created once
    assert main(["create-admin", "--email", "a@example.com", "--password", "founder-pass-1"]) == 0
    capsys.readouterr()
    # when it is run again with the same password, then with another
    again = main(["create-admin", "--email", "a@example.com", "--password", "founder-pass-1", "--json"])
    again_out = capsys.readouterr().out
    other = main(["--lang", "en", "create-admin", "--email", "a@example.com", "--password", "other-pass-22"])
    other_err = capsys.readouterr().err
    # then the first succeeds (same account) and the second says the address is taken
    assert again == 0 and json.loads(again_out)["role"] == "admin"
    assert other == 1
    assert _one_line(other_err) == translate("auth.email_taken", "en")


def test_seed_demo_then_json_shows_nothing_created(migrated, capsys):
    """Seeding is for empty stores; the second run reports it skipped."""
    # given a migrated, empty database
    # when the demo is seeded
    code = main(["seed", "demo"])
    first = capsys.readouterr().out
    # then it says how many accounts and the demo password
    assert code == 0
    assert first == translate("cli.demo_seeded", "ar", users=34, gigs=168, orders=13, password=DEMO_PASSWORD) + "\n"
    # when it is seeded again with --json
    code = main(["seed", "demo", "--json"])
    second = capsys.readouterr().out
    # then nothing was created
    assert code == 0
    assert json.loads(second) == {"created": False, "users": 34, "gigs": 0, "orders": 0}
    # and without --json it says so in English when asked
    assert main(["--lang", "en", "seed", "demo"]) == 0
    assert capsys.readouterr().out == translate("cli.demo_skipped", "en", users=34) + "\n"


def test_seed_demo_json_on_an_empty_store(migrated, capsys):
    """The JSON contract of a first seed."""
    # given a migrated, empty database
    # when the demo is seeded with --json
    assert main(["seed", "demo", "--json"]) == 0
    # then it reports the accounts, gigs and demo orders it created
    assert json.loads(capsys.readouterr().out) == {"created": True, "users": 34, "gigs": 168, "orders": 13}


def test_lang_en_messages(empty_database, capsys):
    """``--lang en`` switches every message, errors included."""
    # given an empty database
    # when it is checked and upgraded in English
    check = main(["--lang", "en", "db", "check"])
    check_err = capsys.readouterr().err
    upgrade = main(["--lang", "en", "db", "upgrade"])
    upgrade_out = capsys.readouterr().out
    # then both messages are the English ones
    assert check == 1
    assert _one_line(check_err).startswith(translate("db.models_differ", "en").split("{")[0])
    assert not any("\u0600" <= ch <= "\u06ff" for ch in check_err)
    assert upgrade == 0
    assert upgrade_out == translate("cli.db_upgraded", "en") + "\n"


def test_mihan_lang_sets_the_default_language(empty_database, capsys, monkeypatch):
    """``MIHAN_LANG=en`` saves typing --lang on every command."""
    # given MIHAN_LANG=en in the environment
    monkeypatch.setenv("MIHAN_LANG", "en")
    # when a command runs without --lang
    assert main(["db", "upgrade"]) == 0
    # then it answers in English
    assert capsys.readouterr().out == translate("cli.db_upgraded", "en") + "\n"


def test_unexpected_error_exits_2_with_one_line(unreachable_database, capsys):
    """An operational failure (database down) is one line for the person, never a traceback."""
    # given a default database nobody listens on
    # when a command needs it
    code = main(["db", "upgrade"])
    out = capsys.readouterr()
    # then it exits 2 with one line naming the failure
    assert code == 2
    line = _one_line(out.err)
    assert line.startswith(translate("cli.failed", "ar", error=""))
    assert "OperationalError" in line
    assert out.out == ""


def test_unexpected_error_in_english(unreachable_database, capsys):
    """The one-line failure follows --lang too."""
    # given a default database nobody listens on
    # when a command needs it, in English
    code = main(["--lang", "en", "create-admin", "--email", "a@example.com", "--password", "founder-pass-1"])
    # then it exits 2 with the English one-liner
    assert code == 2
    assert _one_line(capsys.readouterr().err).startswith(translate("cli.failed", "en", error=""))


def test_missing_tables_are_an_unexpected_error(empty_database, capsys):
    """Forgetting ``db upgrade`` gives one line, not a SQL traceback."""
    # given a database without tables
    # when an admin is created
    code = main(["create-admin", "--email", "a@example.com", "--password", "founder-pass-1"])
    # then it exits 2 with one line
    assert code == 2
    _one_line(capsys.readouterr().err)


def test_mihan_debug_shows_the_traceback(unreachable_database, monkeypatch):
    """Developers can ask for the real exception."""
    # given MIHAN_DEBUG=1
    monkeypatch.setenv("MIHAN_DEBUG", "1")
    # when a command fails unexpectedly
    # then the exception propagates
    with pytest.raises(Exception, match="(?i)connect"):
        main(["db", "upgrade"])


def _run_mihan(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("MIHAN_")}
    env.update(
        MIHAN_DATA_DIR=str(tmp_path / "data"),
        REFLEX_DB_URL=f"sqlite:///{tmp_path / 'cli.db'}",
        REFLEX_TELEMETRY_ENABLED="false",
    )
    return subprocess.run(
        [str(MIHAN), *arguments], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_installed_command_upgrades_a_database(tmp_path):
    """The real entry point, in its own process, with its settings from the environment."""
    # given a fresh data dir and SQLite URL in the environment
    assert MIHAN.exists()
    # when `mihan --lang en db upgrade` runs
    result = _run_mihan(tmp_path, "--lang", "en", "db", "upgrade")
    # then it exits 0 with the English message and the file has the tables
    assert result.returncode == 0, result.stderr
    assert result.stdout == translate("cli.db_upgraded", "en") + "\n"
    engine = get_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    try:
        assert set(models.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_the_installed_command_fails_in_one_line(tmp_path):
    """Outside pytest too, a bad e-mail exits 1 with one Arabic line and no traceback."""
    # given a fresh environment
    # when create-admin is given a bad e-mail
    result = _run_mihan(tmp_path, "create-admin", "--email", "nope", "--password", "founder-pass-1")
    # then it exits 1 with the translated message only
    assert result.returncode == 1
    assert _one_line(result.stderr) == translate("input.email", "ar")
    assert result.stdout == ""


def test_lexicon_add_list_and_remove(migrated, capsys, fresh_lexicon):
    """Admins' terms round-trip through the three commands; --json is for scripts."""
    # given two added terms
    assert main(["lexicon", "add", "زقزقة", "jingle"]) == 0
    assert main(["lexicon", "add", "ستوري", "ad"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == translate("cli.term_added", "ar", term="زقزقة", concept="jingle")
    # when they are listed, all and filtered
    assert main(["lexicon", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert main(["lexicon", "list", "--query", "jingle"]) == 0
    filtered = capsys.readouterr().out
    # then the newest comes first, and the plain listing is one tab-separated line a term
    assert listed == [{"term": "ستوري", "concept": "ad", "bundled": False}, {"term": "زقزقة", "concept": "jingle", "bundled": False}]
    assert filtered == "زقزقة\tjingle\n"
    # when one is removed
    assert main(["lexicon", "remove", "زقزقة", "jingle"]) == 0
    assert capsys.readouterr().out == translate("cli.term_removed", "ar", term="زقزقة", concept="jingle") + "\n"
    # then only the other is left
    assert main(["lexicon", "list", "--json"]) == 0
    assert [e["term"] for e in json.loads(capsys.readouterr().out)] == ["ستوري"]


def test_lexicon_list_bundled_and_empty(migrated, capsys, fresh_lexicon):
    # given no added terms
    # when the list is asked for, then with the built-in terms
    assert main(["--lang", "en", "lexicon", "list"]) == 0
    empty = capsys.readouterr().out
    assert main(["lexicon", "list", "--bundled", "--query", "dubbing", "--json"]) == 0
    bundled = json.loads(capsys.readouterr().out)
    # then the empty list says so, and the built-in terms are marked
    assert empty == translate("cli.lexicon_empty", "en") + "\n"
    assert bundled and all(e["bundled"] and e["concept"] == "dubbing" for e in bundled)


@pytest.mark.parametrize(
    ("arguments", "key"),
    [
        (["دبلجة", "dubbing"], "search.term_bundled"),
        (["زقزقة", "jingle"], "search.term_missing"),
        (["زقزقة", "Jingle!"], "search.invalid_concept"),
    ],
)
def test_lexicon_remove_refusals_exit_1_with_one_line(migrated, capsys, fresh_lexicon, arguments, key):
    assert main(["lexicon", "remove", *arguments]) == 1
    assert _one_line(capsys.readouterr().err) == translate(key, "ar")

"""Bulk import of gigs from JSON Lines, through the service and the ``mihan`` command, on SQLite and Postgres.

Pilots move a catalogue in with ``mihan catalog import``: every good line becomes an active gig,
every bad line is reported by number with a reason while the others go in, and running the same
file again updates instead of duplicating. Sellers the store does not know become claimable
accounts. The demo file (app/demo/gigs.jsonl) is the realistic input.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from app.accounts import get_user_by_email
from app.catalog import import_lines
from app.cli import main
from app.core import security
from app.core.db import reading, transaction
from app.core.i18n import translate
from app.core.settings import PROJECT_ROOT
from app.demo import DEMO_PASSWORD
from app.demo import seed
from models.accounts import SellerProfile, User
from models.catalog import Category, Gig, GigExtra, GigFaq, GigPackage, GigRequirement, GigSearchDoc, GigStatus
from tests.passwords import use_fast_password_hashing

DEMO_GIGS = PROJECT_ROOT / "app" / "demo" / "gigs.jsonl"
DEMO_LINES = DEMO_GIGS.read_text(encoding="utf-8").splitlines()
DESCRIPTION = "أسجل إعلانك بصوت رجالي نجدي دافئ في استوديو معزول، وأسلم ملف WAV عالي الجودة مع نسخة MP3 جاهزة للنشر."


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Arabic output, no tracebacks, and cheap hashing: the import creates dozens of accounts."""
    monkeypatch.delenv("MIHAN_LANG", raising=False)
    monkeypatch.delenv("MIHAN_DEBUG", raising=False)
    use_fast_password_hashing(monkeypatch)


def line(ref: str, seller: str = "fahad@example.com", **changes: Any) -> str:
    """One valid import line (a one-package gig, the short form pilots use), as JSON."""
    data: dict[str, Any] = {
        "ref": ref,
        "seller": seller,
        "category": "ads",
        "title": f"تعليق صوتي نجدي لإعلانك رقم {ref}",
        "description": DESCRIPTION,
        "tags": ["تعليق صوتي"],
        "city": "riyadh",
        "dialect": "najdi",
        "price": 150,
        "delivery_days": 3,
    }
    data.update(changes)
    return json.dumps(data, ensure_ascii=False)


def run_import(lines: list[str], **kwargs: Any):  # type: ignore[no-untyped-def]
    with transaction() as session:
        return import_lines(session, lines, **kwargs)


def counts() -> dict[str, int]:
    with reading() as session:
        return {
            model.__name__: session.exec(select(func.count()).select_from(model)).one()
            for model in (Gig, GigPackage, GigSearchDoc, User, SellerProfile, Category)
        }


def gig_by_ref(ref: str) -> tuple[int, str, str] | None:
    """(seller id, title, status) of the gig imported under ``ref``, or None."""
    with reading() as session:
        gig = session.exec(select(Gig).where(Gig.ref == ref)).first()
        return None if gig is None else (gig.seller_id, gig.title, gig.status)


def write(tmp_path: Path, lines: list[str], name: str = "gigs.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- the demo file -------------------------------------------------------------------------


def test_the_demo_file_imports_as_active_gigs_with_claimable_sellers(migrated_database: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A pilot's catalogue arrives before its sellers have accounts: ``mihan catalog import`` makes each
    unknown seller a seller account nobody can log in to until they reset the password, and the gigs go live.
    (One full import per backend: the demo file is the slowest input in this module.)"""
    # given a fresh store with no users
    refs = [json.loads(raw)["ref"] for raw in DEMO_LINES]
    sellers = {json.loads(raw)["seller"] for raw in DEMO_LINES}
    # when the demo file is imported through the command with --json
    code = main(["catalog", "import", str(DEMO_GIGS), "--json"])
    out = capsys.readouterr()
    # then the JSON report counts every line as created, without errors
    assert code == 0
    assert json.loads(out.out) == {"created": len(DEMO_LINES), "updated": 0, "errors": []}
    # and every line is an active, published gig with packages and a search document
    imported = counts()
    assert imported["Gig"] == imported["GigSearchDoc"] == len(refs) == len(set(refs))
    assert imported["GigPackage"] >= len(refs)
    with reading() as session:
        gigs = session.exec(select(Gig)).all()
        assert {g.ref for g in gigs} == set(refs)
        assert {g.status for g in gigs} == {GigStatus.ACTIVE.value}
        assert all(g.published_at is not None for g in gigs)
        # and each unknown seller is now an unverified seller account with an unusable random password
        assert imported["User"] == imported["SellerProfile"] == len(sellers)
        hashes = set()
        for email in sellers:
            user = get_user_by_email(session, email)
            assert user is not None, email
            assert user.role == "user" and user.is_active and user.email_verified_at is None, email
            assert session.exec(select(SellerProfile).where(SellerProfile.user_id == user.id)).first() is not None
            assert user.name == email.split("@")[0]
            assert user.password_hash.startswith("$argon2")
            for guess in ("", email, email.split("@")[0], DEMO_PASSWORD, "password", "12345678"):
                assert security.verify_password(guess, user.password_hash)[0] is False, (email, guess)
            hashes.add(user.password_hash)
        assert len(hashes) == len(sellers)  # random per account, not one shared secret

    # when a buyer's query is searched with --json and a limit
    code = main(["search", "تعليق صوتي", "--json", "--limit", "5"])
    out = capsys.readouterr()
    # then the output is a JSON list of at most five objects with exactly the contract's keys
    assert code == 0 and out.err == ""
    results = json.loads(out.out)
    assert isinstance(results, list) and 1 <= len(results) <= 5
    assert all(set(item) == {"ref", "id", "title", "score"} for item in results)
    assert all(isinstance(item["id"], int) and item["ref"] in refs and item["title"] for item in results)
    # ranked by score, highest first
    scores = [item["score"] for item in results]
    assert all(isinstance(score, float) for score in scores)
    assert scores == sorted(scores, reverse=True)
    # and they are voice-over gigs
    assert all(any(word in item["title"] for word in ("تعليق", "صوت", "معلق")) for item in results), results
    # and a query with no match prints an empty list
    assert main(["search", "كلمةلاتوجدابدا", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_reimporting_the_same_file_updates_and_creates_nothing(migrated_database: str, tmp_path: Path) -> None:
    """When the sellers already have accounts (as the demo seed makes them) their gigs join those
    accounts; importing the same file again is idempotent on ref: counted as updated, nothing new."""
    # given the demo sellers, signed up and in seller mode as the seed creates them
    with transaction() as session:
        seed._add_sellers(session)
    with reading() as session:
        people = {u.email: (u.id, u.name, u.email_verified_at) for u in session.exec(select(User))}
    before = counts()
    # and a file holding the first 24 demo gigs
    path = write(tmp_path, DEMO_LINES[:24])
    # when it is imported
    with path.open(encoding="utf-8") as lines:
        first = run_import(lines)
    # then the gigs are active and belong to the named sellers, and no account was created or changed
    assert (first.created, first.updated, first.errors) == (24, 0, [])
    imported = counts()
    assert (imported["User"], imported["SellerProfile"]) == (before["User"], before["SellerProfile"])
    with reading() as session:
        for raw in DEMO_LINES[:24]:
            data = json.loads(raw)
            gig = session.exec(select(Gig).where(Gig.ref == data["ref"])).one()
            assert gig.seller_id == people[data["seller"]][0]
            assert gig.status == GigStatus.ACTIVE
        assert {u.email: (u.id, u.name, u.email_verified_at) for u in session.exec(select(User))} == people
        ids = {g.ref: g.id for g in session.exec(select(Gig))}
    # when the same file is imported again
    with path.open(encoding="utf-8") as lines:
        again = run_import(lines)
    # then every line counts as updated and the store holds the same rows under the same ids
    assert (again.created, again.updated, again.errors) == (0, 24, [])
    assert counts() == imported
    with reading() as session:
        assert {g.ref: g.id for g in session.exec(select(Gig))} == ids


# --- bad lines -----------------------------------------------------------------------------


def test_bad_lines_are_reported_by_number_while_the_others_go_in(migrated_database: str) -> None:
    """One broken line must not cost a pilot the rest of the file: each bad line is named with its
    reason, its half-made work (a seller account, a category) is undone, and the good lines go in."""
    # given Fahad's gig already imported under ref «fahad-1»
    assert run_import([line("fahad-1")]).created == 1
    original = gig_by_ref("fahad-1")
    lines = [
        line("good-1"),                                                    # 1 good
        '{"ref": "broken", "title": ',                                     # 2 not JSON
        line("good-2", seller="noura@example.com"),                        # 3 good, a new seller
        line("cheap", price="10"),                                         # 4 below the 20 SAR minimum
        "",                                                                # 5 blank: skipped, still counted
        line("fahad-1", seller="intruder@example.com", title="عنوان المتسلل على خدمة غيره"),  # 6 another seller's ref
        "[1, 2, 3]",                                                       # 7 JSON, but not an object
        line("x").replace('"ref": "x", ', ""),                           # 8 no ref
        line("bad-seller", seller="not-an-email"),                         # 9 seller is not an e-mail
        line("knitting", category="knitting"),                             # 10 unknown category
        line("huge", price="1e30"),                                        # 11 a price too large to round
        line("emoji", title="تعليق صوتي احترافي لإعلانك 🎙️"),              # 12 emoji in the title
        line("good-3", packages=[{"tier": "basic", "price": "90", "delivery_days": 2},
                                 {"tier": "premium", "price": "300", "delivery_days": 1}]),  # 13 good, two packages
        line("dup-tiers", packages=[{"tier": "basic", "price": "90", "delivery_days": 2},
                                    {"tier": "basic", "price": "300", "delivery_days": 1}]),  # 14 duplicate tiers
    ]
    # when the file is imported
    report = run_import(lines)
    # then the good lines went in and each bad line is reported with its file line number and key
    assert (report.created, report.updated) == (3, 0)
    assert report.errors == [
        (2, "import.bad_json"),
        (4, "gig.invalid_price"),
        (6, "import.ref_taken"),
        (7, "import.bad_json"),
        (8, "import.bad_ref"),
        (9, "import.bad_seller"),
        (10, "gig.invalid_category"),
        (11, "gig.invalid_price"),
        (12, "gig.invalid_title"),
        (14, "gig.invalid_packages"),
    ]
    assert all(translate(key, "ar") != key for _, key in report.errors)
    with reading() as session:
        assert {g.ref for g in session.exec(select(Gig))} == {"fahad-1", "good-1", "good-2", "good-3"}
        # and the refused line left no trace: the intruder has no account, Fahad's gig is untouched
        assert get_user_by_email(session, "intruder@example.com") is None
        assert get_user_by_email(session, "noura@example.com") is not None
        assert original is not None and gig_by_ref("fahad-1") == original
        assert session.exec(select(Category).where(Category.slug == "knitting")).first() is None
        # and the package names were filled in from the tier
        good_3 = session.exec(select(Gig).where(Gig.ref == "good-3")).one()
        names = sorted(p.name for p in session.exec(select(GigPackage).where(GigPackage.gig_id == good_3.id)))
    assert names == sorted([translate("gig.tier_basic", "ar"), translate("gig.tier_premium", "ar")])


def test_a_line_may_carry_extras_faq_and_questions(migrated_database: str) -> None:
    """A pilot's catalogue moves in whole: a line's extras, FAQ and questions go in with it, a
    re-import replaces them, and a bad row refuses its line with the row's own key."""
    rows = {
        "extras": [{"title": "تسليم سريع خلال 24 ساعة", "price": 60, "added_days": 0}],
        "faqs": [{"question": "هل تسجل بالفصحى؟", "answer": "نعم."}],
        "requirements": [{"question": "نبرة الصوت", "kind": "choice", "choices": ["رسمية", "ودية"]}],
    }
    # when a line with rows, one without, and one with a free extra are imported
    report = run_import([line("rows", **rows), line("plain", extras=None), line("free", extras=[{"title": "هدية", "price": 0}])])
    # then the first two go in, and the free extra is refused with its key
    assert (report.created, report.errors) == (2, [(3, "gig.invalid_extra_price")])
    with reading() as session:
        gig = session.exec(select(Gig).where(Gig.ref == "rows")).one()
        assert [(e.title, e.price_minor) for e in session.exec(select(GigExtra))] == [("تسليم سريع خلال 24 ساعة", 6000)]
        assert [f.question for f in session.exec(select(GigFaq))] == ["هل تسجل بالفصحى؟"]
        assert [(r.gig_id, r.choices) for r in session.exec(select(GigRequirement))] == [(gig.id, "رسمية\nودية")]
    # when the same ref comes again without FAQ and questions
    assert run_import([line("rows", extras=rows["extras"])]).updated == 1
    # then they are gone and the extra is there once
    with reading() as session:
        assert len(session.exec(select(GigExtra)).all()) == 1
        assert session.exec(select(GigFaq)).all() == [] and session.exec(select(GigRequirement)).all() == []


def test_create_categories_adds_a_missing_category(migrated_database: str) -> None:
    """A pilot's catalogue may use a category the niche does not have yet; with the flag it is
    created (named by its slug for an admin to rename), without it the line is refused."""
    # given a line in the unknown category «sound-design»
    lines = [line("sd-1", category="sound-design", title="تصميم مؤثرات صوتية للألعاب والفيديو")]
    # when imported without the flag
    refused = run_import(lines)
    # then it is refused and no category appears
    assert refused.errors == [(1, "gig.invalid_category")] and refused.created == 0
    # when imported with create_categories
    report = run_import(lines, create_categories=True)
    # then the category exists, active, and the gig is in it and listed
    assert (report.created, report.errors) == (1, [])
    with reading() as session:
        category = session.exec(select(Category).where(Category.slug == "sound-design")).one()
        assert (category.name_ar, category.name_en, category.is_active) == ("sound-design", "sound-design", True)
        gig = session.exec(select(Gig).where(Gig.ref == "sd-1")).one()
        assert gig.category_id == category.id and gig.status == GigStatus.ACTIVE
    # and a second category line with the flag reuses it instead of duplicating it
    before = counts()["Category"]
    assert run_import([line("sd-2", category="sound-design")], create_categories=True).created == 1
    assert counts()["Category"] == before


# --- the command ---------------------------------------------------------------------------


def test_cli_import_json_reports_counts_and_errors(migrated_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Scripts read the import result as JSON: counts, and each error with its line, key and Arabic message."""
    # given a file with two good lines, a bad one and one in a new category
    path = write(tmp_path, [line("a-1"), line("a-2", price="abc"), line("a-3"),
                            line("a-4", category="foley", title="مؤثرات فولي صوتية للأفلام القصيرة")])
    # when it is imported with --json and --create-categories
    code = main(["catalog", "import", str(path), "--json", "--create-categories"])
    out = capsys.readouterr()
    # then the output is one JSON object that says what happened
    assert code == 0
    payload = json.loads(out.out)
    assert payload == {
        "created": 3,
        "updated": 0,
        "errors": [{"line": 2, "error": "gig.invalid_price", "message": translate("gig.invalid_price", "ar")}],
    }
    assert gig_by_ref("a-4") is not None
    # when the same file is imported again
    assert main(["catalog", "import", str(path), "--json", "--create-categories"]) == 0
    # then the same lines are updated, not duplicated
    assert json.loads(capsys.readouterr().out)["updated"] == 3
    assert counts()["Gig"] == 3


def test_cli_import_of_only_bad_lines_exits_1_with_one_line_per_error(migrated_database: str, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """A file that imported nothing is a failure for scripts; a person reads which lines and why."""
    # given a file whose every line is bad
    path = write(tmp_path, ["not json", line("cheap", price="5")])
    # when it is imported without --json
    code = main(["catalog", "import", str(path)])
    out = capsys.readouterr()
    # then it exits 1, prints one Arabic line per error on stderr and the summary on stdout
    assert code == 1
    assert out.err.splitlines() == [
        translate("cli.import_error", "ar", line=1, message=translate("import.bad_json", "ar")),
        translate("cli.import_error", "ar", line=2, message=translate("gig.invalid_price", "ar")),
    ]
    assert out.out.strip() == translate("cli.import_done", "ar", created=0, updated=0, errors=2)


def test_cli_import_of_a_missing_file_exits_1_with_one_arabic_line(migrated_database: str, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A typo in the path is told in one readable line, never a traceback."""
    # given a path that does not exist
    missing = tmp_path / "nowhere" / "gigs.jsonl"
    # when it is imported
    code = main(["catalog", "import", str(missing), "--json"])
    out = capsys.readouterr()
    # then it exits 1 with exactly one Arabic line naming the file, and nothing on stdout
    assert code == 1
    assert out.out == ""
    assert out.err.splitlines() == [translate("cli.file_missing", "ar", path=str(missing))]
    assert "Traceback" not in out.err
    assert any("\u0600" <= ch <= "\u06ff" for ch in out.err)
    assert counts()["Gig"] == 0


def test_a_reimport_keeps_a_suspension_and_a_pause(migrated_database: str, tmp_path) -> None:
    """A founder re-running an import must not undo a moderator's suspension or a seller's pause."""
    from app.catalog import moderate
    from app.catalog.gigs import change_status
    from app.core.db import reading, transaction
    from models.catalog import Gig

    # given two imported gigs, one suspended by a moderator and one paused by its seller
    lines = (Path(__file__).resolve().parents[2] / "app" / "demo" / "gigs.jsonl").read_text(encoding="utf-8").splitlines()[:2]
    with transaction() as session:
        import_lines(session, lines)
    with transaction() as session:
        first, second = session.exec(select(Gig).order_by(Gig.id)).all()
        moderate(session, gig_id=first.id, action="suspend", note="محتوى مخالف")
        change_status(session, seller_id=second.seller_id, gig_id=second.id, action="pause")
    # when the same lines are imported again
    with transaction() as session:
        report = import_lines(session, lines)
    # then both are updated but keep their status
    assert report.updated == 2
    with reading() as session:
        assert [g.status for g in session.exec(select(Gig).order_by(Gig.id))] == ["suspended", "paused"]

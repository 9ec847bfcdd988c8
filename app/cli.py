"""The ``mihan`` command: the same services as the UI, for founders, scripts and CI.

The command names, flags and JSON output are a stable contract (docs/architecture.md). Errors
print one line in the chosen language and exit non-zero; ``MIHAN_DEBUG=1`` shows tracebacks.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import webbrowser
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from app.core import clock, migrations
from app.core.db import transaction
from app.core.errors import MihanError
from app.core.i18n import translate
from app.core.settings import PROJECT_ROOT, SettingsError, get_settings


def _print(args: argparse.Namespace, key: str, **params: object) -> None:
    print(translate(key, args.lang, **params))


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    migrations.upgrade()
    _print(args, "cli.db_upgraded")
    return 0


def cmd_db_check(args: argparse.Namespace) -> int:
    migrations.check()
    _print(args, "cli.db_in_sync")
    return 0


def cmd_create_admin(args: argparse.Namespace) -> int:
    from app.accounts import SignUpInput, create_admin, parse

    data = parse(SignUpInput, {"name": args.name, "email": args.email, "password": args.password})
    with transaction() as session:
        user = create_admin(session, data)
    if args.json:
        print(json.dumps({"id": user.id, "email": user.email, "role": user.role}, ensure_ascii=False))
    else:
        _print(args, "cli.admin_created", email=user.email)
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from app.demo import DEMO_PASSWORD, seed_demo

    with transaction() as session:
        result = seed_demo(session)
    if args.json:
        print(json.dumps({"created": result.created, "users": result.users, "gigs": result.gigs, "orders": result.orders}))
    elif result.created:
        _print(args, "cli.demo_seeded", users=result.users, gigs=result.gigs, orders=result.orders, password=DEMO_PASSWORD)
    else:
        _print(args, "cli.demo_skipped", users=result.users)
    return 0


def cmd_catalog_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.catalog import import_lines

    path = Path(args.file)
    if not path.is_file():
        raise MihanError("cli.file_missing", path=str(path))
    with transaction() as session, path.open(encoding="utf-8") as lines:
        report = import_lines(session, lines, create_categories=args.create_categories)
    if args.json:
        errors = [{"line": n, "error": key, "message": translate(key, args.lang)} for n, key in report.errors]
        print(json.dumps({"created": report.created, "updated": report.updated, "errors": errors}, ensure_ascii=False))
    else:
        for number, key in report.errors:
            print(translate("cli.import_error", args.lang, line=number, message=translate(key, args.lang)), file=sys.stderr)
        _print(args, "cli.import_done", created=report.created, updated=report.updated, errors=len(report.errors))
    return 1 if report.errors and not (report.created or report.updated) else 0


def cmd_search(args: argparse.Namespace) -> int:
    from app.catalog import cards
    from app.core.db import reading
    from app.search.engine import search

    with reading() as session:
        hits = search(session, args.query)[: max(1, args.limit)]
        found = cards(session, [h.gig_id for h in hits], {h.gig_id: h.score for h in hits})
    if args.json:
        print(json.dumps([{"ref": c.ref, "id": c.id, "title": c.title, "score": c.score} for c in found], ensure_ascii=False))
    elif not found:
        _print(args, "cli.no_results")
    else:
        for rank, card in enumerate(found, start=1):
            print(f"{rank:>3}. {card.title}  [{card.ref or card.id}]  {card.score:.3f}")
    return 0


def cmd_seo_pages(args: argparse.Namespace) -> int:
    from app.core.db import reading
    from app.seo import urls
    from app.seo.landing import list_landings

    with reading() as session:
        landings = list_landings(session)
    rows = [
        {
            "path": urls.landing("ar", item.category.slug, item.kind, item.facet.slug),
            "category": item.category.slug,
            "kind": item.kind,
            "facet": item.facet.slug,
            "gigs": item.count,
            "status": item.status,
            "indexed": item.indexed,
        }
        for item in landings
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for row in rows:
        _print(args, "cli.seo_pages_row", status=translate(f"cli.seo_status_{row['status']}", args.lang), count=row["gigs"], path=row["path"])
    _print(args, "cli.seo_pages_summary", indexed=sum(r["indexed"] for r in rows), total=len(rows), min=get_settings().seo_landing_min_gigs)
    return 0


def cmd_search_term_add(args: argparse.Namespace) -> int:
    from app.search.lexicon import add_term

    with transaction() as session:
        row = add_term(session, term=args.term, concept=args.concept)
    _print(args, "cli.term_added", term=row.term, concept=row.concept)
    return 0


def cmd_lexicon_list(args: argparse.Namespace) -> int:
    from app.core.db import reading
    from app.search.lexicon import list_bundled, list_terms

    with reading() as session:
        entries = list_terms(session, query=args.query, limit=None).entries
    if args.bundled:
        entries += list_bundled(args.query).entries
    if args.json:
        print(json.dumps([{"term": e.term, "concept": e.concept, "bundled": e.bundled} for e in entries], ensure_ascii=False))
    elif not entries:
        _print(args, "cli.lexicon_empty")
    else:
        bundled = translate("cli.lexicon_bundled", args.lang)
        for entry in entries:
            print(f"{entry.term}\t{entry.concept}" + (f"\t{bundled}" if entry.bundled else ""))
    return 0


def cmd_lexicon_remove(args: argparse.Namespace) -> int:
    from app.search.lexicon import remove_term

    with transaction() as session:
        remove_term(session, term=args.term, concept=args.concept)
    _print(args, "cli.term_removed", term=args.term, concept=args.concept)
    return 0


def cmd_ledger_check(args: argparse.Namespace) -> int:
    from app.core.db import reading
    from app.ledger import check, get_stats

    from app.orders import audit

    with reading() as session:
        breaches = check(session, closed_order_ids=audit.closed_order_ids(session)) + audit.order_breaches(session)
        stats = get_stats(session)
    if args.json:
        print(json.dumps({
            "ok": not breaches,
            "breaches": [breach.as_dict() for breach in breaches],
            "transactions": stats.transactions,
            "accounts": stats.accounts,
        }, ensure_ascii=False))
    elif breaches:
        for breach in breaches:
            print(f"{breach.rule}\t{breach.subject}\t{breach.detail}")
        _print(args, "cli.ledger_breaches", count=len(breaches))
    else:
        _print(args, "cli.ledger_ok", transactions=stats.transactions, accounts=stats.accounts)
    return 1 if breaches else 0


def cmd_payments_reconcile(args: argparse.Namespace) -> int:
    from app.core.db import reading
    from app.payments.reconcile import reconcile

    with reading() as session:
        report = reconcile(session)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
        return 0 if report.ok else 1
    for total in report.totals:
        print(f"{total.gateway}\t{total.currency}\tpaid {total.paid_count} {total.paid_minor}\tledger {total.ledger_in_minor}\tmismatches {total.mismatches}")
    for mismatch in report.mismatches:
        print(f"{mismatch.kind}\t{mismatch.gateway}\t{mismatch.ledger_key}\tpaid {mismatch.paid_minor}\tledger {mismatch.ledger_minor}")
    _print(args, "cli.reconcile_mismatches" if report.mismatches else "cli.reconcile_ok", count=len(report.mismatches))
    return 0 if report.ok else 1


def cmd_ledger_rebuild(args: argparse.Namespace) -> int:
    from app.ledger import rebuild_balances

    with transaction() as session:
        corrected = rebuild_balances(session)
    if args.json:
        print(json.dumps({"corrected": corrected}))
    else:
        _print(args, "cli.ledger_rebuilt", count=len(corrected))
    return 0


def cmd_invoice_list(args: argparse.Namespace) -> int:
    from app.core.db import reading
    from app.invoices import list_invoices

    with reading() as session:
        rows = list_invoices(session, order_id=args.order)
    if args.json:
        print(json.dumps([row.as_dict() for row in rows], ensure_ascii=False))
        return 0
    if not rows:
        _print(args, "cli.invoices_none")
    for row in rows:
        gross = f"{row.gross.minor / 100:.2f} {row.gross.currency}"  # display only: exact to the halala
        print(f"{row.id}\t{row.number}\t{row.kind}\t{row.order_id}\t{row.recipient_name}\t{gross}\t{clock.as_utc(row.issued_at).isoformat()}")
    return 0


def cmd_invoice_export(args: argparse.Namespace) -> int:
    from app.core.db import reading
    from app.invoices import export_document, get_invoice

    with reading() as session:
        invoice = get_invoice(session, invoice_id=args.id)
        number = invoice.number
        document = export_document(session, invoice, args.format)
    if args.out:
        with open(args.out, "wb") as handle:
            handle.write(document.content)
        _print(args, "cli.invoice_exported", number=number, path=args.out)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(document.content)
        sys.stdout.buffer.flush()
    return 0


def cmd_invoice_vat_report(args: argparse.Namespace) -> int:
    from app.core.db import reading
    from app.invoices import parse_day, vat_csv, vat_report

    start, end = parse_day(args.start), parse_day(args.end)
    with reading() as session:
        report = vat_report(session, start=start, end=end)
        text = vat_csv(session, start=start, end=end) if args.csv else ""
    if args.csv:
        with open(args.csv, "w", encoding="utf-8-sig", newline="") as handle:  # the BOM lets Excel read Arabic
            handle.write(text)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
        return 0
    _print(args, "cli.vat_report", start=start.isoformat(), end=end.isoformat())
    for line in (*report.lines, report.total):
        print(
            f"{translate(f'invoices.purpose_{line.purpose}', args.lang)}\t{line.invoices}\t{line.credit_notes}\t"
            f"{_amount(line.taxable.minor)}\t{_amount(line.vat.minor)} {line.vat.currency}"
        )
    if args.csv:
        _print(args, "cli.vat_csv_written", path=args.csv)
    return 0


def _amount(minor: int) -> str:
    """Halalas as exact decimal text (display only)."""
    sign = "-" if minor < 0 else ""
    whole, cents = divmod(abs(minor), 100)
    return f"{sign}{whole}.{cents:02d}"


def _moment(text: str | None) -> datetime:
    """``--now`` as an aware instant (a date alone means its midnight UTC); default: now."""
    if not text:
        return clock.now()
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def cmd_jobs_run(args: argparse.Namespace) -> int:
    from app.orders import jobs

    moved = jobs.run_all(_moment(args.now))
    if args.json:
        print(json.dumps(moved))
    else:
        _print(args, "cli.jobs_done", summary="، ".join(f"{name}: {count}" for name, count in moved.items()))
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from app.orders.simulation import simulate

    if args.orders < 1 or args.workers < 1:
        raise MihanError("cli.simulate_invalid")
    report = simulate(orders=args.orders, seed=args.seed, workers=args.workers)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        for breach in report.breaches:
            print(breach)
        _print(args, "cli.simulated" if report.ok else "cli.ledger_breaches", count=len(report.breaches), orders=report.orders,
               workers=report.workers, seconds=round(report.seconds, 1))
    return 0 if report.ok else 1


def reflex_environment(port: int) -> dict[str, str]:
    """The environment ``reflex run`` needs here: system bun, no telemetry, our settings."""
    env = dict(os.environ)
    tools = PROJECT_ROOT / ".tools" / "node_modules" / ".bin"
    env["PATH"] = f"{tools}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("REFLEX_USE_SYSTEM_BUN", "1")
    env.setdefault("REFLEX_TELEMETRY_ENABLED", "false")
    env.setdefault("REFLEX_CHECK_LATEST_VERSION", "false")
    env["MIHAN_PORT"] = str(port)
    env.setdefault("MIHAN_BASE_URL", f"http://localhost:{port}")
    env.setdefault("MIHAN_DATA_DIR", str(get_settings().data_dir))
    return env


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 900) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(1)
    return False


# ``mihan run --demo`` without MIHAN_PAYMENT_GATEWAYS: the sandbox and a bank transfer to the
# published example IBAN (payments.md §6), so pilots see both ways to pay; no real account.
DEMO_GATEWAYS = {
    "MIHAN_PAYMENT_GATEWAYS": "sandbox,bank",
    "MIHAN_BANK_IBAN": "SA0380000000608010167519",
    "MIHAN_BANK_HOLDER": "شركة مهن للخدمات الرقمية (حساب تجريبي)",
    "MIHAN_BANK_NAME": "البنك التجريبي",
}


def demo_gateways() -> None:
    """Switch the demo's gateways on, unless the operator chose gateways themselves."""
    if os.environ.get("MIHAN_PAYMENT_GATEWAYS", "").strip():
        return
    for name, value in DEMO_GATEWAYS.items():
        if not os.environ.get(name, "").strip():
            os.environ[name] = value
    get_settings.cache_clear()


def cmd_run(args: argparse.Namespace) -> int:
    from app.payments import enabled_gateways
    from app.trust import get_level_policy

    if args.demo:
        demo_gateways()
    get_level_policy()  # a bad MIHAN_LEVELS_FILE stops the start here, in one line
    port = args.port or get_settings().port
    migrations.upgrade()
    enabled_gateways()  # so does a gateway switched on (by env or an admin) without its keys
    if args.demo:
        cmd_seed_demo(argparse.Namespace(lang=args.lang, json=False))
    _print(args, "cli.building", port=port)
    command = [
        sys.executable, "-m", "reflex", "run", "--env", "prod", "--single-port",
        "--backend-port", str(port), "--backend-host", args.host, "--loglevel", "warning",
    ]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=reflex_environment(port), start_new_session=True)
    from app.orders import jobs

    stop_jobs = jobs.start_in_background()
    try:
        if _wait_until_up(f"http://127.0.0.1:{port}/ping", process):
            url = f"http://localhost:{port}/"
            _print(args, "cli.serving", url=url)
            if not args.no_browser:
                webbrowser.open(url)
        return process.wait()
    except KeyboardInterrupt:
        _print(args, "cli.stopping")
        return 0
    finally:
        stop_jobs.set()
        _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and everything it started (bun, granian workers)."""
    if process.poll() is not None:
        return
    for sig, grace in ((signal.SIGINT, 15), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mihan", description="Mihan (مِهَن) marketplace")
    parser.add_argument("--lang", choices=["ar", "en"], default=os.environ.get("MIHAN_LANG", "ar"))
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="migrate, seed the demo if asked, build and serve on one port")
    run.add_argument("--port", type=int, default=None)
    run.add_argument("--host", default="0.0.0.0")
    run.add_argument("--no-browser", action="store_true")
    run.add_argument("--demo", action="store_true", help="seed the demo data when the store is empty")
    run.set_defaults(handler=cmd_run)

    db = commands.add_parser("db", help="database migrations").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="migrate to the newest schema").set_defaults(handler=cmd_db_upgrade)
    db.add_parser("check", help="fail when models and migrations differ").set_defaults(handler=cmd_db_check)

    admin = commands.add_parser("create-admin", help="create an administrator account")
    admin.add_argument("--email", required=True)
    admin.add_argument("--password", required=True)
    admin.add_argument("--name", default="مدير مِهَن")
    admin.add_argument("--json", action="store_true")
    admin.set_defaults(handler=cmd_create_admin)

    catalog = commands.add_parser("catalog", help="the gig catalogue").add_subparsers(dest="catalog_command", required=True)
    importer = catalog.add_parser("import", help="import gigs from JSON Lines (idempotent on ref)")
    importer.add_argument("file")
    importer.add_argument("--create-categories", action="store_true")
    importer.add_argument("--json", action="store_true")
    importer.set_defaults(handler=cmd_catalog_import)

    search = commands.add_parser("search", help="ranked gigs for a query")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--json", action="store_true")
    search.set_defaults(handler=cmd_search)

    seo = commands.add_parser("seo", help="the server-rendered public pages").add_subparsers(dest="seo_command", required=True)
    seo_pages = seo.add_parser("pages", help="every category × city / dialect landing page, its gig count and whether it is generated")
    seo_pages.add_argument("--json", action="store_true")
    seo_pages.set_defaults(handler=cmd_seo_pages)

    lexicon = commands.add_parser("lexicon", help="the curated search lexicon").add_subparsers(dest="lexicon_command", required=True)
    term = lexicon.add_parser("add", help="add a synonym or derivation to a concept and re-index")
    term.add_argument("term")
    term.add_argument("concept")
    term.set_defaults(handler=cmd_search_term_add)
    listing = lexicon.add_parser("list", help="admins' terms, newest first (--bundled adds the built-in ones)")
    listing.add_argument("--query", default="", help="only terms or concepts containing this text")
    listing.add_argument("--bundled", action="store_true")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_lexicon_list)
    removal = lexicon.add_parser("remove", help="remove an admin's term from a concept and re-index")
    removal.add_argument("term")
    removal.add_argument("concept")
    removal.set_defaults(handler=cmd_lexicon_remove)

    ledger = commands.add_parser("ledger", help="the double-entry ledger").add_subparsers(dest="ledger_command", required=True)
    ledger_check = ledger.add_parser("check", help="verify every ledger invariant; exit 1 on any breach")
    ledger_check.add_argument("--json", action="store_true")
    ledger_check.set_defaults(handler=cmd_ledger_check)
    payments = commands.add_parser("payments", help="gateway payments").add_subparsers(dest="payments_command", required=True)
    reconcile = payments.add_parser("reconcile", help="paid payments against the ledger's gateway clearing; exit 1 on any mismatch")
    reconcile.add_argument("--json", action="store_true")
    reconcile.set_defaults(handler=cmd_payments_reconcile)
    ledger_rebuild = ledger.add_parser("rebuild", help="recompute every cached balance from the entries")
    ledger_rebuild.add_argument("--json", action="store_true")
    ledger_rebuild.set_defaults(handler=cmd_ledger_rebuild)

    invoice = commands.add_parser("invoice", help="the platform's tax invoices and credit notes").add_subparsers(dest="invoice_command", required=True)
    invoice_list = invoice.add_parser("list", help="issued invoices and credit notes, in chain order")
    invoice_list.add_argument("--order", type=int, help="only this order's documents")
    invoice_list.add_argument("--json", action="store_true")
    invoice_list.set_defaults(handler=cmd_invoice_list)
    export = invoice.add_parser("export", help="one document as its stamped UBL XML, JSON, the printable PDF or HTML")
    export.add_argument("id", type=int)
    export.add_argument("--format", choices=("xml", "json", "pdf", "html"), required=True)
    export.add_argument("--out", help="write to this file instead of standard output")
    export.set_defaults(handler=cmd_invoice_export)
    vat = invoice.add_parser("vat-report", help="output VAT of a period of Riyadh days, credit notes subtracted")
    vat.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD (Asia/Riyadh)")
    vat.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD (Asia/Riyadh), included")
    vat.add_argument("--json", action="store_true")
    vat.add_argument("--csv", help="also write one row per document to this CSV file (UTF-8 with BOM)")
    vat.set_defaults(handler=cmd_invoice_vat_report)

    jobs = commands.add_parser("jobs", help="the order clock's jobs").add_subparsers(dest="jobs_command", required=True)
    jobs_run = jobs.add_parser("run", help="run every due job once (late flags, auto-complete, time-outs, clearance, review reveals)")
    jobs_run.add_argument("--now", default=None, help="act as if it were this ISO date-time (tests, demos)")
    jobs_run.add_argument("--json", action="store_true")
    jobs_run.set_defaults(handler=cmd_jobs_run)

    sim = commands.add_parser("simulate", help="random concurrent marketplace activity, then the ledger check")
    sim.add_argument("--orders", type=int, default=100)
    sim.add_argument("--seed", type=int, default=0)
    sim.add_argument("--workers", type=int, default=4)
    sim.add_argument("--json", action="store_true")
    sim.set_defaults(handler=cmd_simulate)

    seed = commands.add_parser("seed", help="load data").add_subparsers(dest="seed_command", required=True)
    demo = seed.add_parser("demo", help="realistic Arabic demo data for the niche (empty store only)")
    demo.add_argument("--json", action="store_true")
    demo.set_defaults(handler=cmd_seed_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        get_settings()  # refuse to start on a setting that would break invoices, with its reason
    except SettingsError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    try:
        return handler(args)
    except MihanError as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # one line for the person at the terminal, never a traceback
        if os.environ.get("MIHAN_DEBUG"):
            raise
        print(translate("cli.failed", args.lang, error=f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

"""Every notification kind queued anywhere in app/ is in the registry, with its text in both
catalogues: the test walks the code, so a new kind without text or group fails here."""

from __future__ import annotations

import ast
import json
import string
from pathlib import Path

import pytest

from app.notifications import KINDS, Group, link_for
from models.offers import OfferStatus
from models.orders import WithdrawalStatus
from models.trust import ReportStatus, ReportTarget

ROOT = Path(__file__).resolve().parents[2]
QUEUERS = {"notify": 2, "queue_notifications": 1}  # function name -> position of the kind argument
# Call sites whose kind is computed: the source of the expression -> every kind it can be.
DYNAMIC = {
    ("app/trust/jobs.py", "kind"): {"level_up", "level_down"},
    ("app/trust/reports.py", "f'report_{outcome.value}'"): {f"report_{s.value}" for s in ReportStatus if s is not ReportStatus.OPEN},
    ("app/trust/reports.py", "f'reported_{report.target_kind}_actioned'"): {f"reported_{t.value}_actioned" for t in ReportTarget},
    ("app/wallets/withdrawals.py", "f'payout_{status.value}'"): {f"payout_{s.value}" for s in WithdrawalStatus if s is not WithdrawalStatus.REQUESTED},
    ("app/catalog/gigs.py", "GIG_DECISIONS[action]"): {"gig_approved", "gig_rejected", "gig_suspended"},
    ("app/trust/identity.py", "f'identity_{request.status}'"): {"identity_approved", "identity_rejected"},
    ("app/offers/offers.py", "f'offer_{status.value}'"): {f"offer_{s.value}" for s in (OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.WITHDRAWN)},
}


def _constants(tree: ast.Module) -> dict[str, str]:
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def queued_kinds() -> dict[str, set[str]]:
    """Each call site that queues a notification in app/ -> the kinds it can queue."""
    from app.notifications.kinds import MESSAGE

    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "app").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {**_constants(tree), "MESSAGE": MESSAGE}
        constants |= {  # NAME = OTHER_NAME, one level
            target.id: constants[node.value.id]
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and node.value.id in constants
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name == "Notification" and relative != "app/notifications/queue.py":
                pytest.fail(f"{relative}:{node.lineno} builds a Notification row: queue it with queue_notifications")
            if name not in QUEUERS or len(node.args) <= QUEUERS[name] or relative.startswith("app/notifications/"):
                continue
            kind = node.args[QUEUERS[name]]
            site = f"{relative}:{node.lineno}"
            if isinstance(kind, ast.Constant) and isinstance(kind.value, str):
                found[site] = {kind.value}
            elif isinstance(kind, ast.Name) and kind.id in constants:
                found[site] = {constants[kind.id]}
            elif (relative, ast.unparse(kind)) in DYNAMIC:
                found[site] = DYNAMIC[(relative, ast.unparse(kind))]
            elif not (relative == "app/orders/lifecycle.py" and ast.unparse(kind) == "kind"):  # notify() passing its own argument on
                pytest.fail(f"{site} queues a computed kind {ast.unparse(kind)!r}: list what it can be in DYNAMIC")
    return found


def test_every_kind_queued_in_the_code_is_registered() -> None:
    sites = queued_kinds()
    assert len(sites) > 25  # the walk does find the flows' calls
    missing = {site: kinds - KINDS.keys() for site, kinds in sites.items() if kinds - KINDS.keys()}
    assert missing == {}
    # and the registry holds nothing the code never queues
    assert set().union(*sites.values()) == set(KINDS)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_kind_and_group_has_its_text(lang: str) -> None:
    catalogue = json.loads((ROOT / "app" / "core" / "locales" / f"{lang}.json").read_text(encoding="utf-8"))
    for name, kind in KINDS.items():
        text = catalogue[kind.text_key(name)]
        assert {field for _, field, _, _ in string.Formatter().parse(text) if field} <= {"title"}, name
    for group in Group:
        assert catalogue[f"notification.group_{group.value}"]


def test_links_lead_to_the_order_the_thread_or_the_page_of_the_kind() -> None:
    assert link_for("delivered", 7) == "/orders/7"
    assert link_for("message", 7) == "/orders/7" and link_for("message", None) == "/messages"
    assert link_for("payout_paid", None) == "/wallet" and link_for("gig_rejected", None) == "/seller/gigs"
    assert link_for("report_dismissed", None) == ""
    with pytest.raises(ValueError):
        link_for("nope", None)

"""The judged queries' top 20, pinned: the search must keep returning what it returned before.

``top_results.tsv`` holds, per backend, each judged query's top 20 gig refs as ranked when every
match was scored exhaustively (before the speed work of docs/benchmarks.md). The faster search
scores the same way and, on a catalogue this size, every match, so a change that reorders these
is a change of ranking and fails here. After a deliberate one, rewrite the file with
``MIHAN_RECORD_TOP_RESULTS=1`` and review its diff.
"""

from __future__ import annotations

import os
from pathlib import Path

from app.catalog import cards
from app.core.db import reading
from app.search.engine import search
from tests.search.judged import queries

PINNED = Path(__file__).with_name("top_results.tsv")


def _pinned() -> dict[tuple[str, str], list[str]]:
    rows = (line.split("\t") for line in PINNED.read_text(encoding="utf-8").splitlines() if line.strip())
    return {(backend, qid): refs.split() for backend, qid, refs in rows}


def test_judged_queries_return_the_pinned_top_results(demo_catalogue: str) -> None:
    backend = "sqlite" if demo_catalogue.startswith("sqlite") else "postgres"
    # given the pinned top 20 of every judged query
    pinned = _pinned()
    # when each is searched
    with reading() as session:
        top = {(backend, qid): [c.ref for c in cards(session, [h.gig_id for h in search(session, query)[:20]])] for qid, query, _ in queries()}
    if os.environ.get("MIHAN_RECORD_TOP_RESULTS"):
        pinned.update(top)
        PINNED.write_text("".join(f"{b}\t{q}\t{' '.join(refs)}\n" for (b, q), refs in sorted(pinned.items())), encoding="utf-8")
    # then each returns the same gigs in the same order
    changed = {key: {"pinned": pinned.get(key), "now": refs} for key, refs in top.items() if pinned.get(key) != refs}
    assert not changed, changed

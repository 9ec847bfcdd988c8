"""Search quality and speed on SQLite and Postgres, beside a plain full-text query (`make bench`).

Quality: nDCG@10 and Recall@20 of the judged queries over the demo catalogue, ours and plain.
Speed: MIHAN_BENCH_GIGS (default 100 000) gigs made by recombining the demo gigs' titles and
sentences, then the latency of the judged queries five times over (the first pass, with nothing
cached yet, is also reported alone), ours beside plain on the same rows and the same queries:

* plain on SQLite: FTS5 with unicode61 on the raw title and description, every query word
  required, ``ORDER BY bm25() LIMIT 20``;
* plain on Postgres: a ``simple``-config tsvector of the same text (title weight A), a GIN index,
  every word required, ``ORDER BY ts_rank() LIMIT 20``.

At that size, relevance is judged by inheritance (a generated gig takes the grade of the demo gig
its title, tags and category come from), and the other catalogue pages are timed too: search
within a category, a category page, a gig page. Results are printed and written to
benchmarks/results/search.json, under the backend's name.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from app.catalog import browse, cards, get_gig
from app.catalog import search as search_page
from app.core import db
from app.core.db import reading, transaction
from app.search.engine import Filters, search
from app.search.index import body_text, index_new, is_sqlite
from models.catalog import Category, Gig
from benchmarks.conftest import demo_catalogue
from tests.search.judged import ndcg, qrels, queries, recall

RESULTS = Path(__file__).parent / "results"
GIGS = int(os.environ.get("MIHAN_BENCH_GIGS", "100000"))
PASSES = 5
_WORD = re.compile(r"\w+")


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def catalogue(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo catalogue with the plain index beside ours, on each backend (the name is yielded)."""
    demo_catalogue(request.param, tmp_path_factory, _plain_index)
    yield request.param
    db.dispose_engines()


def _plain_index(session) -> None:  # type: ignore[no-untyped-def]
    if is_sqlite(session):
        session.exec(text("CREATE VIRTUAL TABLE IF NOT EXISTS plain_fts USING fts5(title, body)"))
        session.exec(text("DELETE FROM plain_fts"))
        session.exec(text("INSERT INTO plain_fts(rowid, title, body) SELECT id, title, description || ' ' || tags FROM gig"))
    else:
        session.exec(text("DROP TABLE IF EXISTS plain_tsv"))
        session.exec(text(
            "CREATE TABLE plain_tsv AS SELECT id, setweight(to_tsvector('simple', title), 'A') "
            "|| to_tsvector('simple', description || ' ' || tags) AS tsv FROM gig"
        ))
        session.exec(text("ALTER TABLE plain_tsv ADD PRIMARY KEY (id)"))
        session.exec(text("CREATE INDEX ix_plain_tsv ON plain_tsv USING gin (tsv)"))


def plain_search(session, query: str, limit: int = 20) -> list[int]:  # type: ignore[no-untyped-def]
    """The plain full-text query: raw words, every one required, the database's own ranking."""
    if is_sqlite(session):
        statement = "SELECT rowid FROM plain_fts WHERE plain_fts MATCH :q ORDER BY bm25(plain_fts, 2.0, 1.0) LIMIT :n"
        words = " ".join(f'"{w}"' for w in _WORD.findall(query)) or '""'
    else:
        statement = (
            "SELECT id FROM plain_tsv WHERE tsv @@ plainto_tsquery('simple', :q) "
            "ORDER BY ts_rank(tsv, plainto_tsquery('simple', :q)) DESC LIMIT :n"
        )
        words = query
    return [r[0] for r in session.exec(text(statement).bindparams(q=words, n=limit)).all()]


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


def _timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _report(backend: str, name: str, data: dict) -> None:  # type: ignore[type-arg]
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "search.json"
    existing = json.loads(path.read_text()) if path.exists() else {}
    existing.setdefault(backend, {})[name] = data
    path.write_text(json.dumps(existing, indent=2, ensure_ascii=False) + "\n")
    print(f"\n{backend} {name}: {json.dumps(data, ensure_ascii=False)}")


def test_relevance_beside_plain(benchmark, catalogue: str) -> None:  # type: ignore[no-untyped-def]
    judged = qrels()

    def measure() -> dict:  # type: ignore[type-arg]
        ours, plain = [], []
        with reading() as session:
            refs = {c.id: c.ref for c in cards(session, list(range(1, 1000)))}
            for qid, query, _ in queries():
                mine = [refs[h.gig_id] for h in search(session, query)[:20] if h.gig_id in refs]
                base = [refs[i] for i in plain_search(session, query) if i in refs]
                ours.append((ndcg(mine, judged[qid]), recall(mine, judged[qid])))
                plain.append((ndcg(base, judged[qid]), recall(base, judged[qid])))
        return {
            "queries": len(ours),
            "ours": {"ndcg@10": round(statistics.mean(n for n, _ in ours), 3), "recall@20": round(statistics.mean(r for _, r in ours), 3)},
            "plain": {"ndcg@10": round(statistics.mean(n for n, _ in plain), 3), "recall@20": round(statistics.mean(r for _, r in plain), 3)},
        }

    summary = benchmark.pedantic(measure, rounds=1, iterations=1)
    _report(catalogue, "relevance", summary)
    assert summary["ours"]["ndcg@10"] > summary["plain"]["ndcg@10"]


def _generate(session, count: int) -> dict[int, int]:  # type: ignore[no-untyped-def]
    """Add ``count`` gigs recombined from the demo gigs' titles and sentences; returns each new
    gig's source (the demo gig its title, tags and category come from)."""
    rng = random.Random(2026)
    demo = session.exec(text("SELECT seller_id, category_id, city_id, dialect_id, title, description, tags, id FROM gig ORDER BY id")).all()
    sentences = [s.strip() for row in demo for s in re.split(r"(?<=[.!؟])\s+", row[5]) if s.strip()]
    categories = {c.id: c for c in session.exec(text("SELECT * FROM category")).all()}
    now = datetime(2026, 11, 27, tzinfo=UTC)
    connection = session.connection()
    start = connection.execute(text("SELECT COALESCE(MAX(id), 0) FROM gig")).scalar() + 1
    sources: dict[int, int] = {}
    batch = 5000
    for offset in range(0, count, batch):
        rows, items = [], []
        for gig_id in range(start + offset, start + min(offset + batch, count)):
            seller, category, city, dialect, title, _, tags, source = rng.choice(demo)
            sources[gig_id] = source
            words = title.split()
            rng.shuffle(words)
            new_title = " ".join(words[: rng.randint(4, len(words))])
            description = " ".join(rng.sample(sentences, rng.randint(4, 8)))
            price = rng.randrange(20, 2000) * 100
            rows.append({
                "id": gig_id, "seller_id": seller, "category_id": category, "city_id": city, "dialect_id": dialect,
                "title": new_title, "description": description, "tags": tags, "status": "active", "moderation_note": "",
                "currency": "SAR", "price_minor": price, "delivery_days": rng.randint(1, 14), "rating_sum": 0,
                "rating_count": 0, "orders_completed": rng.randint(0, 300), "created_at": now, "updated_at": now,
                "published_at": now,
            })
            cat = categories.get(category)
            names = Category(name_ar=cat.name_ar, name_en=cat.name_en, slug=cat.slug) if cat else None
            items.append((gig_id, new_title, body_text(description, tags, names)))
        connection.execute(Gig.__table__.insert(), rows)
        index_new(session, items)
    return sources


def _inherited_ndcg(session, sources: dict[int, int]) -> float:  # type: ignore[no-untyped-def]
    """Mean nDCG@10 of our search at scale, each gig graded as the demo gig it was made from."""
    judged = qrels()
    refs = {c.id: c.ref for c in cards(session, list(range(1, 1000)))}
    scores = []
    for qid, query, _ in queries():
        grades = judged[qid]
        gains = [2 ** grades.get(refs.get(sources.get(h.gig_id, h.gig_id), ""), 0) - 1 for h in search(session, query)[:10]]
        dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
        ideal = sum((2 ** max(grades.values(), default=0) - 1) / math.log2(i + 2) for i in range(10))
        scores.append(dcg / ideal if ideal else 0.0)
    return round(statistics.mean(scores), 3)


def test_latency_at_scale_beside_plain(benchmark, catalogue: str) -> None:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    with transaction() as session:
        sources = _generate(session, GIGS)
        _plain_index(session)
    if catalogue == "postgres":  # what autovacuum does after a bulk load: statistics, GIN pending list
        with db.get_engine().connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    build_s = time.perf_counter() - started
    probe = [q for _, q, _ in queries()] * PASSES

    def measure() -> tuple[list[float], list[float]]:
        ours, plain = [], []
        with reading() as session:
            search(session, probe[0])  # warm the process (lexicon, connection)
            for query in probe:
                ours.append(_timed(lambda: search(session, query)))
                plain.append(_timed(lambda: plain_search(session, query)))
        return ours, plain

    ours, plain = benchmark.pedantic(measure, rounds=1, iterations=1)
    mine, base = _percentiles(ours), _percentiles(plain)
    with reading() as session:
        relevance = _inherited_ndcg(session, sources)
        gigs = session.exec(text("SELECT count(*) FROM gig")).scalar()
    _report(
        catalogue,
        "latency",
        {
            "gigs": gigs,
            "queries": len(probe),
            "build_seconds": round(build_s, 1),
            "ours": mine,
            "ours_first_pass": _percentiles(ours[: len(probe) // PASSES]),
            "plain": base,
            "p95_ratio": round(mine["p95_ms"] / max(base["p95_ms"], 0.01), 2),
            "inherited_ndcg@10": relevance,
        },
    )
    _report(catalogue, "pages", _pages())


def _pages() -> dict[str, dict[str, float]]:
    """Search within each category, each category's first page, and gig pages, at scale."""
    timings: dict[str, list[float]] = {"search_in_category": [], "category_page": [], "gig_page": []}
    with reading() as session:
        categories = [r[0] for r in session.exec(text("SELECT DISTINCT category_id FROM gig ORDER BY category_id")).all()]
        newest = session.exec(text("SELECT max(id) FROM gig")).scalar()
        judged = [q for _, q, _ in queries()]
        for i, category in enumerate(categories):
            for query in judged[i % 5 :: 5][:5]:
                timings["search_in_category"].append(_timed(lambda: search_page(session, query, Filters(category_id=category))))
            timings["category_page"].append(_timed(lambda: browse(session, Filters(category_id=category))))
        for gig_id in [*range(1, 51), *range(newest - 49, newest + 1)]:
            timings["gig_page"].append(_timed(lambda: get_gig(session, gig_id)))
    return {name: _percentiles(samples) for name, samples in timings.items()}

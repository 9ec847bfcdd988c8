"""The server-rendered public pages under load at 100 000 gigs (`make bench`).

The catalogue is the search benchmark's: the demo plus MIHAN_BENCH_GIGS (default 100 000) gigs
recombined from it (``_generate``). The public routes run in a real HTTP server (granian, one
worker, as ``mihan run`` starts without Redis) and an httpx load loop with CONCURRENCY clients
asks, for each kind of page, REQUESTS times: the same gig page (served from the page cache), as
many different gig pages (each rendered: what a crawler walking the sitemap costs), a category
page, a landing page, the sitemap index and one gigs sitemap. The first request of each (rendered
with nothing cached) is reported alone. Results: printed and in benchmarks/results/seo.json.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from app.core import db
from app.core.db import reading
from app.seo import urls
from app.seo.landing import list_landings
from benchmarks.test_search_bench import GIGS, _generate, _percentiles
from benchmarks.conftest import demo_catalogue
from tests.conftest import use_database

RESULTS = Path(__file__).parent / "results"
ROOT = Path(__file__).resolve().parents[1]
REQUESTS = int(os.environ.get("MIHAN_BENCH_REQUESTS", "400"))
CONCURRENCY = 8


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(backend, base URL) of a server over the 100 000-gig catalogue."""
    url = demo_catalogue(request.param, tmp_path_factory, lambda session: _generate(session, GIGS))
    db.dispose_engines()
    port = _port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "REFLEX_DB_URL": url, "MIHAN_BASE_URL": base, "PYTHONPATH": str(ROOT)}
    RESULTS.mkdir(exist_ok=True)
    log = (RESULTS / f"seo-server-{request.param}.log").open("wb")
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("granian")), "--interface", "asgi", "--factory", "--host", "127.0.0.1", "--port", str(port), "--workers", "1", "app.http:build_routes"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "the benchmark server did not start"
            time.sleep(0.5)
        yield request.param, base
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        db.dispose_engines()


async def _load(base: str, paths: list[str]) -> dict[str, float]:
    """Ask for every path (CONCURRENCY at a time); latencies and throughput."""
    samples: list[float] = []
    errors: list[int] = []
    queue = list(reversed(paths))
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:

        async def worker() -> None:
            while queue:
                path = queue.pop()
                started = time.perf_counter()
                response = await client.get(path)
                samples.append(time.perf_counter() - started)
                if response.status_code != 200:
                    errors.append(response.status_code)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        wall = time.perf_counter() - started
    return {"requests": len(samples), "errors": len(errors), "requests_per_s": round(len(samples) / wall, 1), **_percentiles(samples)}


def _first(base: str, path: str) -> float:
    started = time.perf_counter()
    assert httpx.get(base + path, timeout=120).status_code == 200
    return round((time.perf_counter() - started) * 1000, 1)


def _canonical(base: str, path: str) -> str:
    response = httpx.get(base + path)
    return response.headers["location"] if response.status_code == 301 else path


def test_public_pages_under_load(benchmark, site: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    backend, base = site
    use_database(os.environ["REFLEX_DB_URL"])
    with reading() as session:
        indexed = [item for item in list_landings(session) if item.indexed]
        gig_ids = [row[0] for row in session.exec(text("SELECT id FROM gig WHERE status = 'active' ORDER BY id DESC LIMIT :n").bindparams(n=REQUESTS))]
    landing = urls.landing("ar", indexed[0].category.slug, indexed[0].kind, indexed[0].facet.slug)
    gig = _canonical(base, f"/ar/gigs/{gig_ids[0]}")
    distinct = [_canonical(base, f"/ar/gigs/{gig_id}") for gig_id in gig_ids]
    kinds = {
        "gig page (cached)": [gig] * REQUESTS,
        "gig pages (each different)": distinct,
        "category page": ["/ar/categories/ads"] * REQUESTS,
        "landing page": [landing] * REQUESTS,
        "sitemap index": ["/sitemap.xml"] * REQUESTS,
        "gigs sitemap (2000 gigs)": ["/sitemaps/gigs-1.xml"] * (REQUESTS // 4),
    }

    def measure() -> dict:  # type: ignore[type-arg]
        out = {}
        for name, paths in kinds.items():
            first = _first(base, paths[0]) if len(set(paths)) == 1 else None
            out[name] = {**asyncio.run(_load(base, paths)), **({"first_ms": first} if first is not None else {})}
        return out

    summary = benchmark.pedantic(measure, rounds=1, iterations=1)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "seo.json"
    existing = json.loads(path.read_text()) if path.exists() else {}
    existing[backend] = {"gigs": GIGS, "concurrency": CONCURRENCY, **summary}
    path.write_text(json.dumps(existing, indent=2, ensure_ascii=False) + "\n")
    print(f"\n{backend} public pages: {json.dumps(summary, ensure_ascii=False)}")
    assert all(kind["errors"] == 0 for kind in summary.values()), summary

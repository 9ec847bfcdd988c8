"""FTS5's ``bm25()`` computed in Python, for a few hundred candidate gigs only (SQLite).

FTS5's own ``bm25()`` counts every query phrase's document frequency by reading the phrase's
whole posting list, and scores every match, on every query: at 100 000 gigs a niche-wide word
(«صوت» is in 90 % of the benchmark's gigs) costs more than the rest of the search. The engine
therefore asks FTS5 only *which* gigs match, picks the candidates to score, and scores them here
with FTS5's formula (SQLite's ``fts5_aux.c``): per phrase, IDF = ln((N − n + 0.5) / (n + 0.5))
floored at 1e-6, times f·(k1 + 1) / (f + k1·(1 − b + b·D / avgdl)) with k1 = 1.2, b = 0.75, where
f adds the column weight of every occurrence of the phrase in the gig and D is the gig's length
in tokens over all columns. The inputs come from the same places FTS5 takes them:

* N and the total token count from the index's averages record, D from the gig's ``docsize``
  row (both are sequences of SQLite varints, FTS5's on-disk format);
* n from FTS5 itself, counted exactly up to :data:`EXACT_FREQUENCY` matches; a phrase matched
  by more gigs has its frequency estimated from the density of its newest matches (its IDF is
  small there, and the estimate moves it by hundredths);
* f from the stored ``gig_search_doc`` text, which is what the index was fed, split where the
  index's unicode61 tokenizer splits (spaces, and the ``.`` ``_`` and Arabic punctuation the
  analyzer leaves inside a token).

So when every frequency is exact (below :data:`EXACT_FREQUENCY`, as on the demo catalogue) the
scores are FTS5's to the last bit; ``tests/search/test_bm25.py`` checks it.
"""

from __future__ import annotations

import json
import math
import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session

from app.search.analyzer import current_lexicon
from app.search.index import COLUMNS

K1 = 1.2
B = 0.75
EXACT_FREQUENCY = 1000
ESTIMATE_SECONDS = 600.0


def _index_separators() -> str:
    """Characters unicode61 (``categories 'L* N* Co Mn'``) splits on that analyzer tokens can hold.

    Tokens are letters, numbers with a decimal point, concept ids with ``_``, or runs of the
    Arabic blocks, which include punctuation and symbols (٪ ۞ ؎ …).
    """
    arabic = (range(0x0600, 0x0700), range(0x0750, 0x0780), range(0x08A0, 0x0900))
    kept = ("L", "N", "Mn", "Co")
    found = [chr(c) for block in arabic for c in block if not unicodedata.category(chr(c)).startswith(kept)]
    return " ._" + "".join(found)


_SEPARATORS = re.compile(f"[{re.escape(_index_separators())}]+")
_INNER_SEPARATOR = re.compile(f"[{re.escape(_index_separators()[1:])}]")


@dataclass(frozen=True)
class Phrase:
    """A query term at one level, matched in the title and description columns of that level."""

    level: str  # exact | stem | concept | root
    text: str

    def columns(self, fields: Sequence[str] = ("t", "d")) -> str:
        return " ".join(f"{field}_{self.level}" for field in fields)

    def fts(self, fields: Sequence[str] = ("t", "d")) -> str:
        """The phrase in FTS5 query syntax, limited to its level's columns in ``fields``."""
        quoted = self.text.replace('"', '""')
        return f'{{{self.columns(fields)}}} : "{quoted}"'


def _varint_sum(blob: bytes) -> int:
    """The sum of a run of SQLite varints (big-endian 7-bit groups, high bit set on all but the last).

    FTS5 stores token counts this way; they stay below 2**56, so the nine-byte form never occurs.
    """
    total = value = 0
    for byte in blob:
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            total += value
            value = 0
    return total


@dataclass(frozen=True)
class _Index:
    """What the scores need of the whole index: its size, average length and version."""

    rows: int
    average: float
    version: bytes  # FTS5's structure record, which every write to the index changes


def _index(session: Session) -> _Index:
    """Read FTS5's averages record (row id 1: gigs, then tokens per column) and structure record (10)."""
    blocks = dict(session.exec(text("SELECT id, block FROM gig_fts_data WHERE id IN (1, 10)")).all())  # type: ignore[call-overload]
    averages = blocks.get(1) or b""
    first = next((i for i, byte in enumerate(averages) if byte < 0x80), -1) + 1  # the row count's last byte
    rows = _varint_sum(averages[:first])
    return _Index(rows, _varint_sum(averages[first:]) / rows if rows else 0.0, blocks.get(10) or b"")


@dataclass(frozen=True)
class _Frequency:
    value: float
    estimated: bool
    rows: int
    version: bytes
    at: float


# (database, lexicon, phrase) -> its last known document frequency
_frequencies: dict[tuple[str, str, Phrase], _Frequency] = {}


def document_frequency(session: Session, phrase: Phrase, index: _Index) -> float:
    """How many indexed gigs contain ``phrase``: exact below EXACT_FREQUENCY, else estimated.

    The estimate is the density of the phrase among the gigs from its EXACT_FREQUENCY-th newest
    match on, times the index size: one bounded scan instead of the whole posting list. A count
    is kept until the index changes; an estimate for ESTIMATE_SECONDS while the index size stays
    within 1 % (like any search engine's term statistics, it may lag the index a little).
    """
    key = (str(session.get_bind().url), current_lexicon().fingerprint, phrase)
    kept = _frequencies.get(key)
    if kept is not None and (
        kept.version == index.version
        or (kept.estimated and abs(kept.rows - index.rows) * 100 <= index.rows and time.monotonic() - kept.at < ESTIMATE_SECONDS)
    ):
        return kept.value
    found, oldest = session.exec(  # type: ignore[call-overload]
        text(
            "SELECT count(*), min(rowid) FROM (SELECT rowid FROM gig_fts WHERE gig_fts MATCH :phrase "
            "ORDER BY rowid DESC LIMIT :limit)"
        ).bindparams(phrase=phrase.fts(), limit=EXACT_FREQUENCY)
    ).one()
    value = float(found)
    if found == EXACT_FREQUENCY:
        window = session.exec(  # type: ignore[call-overload]
            text("SELECT count(*) FROM gig_fts_docsize WHERE id >= :oldest").bindparams(oldest=oldest)
        ).scalar()
        value = index.rows * found / window
    if len(_frequencies) >= 50_000:
        _frequencies.clear()
    _frequencies[key] = _Frequency(value, found == EXACT_FREQUENCY, index.rows, index.version, time.monotonic())
    return value


def _idf(rows: int, frequency: float) -> float:
    idf = math.log((rows - frequency + 0.5) / (frequency + 0.5))
    return idf if idf > 0 else 1e-6


def _tokenized(values: Sequence[str], levels: Sequence[str]) -> list[str]:
    """A gig's columns as their index tokens between single spaces, with a space at either end.

    Separators inside analyzer tokens are rare and cost a regex over the whole text to find, so
    only the exact columns are searched: every other level is derived token by token from the
    exact words (stems and roots only drop letters), except concept ids, which may hold ``_``.
    """
    split = any(_INNER_SEPARATOR.search(v) for v, level in zip(values, levels, strict=True) if level == "exact")
    return [
        f" {_SEPARATORS.sub(' ', v).strip()} " if split or (level == "concept" and "_" in v) else f" {v} "
        for v, level in zip(values, levels, strict=True)
    ]


def _occurrences(column: str, needle: str, token: str | None) -> int:
    """Occurrences of ``needle`` (`` a b ``) in a tokenized column, overlapping ones included.

    Only needed where ``str.count`` may miss a hit that shares its leading space with the previous
    one: a one-word needle (``token``) twice in a row, common in concept columns (صوت صوتي →
    ``voice voice``), where the words are counted instead; a phrase of several tokens
    (``voice_over``, ``3.5``, rare), walked hit by hit.
    """
    if token is not None:
        return column.split().count(token)
    count, at = 0, column.find(needle)
    while at >= 0:
        count += 1
        at = column.find(needle, at + 1)
    return count


def score(session: Session, phrases: Sequence[Phrase], weights: Sequence[float], gig_ids: Sequence[int]) -> dict[int, float]:
    """FTS5's bm25 (as a positive score: higher is better) of each gig for the query ``phrases``.

    ``phrases`` are in query order, repeats included (FTS5 scores each occurrence of a phrase in
    the expression); ``weights`` are per index column, as for ``bm25()``.
    """
    if not gig_ids:
        return {}
    index = _index(session)
    levels = sorted({"exact"} | {p.level for p in phrases})
    needed = [f"{field}_{level}" for field in ("t", "d") for level in levels]
    column_levels = [name[2:] for name in needed]
    plan = []
    for p in phrases:
        tokens = _SEPARATORS.sub(" ", p.text).split()
        if tokens:  # a phrase of separators only has no tokens and matches nothing
            title, body = f"t_{p.level}", f"d_{p.level}"
            token = tokens[0] if len(tokens) == 1 else None
            plan.append((
                f" {' '.join(tokens)} ", token, f" {token} {token} " if token else None, needed.index(title), needed.index(body),
                weights[COLUMNS.index(title)], weights[COLUMNS.index(body)], _idf(index.rows, document_frequency(session, p, index)),
            ))
    found = session.exec(  # type: ignore[call-overload]
        text(
            f"SELECT d.gig_id, s.sz, {', '.join('d.' + c for c in needed)} FROM gig_search_doc d "
            "JOIN gig_fts_docsize s ON s.id = d.gig_id WHERE d.gig_id IN (SELECT value FROM json_each(:ids))"
        ).bindparams(ids=json.dumps(list(gig_ids)))
    ).all()
    scores = {}
    for gig_id, sizes, *values in found:
        columns = _tokenized(values, column_levels)
        saturation = K1 * (1 - B + B * float(_varint_sum(sizes)) / index.average)
        total = 0.0
        for needle, token, twice, title, body, title_weight, body_weight, phrase_idf in plan:
            in_title, in_body = columns[title].count(needle), columns[body].count(needle)
            if in_title or in_body:  # an absent phrase adds exactly 0.0
                if twice is None or twice in columns[title] or twice in columns[body]:
                    in_title, in_body = _occurrences(columns[title], needle, token), _occurrences(columns[body], needle, token)
                frequency = 0.0
                for _ in range(in_title):  # FTS5 adds each occurrence's weight, in column order
                    frequency += title_weight
                for _ in range(in_body):
                    frequency += body_weight
                total += phrase_idf * ((frequency * (K1 + 1.0)) / (frequency + saturation))
        scores[gig_id] = total
    return scores

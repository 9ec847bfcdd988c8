"""The judged query set (TREC files beside this module) and the metrics we report on it."""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).parent


def queries() -> list[tuple[str, str, str]]:
    """(qid, query, type) rows of queries.tsv."""
    rows = []
    for line in (HERE / "queries.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip():
            qid, query, kind = line.split("\t")
            rows.append((qid, query, kind))
    return rows


def qrels() -> dict[str, dict[str, int]]:
    """qid -> {gig ref: grade}; unlisted gigs are grade 0."""
    grades: dict[str, dict[str, int]] = defaultdict(dict)
    for line in (HERE / "qrels.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip():
            qid, _, ref, grade = line.split()
            grades[qid][ref] = int(grade)
    return grades


def ndcg(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    """nDCG@k with gain 2^grade - 1."""
    dcg = sum((2 ** grades.get(ref, 0) - 1) / math.log2(i + 2) for i, ref in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: list[str], grades: dict[str, int], k: int = 20) -> float:
    """Share of the relevant gigs (grade >= 2) found in the top k."""
    relevant = {ref for ref, g in grades.items() if g >= 2}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 1.0

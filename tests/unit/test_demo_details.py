"""The demo gigs' extras, FAQ and questions: valid for every line, and not one list copied everywhere.

``mihan seed demo`` refuses to start on a single refused line, so every demo gig is checked here
against the real parser (no database needed).
"""

from __future__ import annotations

import json
from collections import defaultdict

from app.catalog import parse_gig
from app.catalog.importer import _gig_data
from app.core.settings import PROJECT_ROOT
from app.demo.details import DETAILS, with_details
from app.niche import get_niche

DEMO_LINES = (PROJECT_ROOT / "app" / "demo" / "gigs.jsonl").read_text(encoding="utf-8").splitlines()


def test_every_demo_gig_gets_valid_extras_faq_and_questions():
    """Each line, with its details, passes the parser the seed imports it through."""
    # given every demo line with its category's details
    lines = [json.loads(with_details(raw)) for raw in DEMO_LINES]
    for line in lines:
        # when it is parsed as the importer does
        parsed = parse_gig(_gig_data(line))
        # then it has two or three extras, two to four FAQ entries and two or three questions
        counts = (len(parsed.extras), len(parsed.faqs), len(parsed.requirements))
        assert 2 <= counts[0] <= 3 and 2 <= counts[1] <= 4 and 2 <= counts[2] <= 3, (line["ref"], counts)
        # and the first question is one the seller cannot start without
        assert parsed.requirements[0].required, line["ref"]
    # and every category of the niche has its own table
    assert set(DETAILS) == {category.slug for category in get_niche().categories}


def test_gigs_of_a_category_differ_in_their_extras_and_prices():
    """Two gigs of one category take different slices, priced from their own basic price."""
    offers: dict[str, set[tuple[tuple[str, str], ...]]] = defaultdict(set)
    for raw in DEMO_LINES:
        line = json.loads(with_details(raw))
        offers[line["category"]].add(tuple((e["title"], e["price"]) for e in line["extras"]))
    assert all(len(variants) > 2 for variants in offers.values()), {c: len(v) for c, v in offers.items()}


def test_a_line_keeps_the_rows_it_already_has():
    line = json.loads(DEMO_LINES[0]) | {"extras": [], "faqs": [{"question": "سؤال البائع نفسه؟", "answer": "جوابه."}]}
    detailed = json.loads(with_details(json.dumps(line, ensure_ascii=False)))
    assert detailed["extras"] == [] and detailed["faqs"] == line["faqs"] and detailed["requirements"]

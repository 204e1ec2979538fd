"""Document metadata: what each paper says about itself, checked against the gold documents."""
from __future__ import annotations

from pathlib import Path

import pytest

from council_papers.ingest import read_source
from council_papers.ingest.metadata import dominant_period, long_date, parse_date, period_in
from council_papers.ingest.split import split_documents
from scorer import load_scorer
from gold import gold_rows

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
FIELDS = ["doc_type", "period", "meeting_date", "body", "council"]


def parts_of(name: str):
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file {path} not found (the shared corpus sits beside the repository)")
    return split_documents(read_source(path, CORPUS))


def paired(parts, gold):
    """(gold, part) pairs, matched by title as the scorer matches them."""
    score = load_scorer()
    found = [{"title": p.meta.title} for p in parts]
    matches = score.greedy_match(
        gold, found, lambda g, f: score.fuzz.token_set_ratio(score.norm(g["title"]), score.norm(f["title"])), 70)
    return [(gold[gi], parts[fi]) for gi, fi, _ in sorted(matches)]


PACKS = {"001_4dab42d7330c5b9d": "001_4dab42d7330c5b9d.txt",
         "scrutiny-board-2025-09-17-agenda-minutes-report.pdf":
             "pdf/scrutiny-board-2025-09-17-agenda-minutes-report.pdf"}


@pytest.fixture(scope="module", params=sorted(PACKS))
def pack_pairs(request):
    gold = gold_rows(request.param, "documents")
    pairs = paired(parts_of(PACKS[request.param]), gold)
    assert len(pairs) == len(gold)
    return pairs


@pytest.mark.parametrize("field", FIELDS)
def test_pack_papers_metadata_matches_gold(pack_pairs, field):
    wrong = [(doc["title"], doc[field], getattr(part.meta, field)) for doc, part in pack_pairs
             if doc[field] != getattr(part.meta, field)]
    assert not wrong


def test_pack_papers_titles_are_as_written(pack_pairs):
    for doc, part in pack_pairs:
        if doc["doc_type"] == "other":
            continue  # the gold adds "(presentation)" to a slide deck's title
        assert part.meta.title == doc["title"]


def test_pack_papers_year_is_the_period_start_else_the_meeting_year(pack_pairs):
    for doc, part in pack_pairs:
        expected = int(doc["period"][:4]) if doc["period"] else int(doc["meeting_date"][:4]) if doc["meeting_date"] else None
        if expected is not None:
            assert part.meta.year == expected, doc["title"]


def test_pack_row_names_its_meeting():
    parts = parts_of("001_4dab42d7330c5b9d.txt")
    agenda = next(p.meta for p in parts[1:] if p.meta.doc_type == "agenda")
    pack = parts[0].meta
    assert (pack.body, pack.meeting_date, pack.council) == (agenda.body, agenda.meeting_date, agenda.council)
    assert pack.title != agenda.title and "pack" in pack.title.lower()


@pytest.mark.parametrize("stem", ["000_daf31ef1ce82e922", "002_f441da0c6d574aa3"])
def test_untitled_reports_get_type_and_period_from_their_text(stem):
    (doc,) = gold_rows(stem, "documents")
    (part,) = parts_of(stem + ".txt")
    assert part.meta.doc_type == doc["doc_type"]
    assert part.meta.period == doc["period"]
    assert part.meta.year == int(doc["period"][:4])


def test_market_position_statement_is_recognised():
    (part,) = parts_of("003_4551bcead3bc182e.txt")
    assert part.meta.doc_type == "market_position_statement"


def test_old_local_account_period():
    (part,) = parts_of("004_42c5a85ede2cd3a6.txt")
    assert (part.meta.doc_type, part.meta.period, part.meta.council) == (
        "annual_report", "2015/16", "Coventry City Council")


@pytest.mark.parametrize("text, expected", [
    ("11.00 am on Wednesday, 17th September, 2025", "2025-09-17"),
    ("Date: 3 Feb 2025", "2025-02-03"),
    ("held on 2nd of April 2025", "2025-04-02"),
    ("Meeting: 09/10/2024", "2024-10-09"),
    ("31 February 2025", None),
    ("the 2024/25 year", None),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_long_date_is_written_as_councils_write_it():
    assert long_date("2025-09-07") == "7 September 2025"


@pytest.mark.parametrize("text, expected", [
    ("Work Programme 2025-26", "2025-26"),
    ("Annual Report 2024/25 (Local Account)", "2024/25"),
    ("figures for 2020/2021", "2020/2021"),
    ("Dementia Strategy 2022-2027", None),  # a five-year plan, not a reporting year
    ("on 04/08/25", None),
])
def test_period_in_keeps_the_written_form(text, expected):
    assert period_in(text) == expected


def test_dominant_period_weighs_written_years_then_event_dates():
    assert dominant_period(["In 2020/21 we ...", "Since 2019/20 ...", "2020/21 saw ...", "in May 2021"]) == "2020/21"
    # two years written once each: the dated events decide, and the form is the usual one
    assert dominant_period(["data for 2023 to 2024 (2024 to 2025 not out yet)",
                            "events in May 2024 and December 2024"]) == "2024/25"
    assert dominant_period(["no years here"]) is None

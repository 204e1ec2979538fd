"""Pack splitting: an agenda pack becomes the pack plus its papers; a single paper stays whole."""
from __future__ import annotations

from pathlib import Path

import pytest

from council_papers.ingest import read_source
from scorer import load_scorer
from council_papers.ingest.split import document_starts, split_documents
from council_papers.model import Block
from gold import gold_rows

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
PACK = "001_4dab42d7330c5b9d.txt"
SINGLE_PAPERS = ["000_daf31ef1ce82e922.txt", "002_f441da0c6d574aa3.txt",
                 "003_4551bcead3bc182e.txt", "004_42c5a85ede2cd3a6.txt"]
PDF_PACK = "pdf/scrutiny-board-2025-09-17-agenda-minutes-report.pdf"
PDF_SINGLE = "pdf/asc-self-assessment-2024-25.pdf"


def source_of(name: str):
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file {path} not found (the shared corpus sits beside the repository)")
    return read_source(path, CORPUS)


@pytest.fixture(scope="module")
def pack():
    source = source_of(PACK)
    return source, split_documents(source)


def scorer_pairs(parts, gold):
    """Gold document index → part, paired the way the scorer pairs them (best titles first)."""
    score = load_scorer()
    found = [{"title": p.meta.title} for p in parts]
    matches = score.greedy_match(
        gold, found, lambda g, f: score.fuzz.token_set_ratio(score.norm(g["title"]), score.norm(f["title"])), 70)
    return {gi: fi for gi, fi, _ in matches}


def test_pack_row_comes_first_and_holds_every_block(pack):
    source, parts = pack
    head, papers = parts[0], parts[1:]
    assert head.parent is None
    assert head.blocks == source.blocks
    assert (head.line_start, head.line_end) == (1, source.line_count)
    assert papers and all(p.parent == 0 for p in papers)


def test_every_gold_paper_is_found_with_its_lines(pack):
    _, parts = pack
    gold = gold_rows(PACK, "documents")
    assert len(parts) - 1 == len(gold)
    pairs = scorer_pairs(parts, gold)
    for gi, doc in enumerate(gold):
        part = parts[pairs[gi]]
        assert abs(part.line_start - doc["start_line"]) <= 3, doc["title"]
        assert abs(part.line_end - doc["end_line"]) <= 10, doc["title"]


def test_papers_follow_each_other_without_overlap(pack):
    _, parts = pack
    spans = [(p.line_start, p.line_end) for p in parts[1:]]
    assert all(start <= end for start, end in spans)
    assert all(a_end < b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:]))
    blocks = [b for p in parts[1:] for b in p.blocks]
    assert len(blocks) == len({id(b) for b in blocks})  # no block in two papers


def test_scorer_pairs_each_gold_document_with_a_paper_not_the_pack(pack):
    _, parts = pack
    gold = gold_rows(PACK, "documents")
    pairs = scorer_pairs(parts, gold)
    assert len(pairs) == len(gold)
    assert 0 not in pairs.values()


@pytest.mark.parametrize("name", SINGLE_PAPERS)
def test_a_single_paper_is_one_document_spanning_the_file(name):
    source = source_of(name)
    parts = split_documents(source)
    assert len(parts) == 1
    assert parts[0].parent is None
    assert (parts[0].line_start, parts[0].line_end) == (1, source.line_count)
    assert parts[0].blocks == source.blocks


def test_blank_pages_inside_a_report_do_not_split_it(tmp_path):
    path = tmp_path / "report.md"
    path.write_text(
        "# Borough Adult Social Care Annual Report 2023/24\n\n"
        "We supported 1,200 people at home this year, more than in any year before it.\n\n"
        "This page is intentionally left blank\n\n"
        "## Our carers\n\n"
        "Carers told us that short breaks made the biggest difference to them, and we doubled them.\n"
    )
    parts = split_documents(read_source(path, tmp_path))
    assert len(parts) == 1
    assert parts[0].meta.doc_type == "annual_report"


def test_agenda_item_stamps_and_memo_headers_open_papers(tmp_path):
    path = tmp_path / "pack.md"
    path.write_text(
        "# Planning Committee\n\n**Date and Time**\n\n6.00 pm on Monday, 3rd March, 2025\n\n"
        "**Venue**\n\nTown Hall\n\n**Agenda**\n\n1. **Apologies**\n\n2. **Declarations of Interest**\n\n"
        "3. **Minutes** (Pages 3 - 6)\n\n4. **Housing Delivery Update** (Pages 7 - 12)\n\n"
        "Agenda Item 3\n\n"
        "**Minutes of the meeting of the Planning Committee held on 3 February 2025**\n\n"
        "Present: Councillors A, B and C. The committee considered two applications for new homes on the "
        "edge of the town and approved both, subject to the conditions the officers proposed.\n\n"
        "Agenda Item 4\n\n"
        "**To: Planning Committee**\n\n**Date: 3rd March 2025**\n\n**Subject: Housing Delivery Update**\n\n"
        "## 1 Purpose of the Note\n\n1.1 To update members on the number of homes completed this year "
        "against the target in the local plan, and on the sites expected to deliver homes next year.\n"
    )
    parts = split_documents(read_source(path, tmp_path))
    assert [p.meta.doc_type for p in parts] == ["agenda", "agenda", "minutes", "briefing_note"]
    assert [p.line_start for p in parts[1:]] == [1, 21, 27]
    assert parts[2].meta.meeting_date == "2025-02-03"
    assert parts[3].meta.title == "Housing Delivery Update"
    assert parts[3].meta.body == "Planning Committee"


def test_plain_text_pack_with_stamps_and_a_report_cover(tmp_path):
    path = tmp_path / "pack.txt"
    path.write_text(
        "Public Document Pack\nAdults Scrutiny Committee\nDate and Time: 2.00 pm on Tuesday 4 March 2025\n"
        "Venue: Civic Centre\nAGENDA\n1. Apologies for absence\n2. Declarations of interest\n"
        "3. Minutes of the previous meeting (Pages 3 - 8)\n4. Local Account 2023/24 (Pages 9 - 40)\n"
        "This page is intentionally left blank\nAgenda Item 3\n"
        "Minutes of the meeting of the Adults Scrutiny Committee held on 14 January 2025\n"
        "Present: Councillors Smith (Chair), Jones and Patel.\n"
        "The committee received a report on home care waiting lists and noted that the number of people\n"
        "waiting for an assessment had fallen over the quarter.\n"
        "This page is intentionally left blank\nAgenda Item 4\n"
        "Report to: Adults Scrutiny Committee\nDate: 4 March 2025\nSubject: Local Account 2023/24\n"
        "Report of: Director of Adult Social Services\n1. Purpose of the report\n"
        "1.1 To present the Local Account for 2023/24, which describes how adult social care performed\n"
        "over the year, for members to comment on before it is published in April.\n"
    )
    parts = split_documents(read_source(path, tmp_path))
    metas = [p.meta for p in parts[1:]]
    assert [m.doc_type for m in metas] == ["agenda", "minutes", "committee_report"]
    assert [p.line_start for p in parts[1:]] == [1, 11, 17]
    assert metas[0].title == "Adults Scrutiny Committee – Agenda, 4 March 2025"
    assert (metas[2].title, metas[2].period, metas[2].meeting_date) == ("Local Account 2023/24", "2023/24", "2025-03-04")
    assert all(m.body == "Adults Scrutiny Committee" for m in metas)


def test_report_with_appendices_is_a_pack_of_its_kind(tmp_path):
    path = tmp_path / "report.md"
    path.write_text(
        "Cabinet\n\n12 March 2025\n\n**Title:**\n\nHomes for Older People 2024/25\n\n"
        "**Ward(s) affected:**\n\nAll\n\n**Is this a key decision?**\n\nNo\n\n**Recommendations:**\n\n"
        "Cabinet is asked to note the progress made in the year on extra care housing and the plan for next year.\n\n"
        "This page is intentionally left blank\n\n"
        "# Extra Care Housing Plan\n\n"
        "The plan sets out how many extra care flats the borough needs by 2030, where they could be built, "
        "and how the council will work with housing associations and care providers to build them.\n"
    )
    parts = split_documents(read_source(path, tmp_path))
    assert [(p.meta.doc_type, p.parent) for p in parts] == [
        ("committee_report", None), ("committee_report", 0), ("other", 0)]
    assert parts[0].meta.period == "2024/25" and parts[0].meta.title != parts[1].meta.title
    assert parts[1].meta.meeting_date == "2025-03-12"


def test_agenda_page_references_open_papers_when_the_whole_pack_is_there():
    front = [Block("Planning Committee", "heading", page=1), Block("1. Minutes (Pages 2 - 3)", page=1),
             Block("2. Housing Update (Pages 4 - 5)", page=1)]
    body = [Block(f"Text of page {n}.", page=n) for n in range(2, 6)]
    assert document_starts(front + body, page_count=5) == [0, 3, 5]
    assert document_starts(front + body, page_count=4) == [0]  # an extract: the pages cited are not all here


def test_pdf_pack_splits_into_its_papers_by_page():
    source = source_of(PDF_PACK)
    parts = split_documents(source)
    gold = gold_rows(PDF_PACK, "documents")
    assert [p.meta.doc_type for p in parts[1:]] == [d["doc_type"] for d in gold]
    assert all(p.parent == 0 and p.page_start is not None for p in parts[1:])
    assert (parts[0].page_start, parts[0].page_end) == (1, source.page_count)
    starts = [p.page_start for p in parts[1:]]
    assert starts == sorted(starts)


def test_pdf_report_is_one_document():
    source = source_of(PDF_SINGLE)
    parts = split_documents(source)
    assert len(parts) == 1
    assert (parts[0].page_start, parts[0].page_end) == (1, source.page_count)

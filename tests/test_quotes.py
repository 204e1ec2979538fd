"""Named quotes: exact text, speaker, role, kind and story link, read from real corpus papers."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from council_papers.extract.case_studies import find_case_studies
from council_papers.extract.quotes import extract_quotes
from council_papers.extract.sections import build_sections
from council_papers.ingest import read_source
from council_papers.ingest.split import split_documents
from council_papers.nlp import load_nlp
from gold import annotated_span, gold_rows

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
STORY_PAPER = "000_daf31ef1ce82e922"  # clean text: stories, quotes interrupted by narration
PDF_TEXT_PAPER = "002_f441da0c6d574aa3"  # raw PDF text: quotes over broken lines and columns
PACK = "001_4dab42d7330c5b9d"  # Markdown agenda pack
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "example-borough-local-account-2023-24.md"


@lru_cache(maxsize=None)
def parsed(stem: str):
    """(quotes, case studies) of every paper in a corpus file, as the pipeline runs them."""
    path = CORPUS / f"{stem}.txt"
    if not path.exists():
        pytest.skip(f"corpus file {path} not found (the shared corpus sits beside the repository)")
    return parse_file(path)


def parse_file(path: Path):
    """(quotes with their story, case studies) of every paper in a file, as the pipeline runs them."""
    nlp = load_nlp()
    parts = split_documents(read_source(path, path.parent))
    packs = {p.parent for p in parts if p.parent is not None}
    quotes, stories = [], []
    for i, part in enumerate(parts):
        if i in packs:
            continue
        sections = build_sections(part)
        found = find_case_studies(part, sections, nlp)
        quotes += [(q, found[q.case_study] if q.case_study is not None else None)
                   for q in extract_quotes(part, sections, found, nlp)]
        stories += found
    return quotes, stories


def plain(text: str) -> str:
    """Text as the gold compares it: quote marks and edge punctuation dropped, spaces collapsed."""
    text = re.sub(r"[\"'“”‘’]", "", text or "")
    return re.sub(r"\s+", " ", text).strip(" .,;:!?")


def match(stem: str, expected: dict, min_ratio: int = 100):
    """The found quote with the gold quote's text (exactly, or at ``min_ratio``) near its line."""
    quotes, _ = parsed(stem)
    scored = [(fuzz.ratio(plain(q.text), plain(expected["text"])), q, story) for q, story in quotes
              if q.line is None or abs(q.line - expected["line"]) <= 25]
    best = max(scored, key=lambda s: s[0], default=(0, None, None))
    assert best[0] >= min_ratio, f"not found: {expected['text'][:80]!r} (best {best[0]})"
    return best[1], best[2]


def test_every_quote_of_a_story_paper_has_its_exact_text_speaker_kind_and_story():
    expected = gold_rows(STORY_PAPER, "quotes")
    for g in expected:
        quote, story = match(STORY_PAPER, g)
        assert quote.speaker == g["speaker"], g["text"][:60]
        assert quote.speaker_kind == g["speaker_kind"], g["text"][:60]
        assert (story.title if story else None) == g["case_study"], g["text"][:60]
        if g["speaker_role"] and g["speaker_kind"] != "person_supported":
            assert quote.speaker_role == g["speaker_role"], g["text"][:60]
    quotes, _ = parsed(STORY_PAPER)
    assert len(quotes) == len(expected), "scare quotes or award titles were taken as quotes"


def test_quote_interrupted_by_narration_is_two_quotes_with_their_own_speakers():
    quotes, _ = parsed(STORY_PAPER)
    speakers_by_line = {}
    for q, _ in quotes:
        speakers_by_line.setdefault(q.line, []).append(q.speaker)
    two = [speakers for speakers in speakers_by_line.values() if len(speakers) == 2]
    assert ["Sue", "Katie"] in two  # "Sue says: "..." Katie also added "...""


def test_named_speaker_with_role_in_the_lead_in():
    quote, _ = match(STORY_PAPER, next(g for g in gold_rows(STORY_PAPER, "quotes") if g["speaker"] == "Jon Reading"))
    assert (quote.speaker, quote.speaker_role, quote.speaker_kind) == (
        "Jon Reading", "Head of Commissioning and Quality", "staff")


def test_first_person_story_without_quote_marks_is_one_quote_by_its_teller():
    g = next(g for g in gold_rows(STORY_PAPER, "quotes") if g["case_study"] and g["case_study"].endswith("story"))
    quote, story = match(STORY_PAPER, g)
    assert quote.speaker == g["speaker"] and quote.speaker_kind == "carer"
    assert story.title == g["case_study"]


def test_scare_quotes_award_titles_and_terms_are_not_quotes():
    quotes, _ = parsed(STORY_PAPER)
    text = (CORPUS / f"{STORY_PAPER}.txt").read_text()
    terms = re.findall(r"[‘“]([^’”]{2,40})[’”]", text)
    assert "good" in terms and "Inspirational person with dementia" in terms
    found = {plain(q.text) for q, _ in quotes}
    assert not found & {plain(t) for t in terms if len(t.split()) <= 5}


def test_survey_statistics_and_named_programmes_in_quote_marks_are_not_quotes():
    quotes, _ = parsed(PACK)
    text = (CORPUS / f"{PACK}.txt").read_text()
    assert re.search(r"[\"“]\d+(?:%| per cent) of", text), "the pack quotes statistics in quote marks"
    assert not [q.text for q, _ in quotes if re.match(r"\d+(?:\.\d+)?\s*(?:%|per cent)", q.text)]
    span = annotated_span(PACK)
    in_range = [q for q, _ in quotes if span[0] <= q.line <= span[1]]
    expected = gold_rows(PACK, "quotes")
    assert len(in_range) == len(expected)
    quote, _ = match(PACK, expected[0])
    assert (quote.speaker, quote.speaker_kind) == (expected[0]["speaker"], expected[0]["speaker_kind"])


def test_quotes_in_raw_pdf_text_are_joined_over_lines_columns_and_pages():
    expected = gold_rows(PDF_TEXT_PAPER, "quotes")
    quotes, _ = parsed(PDF_TEXT_PAPER)
    assert len(quotes) <= len(expected) + 1
    right_speaker = 0
    for g in expected:
        quote, story = match(PDF_TEXT_PAPER, g, min_ratio=90)
        if g["speaker"]:
            # the name as written nearest the quote: "Mal Mutton" for "Councillor Mal Mutton"
            right_speaker += bool(quote.speaker) and set(quote.speaker.split()) <= set(g["speaker"].split())
        else:
            right_speaker += quote.speaker is None and fuzz.token_set_ratio(
                g["speaker_role"].lower(), (quote.speaker_role or "").lower()) >= 80
        assert (story.title if story else None) == g["case_study"], g["text"][:60]
    assert right_speaker == len(expected)


def test_quote_cut_at_a_column_end_is_joined_to_its_other_half():
    # The social worker's quote in Peter's story starts at a column's foot; its end was printed first.
    g = next(g for g in gold_rows(PDF_TEXT_PAPER, "quotes") if g["speaker"] == "Mariam")
    quote, _ = match(PDF_TEXT_PAPER, g, min_ratio=95)
    assert quote.speaker_role and "social worker" in quote.speaker_role.lower()
    assert quote.speaker_kind == "staff"


def test_role_only_speakers_and_groups():
    for g in gold_rows(PDF_TEXT_PAPER, "quotes"):
        if g["speaker"] is None and g["speaker_kind"] in ("group", "family"):
            quote, _ = match(PDF_TEXT_PAPER, g, min_ratio=90)
            assert quote.speaker is None
            assert quote.speaker_kind == g["speaker_kind"], g["text"][:60]


def test_role_only_speaker_named_earlier_in_the_sentence():
    # "... for people who work in X ... the resounding answer is 'to ...'": the group before the
    # bare "answer is" speaks.
    g = next(g for g in gold_rows(PDF_TEXT_PAPER, "quotes") if g["speaker"] is None and g["speaker_kind"] == "staff")
    quote, _ = match(PDF_TEXT_PAPER, g)
    assert quote.speaker is None
    assert fuzz.token_set_ratio(g["speaker_role"].lower(), (quote.speaker_role or "").lower()) >= 80
    assert quote.speaker_kind == "staff"


def test_lead_in_naming_no_person_leaves_a_story_quote_to_its_subject():
    # Raw PDF text: "<Name>'s journey continues and he ..." precedes a quote: "journey" is no speaker.
    expected = [g for g in gold_rows(PDF_TEXT_PAPER, "quotes") if g["case_study"] and g["speaker_role"] is None]
    assert expected
    for g in expected:
        quote, story = match(PDF_TEXT_PAPER, g, min_ratio=90)
        assert (quote.speaker, quote.speaker_role) == (g["speaker"], None), g["text"][:60]
        assert story.title == g["case_study"]


def test_role_before_a_full_name_in_the_lead_in():
    # "Lead for <team> (<acronym>), <First> <Surname> said:" — the surname is not the role.
    quotes, _ = parsed(PACK)
    led = [q for q, _ in quotes if q.speaker_role and q.speaker_role.startswith("Lead for")]
    assert led
    for q in led:
        assert len(q.speaker.split()) == 2 and q.speaker_kind == "staff"


def test_carer_kind_from_the_narration_about_the_speaker():
    # "<Name> cares for her father, who lives with dementia" in a carer's story: she speaks as a carer;
    # the director quoted under the next chapter heading is staff and outside the story.
    found = parse_file(EXAMPLE)[0]
    in_story = [(q, story) for q, story in found if story is not None]
    assert in_story
    for q, story in in_story:
        assert q.speaker == story.subject and q.speaker_kind == "carer"
    assert [q.speaker_kind for q, story in found if story is None] == ["staff"]


def test_carer_story_in_a_pack_gives_its_subject_the_carer_kind():
    # A story headed by a carer's assessment, about a woman looking after her husband.
    quotes, stories = parsed(PACK)
    story = next(s for s in stories if s.theme and "assessment" in s.theme.lower())
    told = [q for q, s in quotes if s is story and q.speaker == story.subject]
    assert told and all(q.speaker_kind == "carer" for q in told)
    others = [q for q, s in quotes if s is not None and s.theme == "Shared Lives" and q.speaker == s.subject]
    assert others and all(q.speaker_kind == "person_supported" for q in others)

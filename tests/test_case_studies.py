"""Case studies: personal stories with title, subject, theme and span, from real corpus papers."""
from __future__ import annotations

from gold import gold_rows
from test_quotes import EXAMPLE, PACK, PDF_TEXT_PAPER, STORY_PAPER, parse_file, parsed


def test_stories_of_a_clean_paper_have_gold_titles_subjects_and_lines():
    _, stories = parsed(STORY_PAPER)
    expected = gold_rows(STORY_PAPER, "case_studies")
    assert [(s.title, s.subject, s.line) for s in stories] == [(g["title"], g["subject"], g["line"]) for g in expected]
    katie = stories[0]
    assert katie.theme == "Shared Lives"
    assert katie.line_end == expected[0]["end_line"]  # ends before the Head of Commissioning's comment
    assert "Katie" in katie.text and "Head of Commissioning" not in katie.text


def test_stories_in_raw_pdf_text_with_broken_titles():
    _, stories = parsed(PDF_TEXT_PAPER)
    expected = gold_rows(PDF_TEXT_PAPER, "case_studies")
    by_subject = {s.subject: s for s in stories}
    found = [g for g in expected if g["subject"] in by_subject and abs(by_subject[g["subject"]].line - g["line"]) <= 3]
    assert len(found) >= len(expected) - 1
    assert len(stories) == len(found), "a programme write-up was taken as a story"
    # A title without a name: the subject is the person the story opens with.
    carer = next(g for g in expected if "his story" in g["title"])
    assert by_subject[carer["subject"]].title == carer["title"]


def test_story_titles_in_a_markdown_pack():
    _, stories = parsed(PACK)
    subjects = {s.subject for s in stories}
    assert {"Muthu", "Katie", "Graham and Hazel"} <= subjects
    assert "People" not in subjects  # "People's Stories" is a chapter, not a person's story
    muthu = next(s for s in stories if s.subject == "Muthu")
    assert muthu.theme and "assessment" in muthu.theme.lower()


def test_story_ends_at_the_next_heading_of_its_own_level_or_above(tmp_path):
    # The chapter after the story still names its subject, but a level-2 heading closes a level-3 story.
    paper = tmp_path / "paper.md"
    paper.write_text(
        "# Annual report 2024/25\n\n## Living at home\n\n### Ann's story\n\n"
        "Ann lives alone and has a pendant alarm since her fall. She told us:\n\n"
        '"I feel safe at home again and my daughter worries less."\n\n'
        "## Next year\n\n"
        "Stories like Ann's shape our plans. Our Director of Adult Services, Sam Lee, said:\n\n"
        '"We will open two more community hubs next year."\n'
    )
    quotes, stories = parse_file(paper)
    assert [(s.subject, s.line, s.line_end) for s in stories] == [("Ann", 5, 9)]
    assert [(q.speaker, story.title if story else None) for q, story in quotes] == [
        ("Ann", "Ann's story"), ("Sam Lee", None)]


def test_story_in_the_example_paper_ends_before_the_next_chapter():
    _, stories = parse_file(EXAMPLE)
    assert len(stories) == 1
    text = EXAMPLE.read_text().splitlines()
    after = text[stories[0].line_end:]
    assert next(line for line in after if line.strip()).startswith("## ")

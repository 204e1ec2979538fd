"""Case studies: personal stories with a person at their centre.

A story is found by its title ("Muthu's story", "Katie – A new start with Shared Lives",
"Case Study 1 - Having an Advocate - Keith's Story", "One carer tells us his story",
"Alva's road to recovery"), whether the reader marked that title a heading or not (raw PDF
text breaks titles over lines). It runs until a heading that leaves the person behind, a
heading of the same or a higher level than its own title, the next story, or a closing comment
by someone else ("Head of Service said: ...") that does not mention them. Programme write-ups
without a person at their centre are not stories.
"""
from __future__ import annotations

import re

from council_papers.extract.speakers import SPEECH_CUE
from council_papers.model import Block, CaseStudy, DocumentPart, Section

NAME = r"[A-Z][a-zA-Z-]+"
NAMES = rf"{NAME}(?:\s*(?:,|and|&)\s*{NAME})*"
BROKEN_NAME = r"(?:[A-Z] ?)?[a-z][a-zA-Z-]+"  # raw PDF text can split a capital off: "K eith"
POSSESSIVE_STORY = re.compile(rf"(?:^|\b)({NAMES}|{BROKEN_NAME})[’'][sS]?\s+(?i:life\s+)?(?i:stor(?:y|ies))\b")
PRONOUN_STORY = re.compile(r"\b(?:his|her|their|my) (?:own )?stor(?:y|ies)\b", re.I)
CASE_STUDY = re.compile(r"^case stud(?:y|ies)\b", re.I)
NAME_DASH = re.compile(rf"^({NAMES})\s+[–—-]\s+(.+)$")
POSSESSIVE_TITLE = re.compile(rf"^({NAME})[’']s\s+(journey|road|experience|life|path|new|move|"
                              r"return|recovery|support|home|way)\b", re.I)
MEET = re.compile(rf"^meet\s+({NAMES})\b", re.I)
GENERIC_OWNERS = {"people", "our", "your", "their", "residents", "carers", "families", "users", "customers",
                  "staff", "everyone", "community", "members", "council", "city", "service", "team"}
INTERNAL_HEADING = re.compile(r"^(what|how|why|who|where|when)\b[^.]{0,80}\?$", re.I)
THIRD_PERSON = re.compile(r"\b(he|she|his|her|him)\b", re.I)
# Social-care themes a story is usually about, as (theme, pattern) in order of specificity.
THEMES = [
    ("Shared Lives", r"\bshared lives\b"),
    ("dementia", r"\bdementia|alzheimer"),
    ("carer's assessment", r"\bcarers?[’']?s? (?:wellbeing )?assessment"),
    ("carer support", r"\bcarers?\b"),
    ("mental health", r"\bmental health|\bcrisis\b|\bsection(?:ed)?\b"),
    ("Guardianship", r"\bguardianship\b"),
    ("autism", r"\bautis"),
    ("learning disabilities", r"\blearning disabilit"),
    ("direct payments", r"\bdirect payments?\b"),
    ("hoarding", r"\bhoard"),
    ("financial abuse", r"\bfinancial (?:abuse|exploitation)|\bscam"),
    ("safeguarding", r"\bsafeguarding\b"),
    ("social isolation", r"\bisolat|lonel"),
    ("homelessness", r"\bhomeless|\beviction|\brough sleep"),
    ("housing", r"\bhousing\b|\btenancy\b|\baccommodation\b"),
    ("occupational therapy", r"\boccupational therap|\bOT\b"),
    ("equipment and adaptations", r"\bstair ?lift|\bramp\b|\badaptation|\bequipment\b"),
    ("assistive technology", r"\btelecare\b|\bpendant\b|\bassistive technology|\bTEC\b"),
    ("reablement", r"\breablement\b|\bregain(?:ed)? (?:her|his|their) (?:confidence|independence)"),
    ("hospital discharge", r"\bdischarge"),
    ("advocacy", r"\badvoca"),
    ("employment", r"\bemployment\b|\bjob\b|\bvolunteer"),
    ("education", r"\bcollege\b|\beducation\b"),
    ("substance misuse", r"\balcohol\b|\bdrug\b|\bsubstance"),
    ("falls", r"\bfall\b|\bfell\b"),
]


def _title_subject(title: str) -> tuple[str | None, str | None] | None:
    """(subject, theme hint) when ``title`` reads as a story's title; None otherwise."""
    title = title.strip()
    if len(title.split()) > 16:
        return None
    m = NAME_DASH.match(title)
    if m and not CASE_STUDY.match(title):
        return m.group(1), m.group(2)
    m = POSSESSIVE_STORY.search(title)
    if m:
        names = re.sub(r"^([A-Z]) (?=[a-z])", r"\1", m.group(1))
        prefix = re.sub(r"\s+[A-Z]$", "", title[:m.start(1)].strip(" –—-:")).strip(" –—-:")
        prefix = re.sub(r"(?i)^case stud(?:y|ies)\s*\d*\s*[–—:-]?\s*", "", prefix).strip(" –—-:")
        return _name_case(names), prefix or None
    if CASE_STUDY.match(title) or PRONOUN_STORY.search(title):
        rest = re.sub(r"(?i)^case stud(?:y|ies)\s*\d*\s*[–—:-]?\s*", "", title).strip()
        return None, (rest if rest and not PRONOUN_STORY.search(rest) else None)
    m = POSSESSIVE_TITLE.match(title) or MEET.match(title)
    if m:
        return _name_case(m.group(1)), None
    return None


def _name_case(names: str) -> str:
    return names if not names.isupper() else names.title()


def _first_person_named(blocks: list[Block], nlp) -> str | None:
    """The first person a story's opening names (for titles like "One carer tells us his story")."""
    text = " ".join(b.text for b in blocks[:2])[:600]
    doc = nlp(text)
    people = [e.text for e in doc.ents if e.label_ == "PERSON"]
    if people:
        return people[0].split()[0] if len(people[0].split()) > 2 else people[0]
    for tok in doc:
        if tok.pos_ == "PROPN" and tok.is_title and tok.i + 1 < len(doc) and tok.nbor().text in (",", "is", "was", "has"):
            return tok.text
    return None


def _mentions(subject: str, text: str) -> bool:
    return any(re.search(rf"\b{re.escape(n)}\b", text) for n in re.split(r"\s*(?:,|\band\b|&)\s*", subject) if n)


def _theme(hint: str | None, subtitle: str | None, text: str) -> str | None:
    """A short phrase for what the story is about: the title's own words, else the commonest theme."""
    for phrase in (hint, subtitle):
        if phrase:
            caps = re.findall(r"(?:[A-Z][a-z]+ )*[A-Z][a-z]+", phrase)
            caps = [c for c in caps if c.split()[0] not in ("A", "An", "The", "Having", "My", "Our")]
            if caps and len(caps[-1].split()) >= 2:
                return caps[-1]
            return re.sub(r"(?i)^(?:a|an|the|having an?|my|our)\s+", "", phrase).strip()
    counts = [(len(re.findall(p, text, re.I)), -i, name) for i, (name, p) in enumerate(THEMES)]
    hits = sorted((c for c in counts if c[0] > 0), reverse=True)
    return ", ".join(name for _, _, name in hits[:2]) or None


def _closing_comment(blocks: list[Block], i: int, subject: str, story_so_far: str) -> bool:
    """Block i introduces a newcomer's comment that no longer concerns the story's subject."""
    b = blocks[i]
    if not SPEECH_CUE.search(b.text[-120:]) or _mentions(subject, b.text):
        return False
    speaker = re.match(rf"\s*(?:[A-Z][a-z]+ )?({NAME})", b.text)
    if speaker and re.search(rf"\b{re.escape(speaker.group(1))}\b", story_so_far):
        return False
    nxt = blocks[i + 1].text if i + 1 < len(blocks) else ""
    return bool(re.match(r"\s*[*_]*[“\"‘']", nxt)) and not _mentions(subject, nxt)


TITLE_IN_PARAGRAPH = re.compile(r"^(.{3,80}?\bstor(?:y|ies))\s+(?=[A-Z])")


def _title_candidates(blocks: list[Block], headings: set[int]) -> list[tuple[int, int, str, str]]:
    """(first block, last block, title, rest of the title block) for each title-like text.

    Raw PDF text may break a title over two blocks ("Peter's" / "Story") or run it into
    the story's first paragraph ("One carer tells us his story Stephen, a carer ...").
    """
    out = []
    for i, b in enumerate(blocks):
        text = b.text.strip()
        short = len(text.split()) <= 16 and not re.search(r"[.;:,]$", text)
        if b.kind == "heading" or id(b) in headings or short:
            out.append((i, i, text, ""))
            nxt = blocks[i + 1].text.strip() if i + 1 < len(blocks) else ""
            joined = f"{text} {nxt}"
            if (nxt and len(nxt.split()) <= 3 and len(text.split()) <= 6
                    and _title_subject(text) is None and _title_subject(nxt) is None):
                out.append((i, i + 1, joined, ""))
        else:
            m = TITLE_IN_PARAGRAPH.match(text)
            if m:
                out.append((i, i, m.group(1), text[m.end():]))
    return out


def _next_paragraphs(blocks: list[Block], i: int, story_firsts: set[int]) -> list[Block]:
    """The blocks up to the next two real paragraphs (chart labels in between are skipped)."""
    out, paragraphs = [], 0
    while i < len(blocks) and paragraphs < 2 and len(out) < 10 and i not in story_firsts:
        out.append(blocks[i])
        paragraphs += blocks[i].kind != "heading" and len(blocks[i].text.split()) >= 12
        i += 1
    return out


def find_case_studies(part: DocumentPart, sections: list[Section], nlp) -> list[CaseStudy]:
    """Every personal story in the part, with title, subject, theme, text and span."""
    blocks = [b for b in part.blocks if b.text]
    heading_lines = {(s.line, s.page) for s in sections}
    headings = {id(b) for b in blocks if (b.line, b.page) in heading_lines}
    section_at = {(s.line, s.page): si for si, s in enumerate(sections)}
    starts = []
    taken: set[int] = set()
    for first, last, title, rest in _title_candidates(blocks, headings):
        if first in taken or last in taken:
            continue
        found = _title_subject(title)
        if found is None:
            continue
        subject, hint = found
        body_from = last + 1
        if subject is None:
            opening = [Block(text=rest)] if rest else []
            subject = _first_person_named(opening + blocks[body_from:body_from + 2], nlp)
        if not subject or (starts and starts[-1][3] == subject):
            continue  # a sub-heading of the same person's story
        if subject.split()[0].lower() in GENERIC_OWNERS or re.search(
                rf"\b{re.escape(subject.split()[0].lower())}\b", " ".join(b.text for b in blocks[body_from:body_from + 6])):
            continue  # "People's stories": a common noun, not a person's name
        body_text = " ".join([rest] + [b.text for b in blocks[body_from:body_from + 6]])
        if not _mentions(subject, body_text) and not _mentions(subject, title):
            continue
        if not PRONOUN_STORY.search(title) and not POSSESSIVE_STORY.search(title) and not CASE_STUDY.match(title):
            # Weaker title forms need the story to be about a person: named again, he/she.
            if len(re.findall(rf"\b{re.escape(subject.split()[0])}\b", body_text)) < 2 or not THIRD_PERSON.search(body_text):
                if not re.search(r"\b(I|my)\b", body_text):
                    continue
        if POSSESSIVE_TITLE.match(title) and len(title.split()) > 6:
            continue
        taken.update(range(first, last + 1))
        starts.append((first, last, title, subject, hint, rest))

    stories = []
    story_firsts = {s[0] for s in starts}
    for first, last, title, subject, hint, rest in starts:
        end = last
        subtitle = None
        # Levels are trusted only where the source sets them (markdown "#", PDF font sizes); raw
        # text gives every heading one level.
        title_section = section_at.get((blocks[first].line, blocks[first].page))
        level = sections[title_section].level if title_section is not None and blocks[first].level else None
        i = last + 1
        if i < len(blocks) and (blocks[i].kind == "heading" or id(blocks[i]) in headings) and len(blocks[i].text.split()) <= 8:
            subtitle = blocks[i].text.strip()
        while i < len(blocks):
            b = blocks[i]
            if i in story_firsts or (b.level == 1 and b.kind == "heading"):
                break
            heading_here = section_at.get((b.line, b.page)) if id(b) in headings and b.level else None
            if level is not None and heading_here is not None and b.text.strip() != subtitle:
                if sections[heading_here].level <= level and not INTERNAL_HEADING.match(b.text.strip()):
                    break  # a heading at the title's own level or above (not the story's own question): another topic
            if (b.kind == "heading" or id(b) in headings) and b.text.strip() != subtitle:
                if not INTERNAL_HEADING.match(b.text.strip()):
                    ahead = " ".join(x.text for x in _next_paragraphs(blocks, i + 1, story_firsts))
                    if not _mentions(subject, ahead):
                        break
            if _closing_comment(blocks, i, subject, " ".join(x.text for x in blocks[last + 1:i])):
                break
            end = i
            i += 1
        body = blocks[last + 1:end + 1]
        text = "\n\n".join([rest] * bool(rest) + [b.text for b in body])
        head = blocks[first]
        stories.append(CaseStudy(
            title=title, text=text, subject=subject, theme=_theme(hint, subtitle, text),
            section=section_at.get((head.line, head.page)),
            line=head.line, line_end=(blocks[end].line_end or blocks[end].line), page=head.page,
        ))
    return stories

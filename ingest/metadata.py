"""What a document says about itself: title, type, council, body, meeting date, period.

Council papers state these in predictable places. An agenda front sheet names the
committee and the time and date; minutes open "Minutes of the meeting of <body> held
... on <date>"; report cover sheets and briefing notes carry "Title:", "To:", "Date:"
and "Subject:" fields; published reports put their title in the first heading. A file
without a title (an excerpt) still says what it is through its vocabulary ("Annual
Report", "Market Position Statement") and the reporting years it mentions.

:func:`read_metadata` reads one document's blocks; :func:`inherit_from_pack` fills what
a paper inside an agenda pack leaves unsaid from the pack; :func:`pack_metadata`
describes the pack itself.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date

from council_papers.model import Block, DocumentMeta

HEAD_BLOCKS = 40  # cover sheets, front sheets and title pages sit in the first blocks

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], start=1)}
MONTH_NAME = (r"(January|February|March|April|May|June|July|August|September|October|November|December"
              r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?")
DATE = re.compile(
    rf"\b(\d{{1,2}})\s?(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH_NAME},?\s+((?:19|20)\d{{2}})\b", re.IGNORECASE)
NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d{2})\b")
MONTH_YEAR = re.compile(rf"\b{MONTH_NAME},?\s+((?:19|20)\d{{2}})\b", re.IGNORECASE)
# A financial / municipal year as councils write it: 2024/25, 2025-26, 2020/2021.
PERIOD = re.compile(r"(?<![\d/])((?:19|20)\d{2})\s?([/-])\s?((?:19|20)?\d{2})(?![\d/])")
YEAR_TO_YEAR = re.compile(r"\b((?:19|20)\d{2}) to ((?:19|20)\d{2})\b")

COUNCIL = re.compile(
    r"\b(?:London Borough|Royal Borough|City and County|Metropolitan Borough) of(?: [A-Z][a-z]+)+"
    r"(?: upon [A-Z][a-z]+)?(?: Council)?"
    r"|\bCity of [A-Z][a-z]+ Council\b"
    r"|\b[A-Z][a-z]+(?:[ -](?:and |upon |on |under )?[A-Z][a-z]+)*"
    r" (?:City|County|Borough|District|Metropolitan Borough|Metropolitan District|Town) Council\b"
)
# "Cornwall Council", "Leeds City Council": a one-word place before "Council" is weaker
# evidence ("Medical Council", "Town Council"), so it only counts when nothing stronger does.
PLAIN_COUNCIL = re.compile(r"\b([A-Z][a-z]{3,}) Council\b")
NOT_PLACES = {"City", "County", "Borough", "District", "Town", "Parish", "Local", "Medical",
              "Full", "The", "This", "Our", "Research", "Advisory", "Youth", "Care", "Skills"}

BODY_WORDS = re.compile(
    r"\b(Committee|Sub-Committee|Board|Cabinet|Panel|Forum|Commission|Partnership|Executive|Scrutiny)\b"
    r"|^(Full )?Council$")
LABEL = re.compile(r"^([A-Z][A-Za-z()'’/ -]{0,40}?)\s?:\s*(.*)$")
LABEL_CELL = re.compile(r"^(To|From|Date|Subject|Title|Report of|Report to|Report title|Author|Meeting)\s*:?$",
                        re.IGNORECASE)
INLINE_LABEL = re.compile(r"\s+(?=(?:To|From|Date|Subject|Title|Report of|Report to|Author):\s)")
MINUTES = re.compile(
    r"^(?P<prefix>.*?\bCouncil\s+)?(?P<title>Minutes of (?:the |a )?(?:\w+ )?(?:Meeting|Proceedings) of\b.*)$",
    re.IGNORECASE)
MINUTES_BODY = re.compile(
    r"Minutes of (?:the |a )?(?:\w+ )?(?:Meeting|Proceedings) of (?:the )?(?P<body>.+?)"
    r"(?:,? held\b|,? on\b|,? at\b|$)", re.IGNORECASE)
AGENDA_SIGNS = re.compile(
    r"^(?:\d+[a-z]?\.?\s+)?(Apologies|Declarations? of (?:Pecuniary )?Interests?|Public Business"
    r"|Private Business|Time and Date|Date and Time|Venue|Place|Membership|Agenda|Minutes"
    r"|Exclusion of (?:the )?(?:Press|Public)|Any other (?:items|business)|Urgent (?:items|business)"
    r"|Date of (?:the )?next meeting|Chair'?s announcements)\b", re.IGNORECASE)
AGENDA_ITEM_STAMP = re.compile(r"^agenda item\s+\d+[a-z]?(?:\.\d+)?(?=\s|$)", re.IGNORECASE)
PAGES_REF = re.compile(r"\(Pages? (\d+)(?:\s*[-–]\s*(\d+))?\)", re.IGNORECASE)
REPORT_COVER_SIGNS = re.compile(
    r"^(Name of Cabinet Member|Cabinet Member|Director Approving|Report author|Report of"
    r"|Report to|Ward\(?s\)? affected|Wards?|Is this a key decision|Key decision"
    r"|Executive Summary|Recommendations?|Report title|Title)\b", re.IGNORECASE)
BRIEFING_NOTE = re.compile(r"^Briefing note\b", re.IGNORECASE)
PUBLISHER = re.compile(r"(?:©|\(c\)|\bcopyright\b)\s*(?:\d{4},?\s*)?(?P<org>[A-Z][^,.;\d]{2,60})",
                       re.IGNORECASE)
NOT_PUBLISHERS = re.compile(r"crown|ordnance survey|openstreetmap|council", re.IGNORECASE)
CONNECTOR_END = re.compile(r"\b(at|on|of|held|the|and|for|in)$", re.IGNORECASE)

# Words a document's title or text uses for its kind, most specific first.
TYPE_VOCABULARY = [
    ("work_programme", re.compile(r"\bwork programme\b", re.IGNORECASE)),
    ("market_position_statement", re.compile(r"\bmarket position statement\b", re.IGNORECASE)),
    ("self_assessment", re.compile(r"\bself[- ]assessment\b", re.IGNORECASE)),
    ("annual_report", re.compile(r"\b(annual report|local account)\b", re.IGNORECASE)),
    ("briefing_note", re.compile(r"\bbriefing note\b", re.IGNORECASE)),
    ("minutes", re.compile(r"^minutes\b", re.IGNORECASE)),
    ("agenda", re.compile(r"\bagenda\b", re.IGNORECASE)),
]
TYPE_LABELS = {
    "annual_report": "Annual Report", "self_assessment": "Self-Assessment",
    "market_position_statement": "Market Position Statement", "work_programme": "Work Programme",
}
# Reports about a year: their period is the year they report on even when the title omits it.
REPORTING_TYPES = {"annual_report", "self_assessment", "market_position_statement", "work_programme"}
# Papers of a meeting: inside a pack they share the meeting's committee and date.
MEETING_TYPES = {"agenda", "committee_report", "briefing_note", "work_programme", "other"}


def read_metadata(blocks: list[Block], in_pack: bool = False) -> DocumentMeta:
    """A document's own metadata, read from its blocks.

    ``in_pack`` says the document is one paper of several: its kind then comes from its
    own title and layout only, not from what its text mentions (a presentation about an
    annual report is not an annual report).
    """
    head = blocks[:HEAD_BLOCKS]
    fields = cover_fields(head)
    meta = (_minutes(head) or _briefing_note(head, fields) or _committee_report(head, fields)
            or _agenda(head) or _titled_document(blocks, in_pack))
    meta.council = meta.council or find_council(blocks)
    if meta.period is None and meta.doc_type in REPORTING_TYPES:
        meta.period = dominant_period(b.text for b in blocks)
    meta.year = year_of(meta) or publication_year(head)
    return meta


def inherit_from_pack(meta: DocumentMeta, pack: DocumentMeta) -> DocumentMeta:
    """Fill a pack paper's gaps from its pack: the council, and for meeting papers the
    committee and the meeting date (minutes keep the date of the meeting they record)."""
    meta.council = pack.council or meta.council
    if meta.doc_type in MEETING_TYPES or meta.doc_type == "minutes":
        meta.body = meta.body or pack.body
    if meta.doc_type in MEETING_TYPES:
        meta.meeting_date = meta.meeting_date or pack.meeting_date
    meta.year = year_of(meta) or meta.year
    return meta


def pack_metadata(papers: list[DocumentMeta], blocks: list[Block]) -> DocumentMeta:
    """The pack's own row, named so it is never mistaken for a paper in it.

    An agenda pack is named for its meeting; a file that opens with some other paper (a
    report followed by its appendices) is that paper's pack and shares its kind and year.
    """
    council = find_council(blocks)
    agenda = next((m for m in papers if m.doc_type == "agenda"), None)
    if agenda is None:
        lead = papers[0]
        return DocumentMeta(title=f"Document pack: {lead.title}", doc_type=lead.doc_type, council=council,
                            body=lead.body, period=lead.period, year=lead.year, meeting_date=lead.meeting_date)
    body = agenda.body or next((m.body for m in papers if m.body), None)
    when = agenda.meeting_date or next((m.meeting_date for m in papers if m.meeting_date), None)
    title = f"Agenda pack: {body}, {long_date(when)}" if body and when else f"Agenda pack: {agenda.title}"
    meta = DocumentMeta(title=title, doc_type="agenda", council=council, body=body, meeting_date=when)
    meta.year = year_of(meta)
    return meta


# --- the kinds of document with a recognisable layout -------------------------------------


def opens_minutes(block: Block) -> bool:
    """"Minutes of the meeting of ..." set as a heading (not a sentence mentioning minutes),
    or a bare "Minutes" title."""
    text = block.text.strip()
    if text.lower() == "minutes":
        return block.kind == "heading" and (block.level or 9) <= 2
    return bool(MINUTES.match(text)) and (block.kind == "heading" or block.bold or len(text.split()) <= 30)


def _minutes(head: list[Block]) -> DocumentMeta | None:
    """Minutes open with "Minutes of the meeting of <body> held ... on <date>", or with a
    bare "Minutes" title above the committee's name and the date."""
    for i, block in enumerate(head[:6]):
        if not opens_minutes(block):
            continue
        match = MINUTES.match(block.text.strip())
        if not match:
            rest = head[i + 1:i + 4]
            body, when = _first_body(rest), first_date(b.text for b in rest)
            title = "Minutes" + (f" of {body}" if body else "") + (f", {long_date(when)}" if when else "")
            return DocumentMeta(title=title, doc_type="minutes", body=body, meeting_date=when)
        title = match.group("title")
        if CONNECTOR_END.search(title) and i + 1 < len(head):
            title = f"{title} {head[i + 1].text}"  # the heading runs over two lines
        body = MINUTES_BODY.search(title)
        return DocumentMeta(title=title, doc_type="minutes",
                            body=body.group("body").strip() if body else None,
                            meeting_date=first_date([title]),
                            council=find_council([Block(match.group("prefix") or "")]))
    return None


def _briefing_note(head: list[Block], fields: dict[str, str]) -> DocumentMeta | None:
    """A briefing note: "Briefing note", then "To:", "Date:" and "Subject:" fields."""
    subject = fields.get("subject")
    named = any(BRIEFING_NOTE.match(b.text) for b in head[:5])
    if not subject or not (named or "to" in fields):
        return None
    return DocumentMeta(title=subject, doc_type="briefing_note", body=fields.get("to"),
                        meeting_date=first_date([fields.get("date", "")]),
                        period=period_in(subject))


def _committee_report(head: list[Block], fields: dict[str, str]) -> DocumentMeta | None:
    """A report's cover sheet: the meetings it goes to, then "Title:" and cover fields."""
    title = fields.get("title") or fields.get("report title") or fields.get("subject")
    signs = sum(1 for b in head if REPORT_COVER_SIGNS.match(b.text))
    if not title or signs < 2:
        return None
    body = fields.get("report to") or fields.get("to") or _first_body(head[:3])
    return DocumentMeta(title=title, doc_type="committee_report", body=body,
                        meeting_date=first_date(b.text for b in head[:4]), period=period_in(title))


def _agenda(head: list[Block]) -> DocumentMeta | None:
    """A front sheet: the committee, time and place, and the list of business."""
    signs = {m.group(1).lower() for b in head if (m := AGENDA_SIGNS.match(b.text))}
    pages = sum(bool(PAGES_REF.search(b.text)) for b in head)
    if len(signs) + min(pages, 2) < 4:
        return None
    body = _first_body(head[:8])
    when = first_date(b.text for b in head)
    title = f"{body} – Agenda, {long_date(when)}" if body and when else _title_heading(head) or "Agenda"
    return DocumentMeta(title=title, doc_type="agenda", body=body, meeting_date=when)


def _titled_document(blocks: list[Block], in_pack: bool) -> DocumentMeta:
    """A report, statement or presentation: its title is its first heading; without one,
    the kind and the reporting year its text speaks of make up a title."""
    head = blocks[:HEAD_BLOCKS]
    title = _title_heading(head)
    doc_type = type_from_vocabulary(title) if title else None
    if doc_type is None and _published_by_others(blocks):
        doc_type = "external_report"
    if doc_type is None and not in_pack:
        doc_type = dominant_type(b.text for b in blocks)
    doc_type = doc_type or "other"
    period = period_in(title) if title else None
    if not title:
        period = dominant_period(b.text for b in blocks) if doc_type in REPORTING_TYPES else None
        label = TYPE_LABELS.get(doc_type)
        title = " ".join(filter(None, [label, period])) if label else _fallback_title(blocks)
    meeting_date = None
    if doc_type in MEETING_TYPES and not in_pack:  # in a pack, the pack's meeting
        meeting_date = first_date(b.text for b in head[:4])
    return DocumentMeta(title=title, doc_type=doc_type, period=period, meeting_date=meeting_date)


def _title_heading(head: list[Block]) -> str | None:
    """The first heading that reads as a title, with its subtitle or "(Local Account)" line.

    A heading marked up as one (a Markdown ``#``/``##``, a PDF's largest type) is a title;
    a bare short line only when it names a kind of document or a period, since excerpts
    open straight on a theme heading ("Providing support", "Foreword").
    """
    for i, block in enumerate(head[:12]):
        if block.kind != "heading" or not re.search(r"[A-Za-z]{3}", block.text):
            continue
        text = block.text.strip()
        if AGENDA_ITEM_STAMP.match(text):
            continue
        marked = block.level is not None and block.level <= 2 and len(text.split()) >= 2
        named = type_from_vocabulary(text) or period_in(text)
        if text.endswith("?") or not (marked or named):
            continue
        following = head[i + 1] if i + 1 < len(head) else None
        if following and re.fullmatch(r"\([^()]{2,60}\)", following.text.strip()):
            return f"{text} {following.text.strip()}"
        if following and _is_subtitle(text, following):
            return f"{text.rstrip(':')}: {following.text.strip().rstrip('.')}"
        return text
    return None


def _is_subtitle(title: str, block: Block) -> bool:
    """A short catchy title ("Because we're human too") is completed by the line under it."""
    text = block.text.strip()
    return (len(title.split()) <= 5 and block.kind in ("paragraph", "heading")
            and 3 <= len(text.split()) <= 16 and text[:1].isupper()
            and not DATE.search(text) and not MONTH_YEAR.search(text)
            and not BODY_WORDS.search(text) and not LABEL.match(text))


def _fallback_title(blocks: list[Block]) -> str:
    """Neither title nor kind: the opening words stand in."""
    first = next((b.text for b in blocks if b.text.strip()), "Untitled")
    words = first.split()
    return " ".join(words[:12]) + (" …" if len(words) > 12 else "")


def _published_by_others(blocks: list[Block]) -> bool:
    """A copyright line naming an organisation other than a council, on the title page or
    back cover, marks a report the council did not write (a charity's, a regulator's)."""
    ends = blocks[:10] + blocks[-10:]
    for block in ends:
        match = PUBLISHER.search(block.text)
        if match and not NOT_PUBLISHERS.search(match.group("org")):
            return True
    return False


def _first_body(head: list[Block]) -> str | None:
    """The first short line naming a committee, board or cabinet (not the council itself)."""
    for block in head:
        line = first_line(block)
        if (BODY_WORDS.search(line) and len(line.split()) <= 12 and not LABEL.match(line)
                and not re.search(r"[.;]$", line) and not is_council_name(line)):
            return line
    return None


# --- small readers ----------------------------------------------------------------------


def cover_fields(head: list[Block]) -> dict[str, str]:
    """"Label: value" pairs of a cover sheet; a label alone takes the next block as value."""
    fields: dict[str, str] = {}
    for i, block in enumerate(head):
        for label, value in labelled(block.text):
            if not value and i + 1 < len(head) and not labelled(head[i + 1].text):
                value = head[i + 1].text.strip()
            if value:
                fields.setdefault(label, value)
    return fields


def labelled(text: str) -> list[tuple[str, str]]:
    """The (label, value) pairs a line holds: "Subject: X"; a memo header run into one
    line ("To: Cabinet Date: 1 May 2025 Subject: X"); a two-cell table row ("To | Cabinet")."""
    text = text.strip()
    cells = [c.strip() for c in text.split(" | ")]
    if len(cells) == 2 and LABEL_CELL.match(cells[0]):
        return [(cells[0].rstrip(":").strip().lower(), cells[1])]
    pairs = []
    for piece in INLINE_LABEL.split(text):
        match = LABEL.match(piece.strip())
        if match:
            pairs.append((match.group(1).strip().lower(), match.group(2).strip()))
    return pairs


def first_line(block: Block) -> str:
    """The block's first source line, cleaned: a stack of lines joined by the reader
    ("Scrutiny Board (5) / Cabinet / Council") is several names, the first one leading;
    a line that wrapped ("Scrutiny Board / (5)") runs on into the next."""
    lines = [re.sub(r"</?[a-zA-Z][^>]*>|[*#_]", "", ln).strip() for ln in block.raw.splitlines()]
    lines = [ln for ln in lines if ln]
    if not lines:
        return block.text.strip()
    line = lines[0]
    for nxt in lines[1:]:
        if not (nxt[0] in "(" or nxt[0].islower() or CONNECTOR_END.search(line)):
            break
        line = f"{line} {nxt}"
    return line if line in block.text else block.text.strip()


def is_council_name(text: str) -> bool:
    found = COUNCIL.search(text) or PLAIN_COUNCIL.search(text)
    return bool(found) and len(text.split()) <= len(found.group(0).split()) + 1


def find_council(blocks: list[Block]) -> str | None:
    """The council the text names most often ("Coventry City Council")."""
    text = "\x00".join(block.text for block in blocks)  # a separator no name runs across
    strong = Counter(m.group(0) for m in COUNCIL.finditer(text))
    weak = Counter(m.group(0) for m in PLAIN_COUNCIL.finditer(text) if m.group(1) not in NOT_PLACES)
    best = strong or weak
    return best.most_common(1)[0][0] if best else None


def parse_date(text: str) -> str | None:
    """The first full date in ``text`` as ISO ("17th September, 2025" → "2025-09-17");
    a date written in words first, else a numeric UK date ("17/09/2025")."""
    candidates = [(int(m.group(3)), month_number(m.group(2)), int(m.group(1))) for m in DATE.finditer(text)]
    candidates += [(int(m.group(3)), int(m.group(2)), int(m.group(1))) for m in NUMERIC_DATE.finditer(text)]
    for year, month, day in candidates:
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            continue
    return None


def month_number(name: str) -> int:
    """"September", "Sept", "Sep." → 9.

    Case-folded, not lower-cased: the case-blind month patterns also match letters that
    only fold to ASCII ("ſept", with a long s).
    """
    key = name.casefold().rstrip(".")[:3]
    return next(n for full, n in MONTHS.items() if full.startswith(key))


def first_date(texts) -> str | None:
    for text in texts:
        found = parse_date(text)
        if found:
            return found
    return None


def long_date(iso: str) -> str:
    """"2025-09-17" → "17 September 2025", as council papers write dates."""
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def _is_period(first: str, second: str) -> bool:
    start, end = int(first), int(second)
    return (end == start + 1) if len(second) == 4 else (end == (start + 1) % 100)


def period_in(text: str) -> str | None:
    """The first financial year written in ``text``, in the text's own form ("2025-26")."""
    for match in PERIOD.finditer(text):
        if _is_period(match.group(1), match.group(3)):
            return re.sub(r"\s", "", match.group(0))
    return None


def dominant_period(texts) -> str | None:
    """The reporting year a text speaks of most, in its commonest written form.

    Written years ("2024/25", "2024 to 2025") count most; dated events ("May 2024")
    count for the financial year (April to March) they fall in.
    """
    votes: Counter[int] = Counter()
    forms: dict[int, Counter[str]] = {}
    for text in texts:
        for match in PERIOD.finditer(text):
            if _is_period(match.group(1), match.group(3)):
                start = int(match.group(1))
                votes[start] += 3
                forms.setdefault(start, Counter())[re.sub(r"\s", "", match.group(0))] += 1
        for match in YEAR_TO_YEAR.finditer(text):
            if _is_period(match.group(1), match.group(2)):
                votes[int(match.group(1))] += 3
        for match in MONTH_YEAR.finditer(text):
            month, year = month_number(match.group(1)), int(match.group(2))
            votes[year if month >= 4 else year - 1] += 1
    if not votes:
        return None
    start = votes.most_common(1)[0][0]
    if start in forms:
        return forms[start].most_common(1)[0][0]
    return f"{start}/{(start + 1) % 100:02d}"


def type_from_vocabulary(text: str) -> str | None:
    for doc_type, pattern in TYPE_VOCABULARY:
        if pattern.search(text):
            return doc_type
    return None


def dominant_type(texts) -> str | None:
    """The kind of report a text names most often ("Annual Report" over "Self-Assessment")."""
    counts: Counter[str] = Counter()
    for text in texts:
        for doc_type, pattern in TYPE_VOCABULARY:
            if doc_type in REPORTING_TYPES:
                counts[doc_type] += len(pattern.findall(text))
    counts = +counts
    return counts.most_common(1)[0][0] if counts else None


def year_of(meta: DocumentMeta) -> int | None:
    """First year of the period, else the meeting's year."""
    if meta.period:
        return int(meta.period[:4])
    if meta.meeting_date:
        return int(meta.meeting_date[:4])
    return None


def publication_year(head: list[Block]) -> int | None:
    """The year of the first date on the title page ("November 2024")."""
    for block in head[:10]:
        match = MONTH_YEAR.search(block.text)
        if match:
            return int(match.group(2))
    return None

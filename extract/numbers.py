"""Find the numbers in a text that could be statistics, and parse them.

This is the lexical half of figure extraction: it knows how councils write quantities
(``£145.6m``, ``23.8%``, ``5,733``, ``1 in 5``, ``four``, ``ninth largest``) and what
numbers are *not* quantities (dates, financial years, times, phone numbers, page and
paragraph references, ages, distances, codes such as ``COVID-19``). It works on plain
strings so it can be tested without spaCy; :mod:`council_papers.extract.figures` decides
with the parse what each surviving number measures.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100,
}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
}
MONTHS = ("january february march april may june july august september october november "
          "december jan feb mar apr jun jul aug sep sept oct nov dec").split()
MONEY_SCALES = {"k": "£k", "thousand": "£k", "m": "£m", "million": "£m", "mn": "£m",
                "bn": "£bn", "billion": "£bn", "b": "£bn"}
DURATION_UNITS = {"day": "days", "days": "days", "week": "weeks", "weeks": "weeks",
                  "month": "months", "months": "months", "year": "years", "years": "years",
                  "hour": "hours", "hours": "hours", "hrs": "hours", "hr": "hours",
                  "minute": "minutes", "minutes": "minutes", "mins": "minutes"}

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


def _ascii(words: str) -> str:
    """``words`` matched case-blind in ASCII only: plain Unicode case-blindness takes "ſix" for
    "six" and "fırst" for "first", words the tables here cannot look up."""
    return f"(?a:{words})"


_WORDS = _ascii("|".join(sorted(WORD_NUMBERS, key=len, reverse=True)))
_ORDS = _ascii("|".join(sorted(ORDINALS, key=len, reverse=True)))


def _at_initial(words) -> str:
    """A look-ahead for the first letter of one of ``words``, in either case.

    Put at the head of a pattern, it lets the regex engine pass over most positions at
    once instead of trying every alternative there: the same matches, several times faster.
    """
    initials = "".join(sorted({w[0] for w in words}))
    return f"(?=[{initials}{initials.upper()}])"


_AT_WORD = _at_initial([*WORD_NUMBERS, *ORDINALS])
_AT_DIGIT_OR_WORD = rf"(?=\d|{_AT_WORD})"
NUMBER_RE = re.compile(
    rf"(?=[\d£]|\b{_AT_WORD})(?:"
    rf"(?P<one_in>\b1 {_ascii('in')} (?P<one_in_n>\d+)\b)"
    rf"|(?P<money>£\s?(?P<money_n>{_NUM})(?:\s?(?P<scale>{_ascii('bn|billion|million|thousand|mn|m|k|b')})\b)?)"
    rf"|(?P<pct>(?P<pct_n>{_NUM})\s?(?:%|{_ascii('per')}\s?{_ascii('cent')}\b|{_ascii('percent')}\b))"
    rf"|(?P<ord_digit>\b(?P<ord_n>\d+){_ascii('st|nd|rd|th')}\b)"
    rf"|(?P<scaled>(?P<scaled_n>{_NUM})\s(?P<big>{_ascii('million|billion')})\b)"
    rf"|(?P<num>(?<![\w.,/£-])(?:{_NUM})(?![\w/]|[.,]\d))"
    rf"|(?P<word>\b{_WORDS}(?:-{_WORDS})?\b)"
    rf"|(?P<ord_word>\b{_ORDS}\b))",
    re.IGNORECASE,
)

# Things that look like numbers but are not quantities; their spans are masked first.
MONTH = r"(?:" + "|".join(MONTHS) + r")\.?"  # a month name or its abbreviation
_AT_MONTH = _at_initial(MONTHS)
NOT_QUANTITY_RES = [
    re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+", re.I),  # links and e-mail addresses
    re.compile(r"\(?\b0\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}\b"),  # phone numbers
    re.compile(r"\b\d{1,2}[:.]\d{2}\s?(?:am|pm)?\s?(?:-|–|to)\s?\d{1,2}[:.]\d{2}\s?(?:am|pm)?", re.I),
    re.compile(r"\b\d{1,2}(?:[:.]\d{2})?\s?(?:am|pm)\b|\b\d{1,2}:\d{2}\b", re.I),  # times of day
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}(?:\s+\d{{4}})?\b", re.I),  # 21 November 2023
    re.compile(rf"\b{_AT_MONTH}{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b", re.I),  # November 21, 2023
    re.compile(rf"\b{_AT_MONTH}{MONTH}\s*-?\s*(?:19|20)\d\d\b", re.I),  # March 2022, Jul 2022
    re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),  # 31/03/2024
    re.compile(r"\b(?:19|20)\d\d\s?[/–-]\s?(?:(?:19|20)\d\d|\d\d)\b"),  # 2024/25, 2018-20
    re.compile(r"\b\d\d/\d\d\b"),  # 19/20
    re.compile(r"\b(?:mid|early|late|end)-(?:19|20)\d\d\b", re.I),
    re.compile(r"\[\d+\]"),  # reference markers
    re.compile(r"\b\d+(?:\.\d+)?\s?(?:-|–|to)\s?\d+(?:\.\d+)?(?=\s?(?:year|yr)s?[\s-]*olds?\b)", re.I),
    re.compile(r"\b(?:aged?|ages)\s+(?:of\s+)?(?:over\s+|under\s+|between\s+)?\d+(?:\s?(?:-|–|to|and)\s?\d+)?\+?(?:\s+and\s+(?:over|under|above))?", re.I),
    re.compile(r"\b\d+\s?(?:-|–)\s?\d+\s+age\b", re.I),  # the 55-59 age group
    re.compile(r"\b\d+\+"),  # 65+
    re.compile(r"(?<![\d,.£])\b\d{1,3}\s?[-–]\s?\d{1,3}\b(?![\d,.]?\d|\s?%)"),  # bands: 55-64, 18-64
    re.compile(r"\b(?:over|under)\s+\d{1,3}(?=\s+\d)", re.I),  # "Over 65 50,000": an age band heading a row
    re.compile(r"\b(?:over|under|turning|turned)\s+\d+(?![\d,.]\d)(?:'?s)?(?=\s*(?:$|[.,;:)]|'s|s\b|year|and\b|or\b|is\b|are\b|who\b|projected|with|in\b))", re.I),
    re.compile(rf"(?<![£\d.,])\b{_AT_DIGIT_OR_WORD}(?:\d+(?:\.\d+)?|{_WORDS})(?:\s?-?\s?(?:metres?|meters?|km|kilometres?|miles?|feet|ft)|\s(?:m|mi))\b", re.I),
    re.compile(r"\b(?:pages?|pp?\.|paragraphs?|paras?\.?|items?|sections?|rooms?|appendi(?:x|ces)|annex(?:es)?)"
               r"\s+\d+(?:\s?(?:,|-|–|to|and|&)\s?\d+)*", re.I),
    re.compile(r"\b[A-Z]{1,2}\d{1,2}[A-Z]?\s?\d[A-Z]{2}\b"),  # postcodes
    re.compile(r"\b\d+:\d+\b|\b24/7\b"),  # ratios such as 1:1, round the clock
    re.compile(rf"\b{_AT_DIGIT_OR_WORD}(?:\d+|{_WORDS})[\s-]days?\s+(?:a\s+|per\s+)?(?:week|year)\b|\b24[\s-]hours?\b", re.I),
    re.compile(rf"\b{_AT_WORD}(?:{_WORDS})[\s-](?:thirds?|quarters?|halves|fifths?|tenths?)\b", re.I),  # fractions
    re.compile(r"\bbottom\s+\d+(?:\.\d+)?\s?%|\b\d+(?:\.\d+)?\s?%(?=\s+(?:most|least)\b)", re.I),  # bands
    re.compile(r"(?<=[A-Za-z] )\(\d+\)"),  # Scrutiny Board (5): part of a name
    re.compile(r"\b(?:\d+|[a-z]+)[\s-](?:year|month|week)\s+(?:plan|programme|strategy|period|timeframe|contract)\b", re.I),
    re.compile(r"\bper\s+\d{1,3}(?:,\d{3})+\b|\bper\s+\d+\b", re.I),  # the denominator of a rate
    re.compile(r"\b[a-z]+-\d+\b", re.I),  # COVID-19, Core-20
    re.compile(rf"\b{_AT_DIGIT_OR_WORD}(?:\d+|{_WORDS})[\s-]years?[\s-]old\b", re.I),  # ages of people in stories
    re.compile(r"\bone[\s-](?:stop|off)\b", re.I),
]
# A number after one of these words names a thing (page 18, item 4, Pathway 1), it does not count.
REFERENCE_WORDS = set(
    "page pages p pp paragraph paragraphs para paras item items section sections appendix "
    "annex table figure chart stage level tier phase option step version no ref room floor "
    "act clause regulation article schedule pathway priority theme year grade band bands "
    "number vol volume chapter part question q standard statement outcome objective tranche "
    "wave round cohort study".split()
)
ADDRESS_WORDS = re.compile(r"\s+(?:[A-Z][a-z]+\s+){0,2}(?:Street|Road|Lane|Avenue|Close|Way|Drive|Place|Square|Court|Crescent|St|Rd)\b")
LEADING_ITEM_NUMBER = re.compile(r"^\s*(?:\d+\.)+\s+(?=\S)|^\s*\d+\.\d+\s+(?=[A-Z][a-z])(?!(?:Years?|Days?|Weeks?|Months?|Hours?|People|Per)\b)|^\s*\(?(?:\d+|[a-z])\)\s")


@dataclass
class Mention:
    """A number found in a text: where it is, its value as written and what its form says."""

    start: int
    end: int
    value: float
    value_text: str
    unit: str | None  # known from the form alone: %, £, £m, 1 in, rank; else None
    kind: str  # percent, money, one_in, number, word, ordinal, scaled


def parse_number(text: str) -> float:
    """``"5,733"`` → 5733.0; ``"twenty-five"`` → 25.0."""
    t = text.strip().lower()
    if t in WORD_NUMBERS:
        return float(WORD_NUMBERS[t])
    if "-" in t and all(p in WORD_NUMBERS for p in t.split("-")):
        return float(sum(WORD_NUMBERS[p] for p in t.split("-")))
    if t in ORDINALS:
        return float(ORDINALS[t])
    return float(t.replace(",", ""))


APPROX = re.compile(r"\b(approx|c|ca|circa)\.(?=\d)", re.I)


def _masked(text: str) -> str | None:
    """The text with non-quantity numbers blanked out, keeping every offset; None for a text
    with no number-like words at all (masking only blanks, so it would have none after
    either), which is most text, spared the many passes of masking.
    """
    text = APPROX.sub(lambda m: m.group(1) + " ", text)
    if not NUMBER_RE.search(text):
        return None
    for rx in NOT_QUANTITY_RES:
        text = rx.sub(lambda m: " " * len(m.group()), text)
    m = LEADING_ITEM_NUMBER.match(text)
    if m:
        text = " " * m.end() + text[m.end():]
    return text


REACH = 120  # characters looked back from a number for the words before it: a few words
PREVIOUS_WORD = re.compile(r"([A-Za-z]+)\.?\s*$")
SENTENCE_END_BEFORE = re.compile(r"[.!?:•]\s*$")
CAPITAL_AFTER = re.compile(r"\s+[A-Z]")


def search_before(pattern: re.Pattern, text: str, start: int) -> re.Match | None:
    """``pattern`` (anchored with ``$``) searched in the few words before ``start``.

    Searching the whole prefix instead makes each number cost the length of the text
    before it, and a long block quadratic time.
    """
    return pattern.search(text, max(0, start - REACH), start)


def _is_year(value_text: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d\d", value_text))


def _previous_word(text: str, start: int) -> str:
    m = search_before(PREVIOUS_WORD, text, start)
    return m.group(1).lower() if m else ""


def _is_name(text: str, start: int, end: int, lead: int) -> bool:
    """``One Coventry``, ``Quality Statement One``: a capitalised number word inside a name.

    ``lead`` is the length of the white space that opens ``text``.
    """
    word = text[start:end]
    if not word[0].isupper():
        return False
    sentence_start = start <= lead or bool(search_before(SENTENCE_END_BEFORE, text, start))
    if not sentence_start:
        return True
    return bool(CAPITAL_AFTER.match(text, end)) or word.isupper()


def find_mentions(text: str) -> list[Mention]:
    """Every number in ``text`` that may state a quantity, in order of appearance."""
    masked = _masked(text)
    if masked is None:
        return []
    lead = len(text) - len(text.lstrip())
    out: list[Mention] = []
    for m in NUMBER_RE.finditer(masked):
        kind = m.lastgroup if m.lastgroup in ("num", "word", "ord_word") else None
        if m.group("one_in"):
            out.append(Mention(m.start(), m.end(), float(m.group("one_in_n")), m.group(), "1 in", "one_in"))
            continue
        if m.group("money"):
            unit = MONEY_SCALES.get((m.group("scale") or "").lower(), "£")
            out.append(Mention(m.start(), m.end(), parse_number(m.group("money_n")), m.group(), unit, "money"))
            continue
        if m.group("pct"):
            if _is_year(m.group("pct_n")):
                continue  # "2026 % of pop": a year beside a chart's axis label
            out.append(Mention(m.start(), m.end(), parse_number(m.group("pct_n")), m.group(), "%", "percent"))
            continue
        if m.group("ord_digit"):
            out.append(Mention(m.start(), m.end(), float(m.group("ord_n")), m.group(), "rank", "ordinal"))
            continue
        if m.group("scaled"):
            out.append(Mention(m.start(), m.end(), parse_number(m.group("scaled_n")), m.group(),
                               m.group("big").lower(), "scaled"))
            continue
        word = m.group()
        if kind == "num":
            if _is_year(word) or _previous_word(masked, m.start()) in REFERENCE_WORDS:
                continue
            if ADDRESS_WORDS.match(text, m.end()):
                continue
            out.append(Mention(m.start(), m.end(), parse_number(word), word, None, "number"))
        elif kind == "word":
            if _previous_word(masked, m.start()) in REFERENCE_WORDS or _is_name(text, m.start(), m.end(), lead):
                continue
            out.append(Mention(m.start(), m.end(), parse_number(word), word, None, "word"))
        elif kind == "ord_word":
            out.append(Mention(m.start(), m.end(), parse_number(word), word, "rank", "ordinal"))
    return [m for m in out if math.isfinite(m.value)]  # a run of hundreds of digits reads as inf


TIMEFRAME_BEFORE = re.compile(
    r"\b(?:within|for|in|during|after|over|since|every|each|up\s+to|last|next|past|per)"
    r"(?:\s+(?:the|a|an|more|less|than|about|around|approximately|nearly|almost|over|under|at|least|"
    r"last|next|past|first|previous|following|coming|preceding|some|just))*\s*$"
    r"|\b(?:last|next|past|previous|preceding|following|coming)\s*$",
    re.I,
)
TIMEFRAME_AFTER = re.compile(r"\s?-?\s?(?:working\s+)?[A-Za-z]+\s+(?:ago|after|before|later|old|of\s+age)\b", re.I)


WORD_AFTER = re.compile(r"\s?-?\s?(?:working\s+)?([A-Za-z]+)\b")


def duration_unit(text: str, end: int) -> str | None:
    """The duration unit right after a number (``6-week`` → weeks), if any."""
    m = WORD_AFTER.match(text, end)
    return DURATION_UNITS.get(m.group(1).lower()) if m else None


def is_timeframe(text: str, start: int, end: int) -> bool:
    """``within 2 working days``, ``over the next 5 years``: the number in ``text[start:end]``
    bounds a span of time, it is not a measure."""
    return bool(search_before(TIMEFRAME_BEFORE, text, start) or TIMEFRAME_AFTER.match(text, end))

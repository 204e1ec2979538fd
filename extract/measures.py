"""Whether a figure's label names a measure: decided at extraction, where spaCy is loaded.

Figures are extracted from prose, so some labels are sentence debris ("and people subscribe",
"2020/21 SPEND (£103.2m"). Only labels that read as a measure tie figures into series
(:mod:`council_papers.db.series`). The judgement needs a parse, so it is made here, in the
workers that already hold the pipeline, and stored with the figure: the process that writes
the database never loads spaCy.
"""
from __future__ import annotations

import re

from council_papers.model import Figure

DEBRIS = re.compile(r"[0-9£$€%]")  # a measure's name holds no numbers or amounts
OPENING_WORDS = {"CCONJ", "SCONJ", "PRON", "ADP", "PUNCT", "SYM", "X"}  # a clause or fragment, not a name
# Words that say where, when or how much, not what is measured.
NOISE_WORDS = set(
    "the a an of in on at for to by from and or with within during over than as is was were are "
    "be been this that these those our we their its it last previous year years year's annual "
    "total number numbers around approximately about almost nearly over just some more less "
    "england national nationally region regional average city council local".split()
)


def mark_measures(figures: list[Figure], nlp) -> None:
    """Set ``names_measure`` on each figure: True when its label names something measured,
    not a piece of the sentence around a number. Each distinct label is parsed once.

    Rejected: numbers or amounts, unbalanced brackets, shouting (mostly upper case), openings
    that continue a clause (conjunction, pronoun, preposition, bullet), a present-tense verb
    outside a relative clause ("method contributes"), or no noun (or gerund, "safeguarding")
    beyond filler words.
    """
    from council_papers.extract.pipe import pipe  # spaCy: not for the writer, which imports NOISE_WORDS

    labels = sorted({f.label.strip() for f in figures if _may_name_measure(f.label)})
    docs = pipe(nlp, labels, skip=["ner", "lemmatizer"])  # tags and coarse tags are all it reads
    verdicts = {label: _parsed_names_measure(doc) for label, doc in zip(labels, docs)}
    for figure in figures:
        figure.names_measure = verdicts.get((figure.label or "").strip(), False)


def _may_name_measure(label: str | None) -> bool:
    """The checks that need no parse."""
    text = (label or "").strip()
    letters = [c for c in text if c.isalpha()]
    if not text[:1].isalpha() or DEBRIS.search(text) or text.count("(") != text.count(")"):
        return False
    return sum(c.isupper() for c in letters) <= len(letters) / 2


def _parsed_names_measure(tokens) -> bool:
    tokens = list(tokens)
    if tokens[0].pos_ in OPENING_WORDS or tokens[0].tag_ == "WRB":
        return False
    for i, tok in enumerate(tokens):
        after_relative = i > 0 and tokens[i - 1].tag_ in {"WP", "WDT"}
        if tok.tag_ in {"VBZ", "VBP"} and not after_relative:
            return False
    return any((t.pos_ in {"NOUN", "PROPN"} or t.tag_ == "VBG") and t.lower_ not in NOISE_WORDS
               for t in tokens)

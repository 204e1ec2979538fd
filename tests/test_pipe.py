"""extract.pipe: the table-matched attribute ruler annotates exactly as spaCy's own pipeline."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from council_papers.extract.pipe import pipe
from council_papers.nlp import load_nlp

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def sentences() -> list[str]:
    """Corpus sentences that hold a number (what figure extraction parses), and awkward forms."""
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    text = " ".join(path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt")))
    found = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n\s*\n", text) if re.search(r"\d", s)]
    return found[::3] + ["I ain't sure we'll cope, let's see.", "Y'all've done 3 o'clock runs.", "   ", "'s"]


def annotations(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.is_sent_start) for t in doc]


@pytest.mark.parametrize("skip", [["ner"], ["ner", "lemmatizer"]])
def test_same_annotations_as_spacy(skip):
    nlp = load_nlp()
    texts = sentences()
    assert len(texts) > 500
    ours = [annotations(doc) for doc in pipe(nlp, texts, skip)]
    theirs = [annotations(doc) for doc in nlp.pipe(texts, disable=skip)]
    assert ours == theirs

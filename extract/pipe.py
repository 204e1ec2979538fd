"""spaCy's ``nlp.pipe`` with a cheaper attribute ruler, for the many short texts extraction parses.

The English pipelines set coarse tags, morphology and lemmas with an attribute ruler whose
patterns spaCy matches with its general Matcher; on the sentences that hold figures that
matching cost a quarter of the whole parse. The ruler's patterns are simple (a word, a fine
tag, a dependency), so here they are matched by table look-ups and the ruler then applies
the matches itself: the same annotations (checked token by token in tests/test_pipe.py).
A model whose patterns test anything else runs its ruler as it is.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from spacy.strings import get_string_id


def pipe(nlp, texts: Iterable[str], skip: list[str]) -> Iterator:
    """``nlp.pipe(texts)`` without the components ``skip``; the attribute ruler's patterns are
    matched by :class:`_AttributeRules` when they can be, with the same result."""
    rules = _attribute_rules(nlp)
    if rules is None:
        yield from nlp.pipe(texts, disable=skip)
        return
    names = [name for name in nlp.pipe_names if name not in skip]
    after = names[names.index("attribute_ruler") + 1:]
    for doc in nlp.pipe(texts, disable=[*skip, "attribute_ruler", *after]):
        rules(doc)
        for name in after:
            doc = nlp.get_pipe(name)(doc)
        yield doc


# What the attribute ruler's patterns may test, as columns of ``Doc.to_array``. A pattern is filed
# under the first of the first three that its first token tests exactly: the word, when given,
# is the most selective.
_COLUMNS = ("LOWER", "TAG", "DEP", "IS_SPACE")
_FILED = 3

_Test = tuple[int, str, object]  # (column, "eq" | "in" | "not_in" | "regex", value)


class _AttributeRules:
    """The pipeline's attribute ruler (coarse tags, morphology and lemmas set by fine tag, word
    and dependency), its patterns matched by table look-ups instead of spaCy's general Matcher,
    then applied by the ruler itself. The matches are the same, at a quarter of the cost: the
    Matcher took a quarter of the time of parsing the sentences that hold figures.

    ``patterns`` holds, for each of the ruler's patterns, its id and a list of tests for each
    of its tokens. A pattern is filed under the values that its first token's filing test
    accepts, and that test is then dropped.
    """

    def __init__(self, nlp, ruler, patterns: list[tuple[int, list[list[_Test]]]]):
        self.ruler = ruler
        self.strings = nlp.vocab.strings
        self.filed: list[dict[int, list]] = [{} for _ in range(_FILED)]
        self.unfiled: list = []  # patterns whose first token tests no filing column exactly
        for attr_id, tokens in patterns:
            match_id = self.strings[str(attr_id)]  # the ruler's own key for the pattern
            key = min((t for t in tokens[0] if t[0] < _FILED and t[1] in ("eq", "in")), default=None,
                      key=lambda t: t[0])
            if key is None:
                self.unfiled.append((attr_id, match_id, tokens))
                continue
            col, kind, value = key
            entry = (attr_id, match_id, [[t for t in tokens[0] if t is not key], *tokens[1:]])
            for v in (value if kind == "in" else [value]):
                self.filed[col].setdefault(v, []).append(entry)

    def __call__(self, doc) -> None:
        rows = doc.to_array(list(_COLUMNS)).tolist()
        matches = []
        for start, row in enumerate(rows):
            for candidates in (*(index.get(v, ()) for index, v in zip(self.filed, row)), self.unfiled):
                for attr_id, match_id, tokens in candidates:
                    if self._matches(tokens, rows, start):
                        matches.append((attr_id, match_id, start, start + len(tokens)))
        matches.sort()  # as AttributeRuler.match: later patterns take precedence
        self.ruler.set_annotations(doc, matches)

    def _matches(self, tokens: list[list[_Test]], rows: list[list[int]], start: int) -> bool:
        if start + len(tokens) > len(rows):
            return False
        for i, tests in enumerate(tokens):
            row = rows[start + i]
            for col, kind, value in tests:
                if kind == "eq":
                    holds = row[col] == value
                elif kind == "in":
                    holds = row[col] in value
                elif kind == "not_in":
                    holds = row[col] not in value
                else:
                    holds = value.search(self.strings[row[col]]) is not None
                if not holds:
                    return False
        return True


@lru_cache(maxsize=None)
def _attribute_rules(nlp) -> _AttributeRules | None:
    """The table matcher for ``nlp``'s attribute ruler; None when it has none, or when a pattern
    tests more than exact values, ``IN``, ``NOT_IN`` and ``REGEX`` of the ``_COLUMNS`` (then the
    ruler runs as it is)."""
    if "attribute_ruler" not in nlp.pipe_names:
        return None
    ruler = nlp.get_pipe("attribute_ruler")
    compiled = []
    for attr_id, entry in enumerate(ruler.patterns):
        for pattern in entry["patterns"]:
            tokens = [_tests(spec) for spec in pattern]
            if not tokens or None in tokens:
                return None
            compiled.append((attr_id, tokens))
    return _AttributeRules(nlp, ruler, compiled)


def _tests(spec: dict) -> list[_Test] | None:
    """The tests of one token of a Matcher pattern, or None if it needs more than they do."""
    tests = []
    for name, value in spec.items():
        if name not in _COLUMNS:
            return None
        col = _COLUMNS.index(name)
        if name == "IS_SPACE":
            if not isinstance(value, bool):
                return None
            tests.append((col, "eq", int(value)))
        elif isinstance(value, str):
            tests.append((col, "eq", get_string_id(value)))
        elif isinstance(value, dict) and len(value) == 1 and {"IN", "NOT_IN"} & set(value):
            (op, words), = value.items()
            tests.append((col, op.lower(), frozenset(get_string_id(v) for v in words)))
        elif isinstance(value, dict) and len(value) == 1 and "REGEX" in value:
            tests.append((col, "regex", re.compile(value["REGEX"])))
        else:
            return None
    return tests

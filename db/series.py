"""The ``figure_series`` table: figures that measure the same thing, across documents and years.

A measure is a label, a unit and a place. Labels are written differently from one report to
the next ("safeguarding concerns received", "safeguarding concerns"), so figures are grouped
by unit and place exactly and by normalised label fuzzily (rapidfuzz). A group becomes a
series when it holds figures for at least two periods. The series id is a hash of the group's
normalised measure, so it does not depend on row order and survives rebuilds.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter

import sqlite_utils
from rapidfuzz import fuzz

SERIES_TABLE = "figure_series"
COLUMNS = {
    "series_id": str, "label": str, "unit": str, "place": str, "year": int, "period": str,
    "value": float, "value_text": str, "figure_id": str, "document_id": str,
}
# Words that say where, when or how much, not what is measured.
NOISE_WORDS = set(
    "the a an of in on at for to by from and or with within during over than as is was were are "
    "be been this that these those our we their its it last previous year years year's annual "
    "total number numbers around approximately about almost nearly over just some more less "
    "england national nationally region regional average city council local".split()
)
SAME_MEASURE = 88  # rapidfuzz score at which two normalised labels name one measure


def normalise_label(label: str | None, place: str | None = None) -> str:
    """Lower case, no numbers, places or filler words, plurals folded: the measure's words."""
    text = (label or "").lower()
    if place:
        text = text.replace(place.lower(), " ")
    words = re.findall(r"[a-z][a-z'’-]*", text)
    out = []
    for w in words:
        w = w.strip("'’-")
        if not w or w in NOISE_WORDS:
            continue
        if len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.append(w)
    return " ".join(out)


def same_measure(a: str, b: str) -> bool:
    """Two normalised labels name one measure: near-equal, or one holds the other's words."""
    if not a or not b:
        return False
    if fuzz.token_sort_ratio(a, b) >= SAME_MEASURE:
        return True
    shorter = min(a, b, key=len)
    return len(shorter.split()) >= 2 and fuzz.token_set_ratio(a, b) >= 95


def period_year(period: str | None) -> int | None:
    """The first year a period names: ``2019/20`` → 2019, ``March 2022`` → 2022."""
    m = re.search(r"\b(?:19|20)\d\d\b", period or "")
    return int(m.group()) if m else None


def rebuild_figure_series(db: sqlite_utils.Database) -> None:
    """Replace ``figure_series`` with the series found in ``figures`` and ``documents`` now."""
    rows = list(db.query(
        "select f.id as figure_id, f.document_id, f.value, f.value_text, f.unit, f.label, "
        "f.period, f.place, d.year as doc_year, d.period as doc_period "
        "from figures f join documents d on d.id = f.document_id"
    )) if {"figures", "documents"} <= set(db.table_names()) else []
    groups: dict[tuple, list[list[dict]]] = {}
    for row in sorted(rows, key=lambda r: (normalise_label(r["label"], r["place"]), r["figure_id"])):
        key = normalise_label(row["label"], row["place"])
        if len(key.split()) < 2:
            continue  # "people", "days": too little said to tie figures together
        row["key"] = key
        clusters = groups.setdefault((row["unit"], row["place"]), [])
        for cluster in clusters:
            if same_measure(cluster[0]["key"], key):
                cluster.append(row)
                break
        else:
            clusters.append([row])
    out = []
    for (unit, place), clusters in groups.items():
        for cluster in clusters:
            periods = {r["period"] or r["doc_period"] or r["doc_year"] for r in cluster}
            if len(periods) < 2:
                continue
            keys = Counter(r["key"] for r in cluster)
            measure = min(keys, key=lambda k: (-keys[k], len(k), k))
            series_id = hashlib.sha1(f"{measure}|{unit}|{place}".encode()).hexdigest()[:16]
            labels = Counter(r["label"] for r in cluster if r["key"] == measure)
            label = min(labels, key=lambda x: (-labels[x], len(x), x))
            for r in cluster:
                period = r["period"] or r["doc_period"]
                out.append({
                    "series_id": series_id, "label": label, "unit": unit, "place": place,
                    "year": period_year(period) or r["doc_year"], "period": period,
                    "value": r["value"], "value_text": r["value_text"],
                    "figure_id": r["figure_id"], "document_id": r["document_id"],
                })
    with db.atomic():  # readers see the old series or the new, never none
        if SERIES_TABLE in db.table_names():
            db[SERIES_TABLE].drop()
        table = db[SERIES_TABLE]
        table.create(COLUMNS, pk=("series_id", "figure_id"))
        table.insert_all(sorted(out, key=lambda r: (r["series_id"], r["year"] or 0, r["figure_id"])))
        table.create_index(["series_id"])
        table.create_index(["year"])

"""The ``figure_series`` table: figures that measure the same thing, across documents and years.

A measure is a label, a unit and a place. Labels are written differently from one report to
the next ("safeguarding concerns received", "safeguarding concerns"), so figures are grouped
by unit and place exactly and by normalised label fuzzily (rapidfuzz). A group becomes a
series when it holds figures for at least two periods. The series id is a hash of the group's
normalised measure, so it does not depend on row order and survives rebuilds.

Figures are extracted from prose, so some labels are sentence debris. Only figures whose
label names a measure take part (``figures.names_measure``, judged at extraction by
:mod:`council_papers.extract.measures`); within a series a
document gives one figure per period (the one labelled most like the measure), and values far
out of scale with the rest of the series are dropped as another measure that shares words.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from statistics import median_low

import sqlite_utils
from rapidfuzz import fuzz

from council_papers.extract.measures import NOISE_WORDS

SERIES_TABLE = "figure_series"
COLUMNS = {
    "series_id": str, "label": str, "unit": str, "place": str, "year": int, "period": str,
    "value": float, "value_text": str, "figure_id": str, "document_id": str,
}
SAME_MEASURE = 88  # rapidfuzz score at which two normalised labels name one measure
MAX_SCALE = 10  # counts or money more than this many times the series' median measure something else
SCALED_UNITS = {"%", "percent", "percentage", "rate"}  # bounded units: no scale check


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


def one_per_period(cluster: list[dict], measure: str) -> list[dict]:
    """A document's one figure for each period: the one labelled most like the series measure."""
    best: dict[tuple, dict] = {}
    for r in cluster:
        slot = (r["document_id"], r["period"] or r["doc_year"])
        rank = (-fuzz.token_sort_ratio(r["key"], measure), r["figure_id"])
        if slot not in best or rank < best[slot]["rank"]:
            best[slot] = {**r, "rank": rank}
    return list(best.values())


def on_one_scale(members: list[dict], unit: str | None) -> list[dict]:
    """The figures whose values sit within ``MAX_SCALE`` of the series' median (counts, money)."""
    if (unit or "").lower() in SCALED_UNITS:
        return members
    values = [r["value"] for r in members if r["value"] and r["value"] > 0]
    if not values:
        return []
    middle = median_low(values)
    return [r for r in members if r["value"] and r["value"] > 0
            and max(r["value"], middle) / min(r["value"], middle) <= MAX_SCALE]


def rebuild_figure_series(db: sqlite_utils.Database) -> None:
    """Replace ``figure_series`` with the series found in ``figures`` and ``documents`` now."""
    rows = list(db.query(
        "select f.id as figure_id, f.document_id, f.value, f.value_text, f.unit, f.label, "
        "f.period, f.place, d.year as doc_year, d.period as doc_period "
        "from figures f join documents d on d.id = f.document_id where f.names_measure"
    )) if {"figures", "documents"} <= set(db.table_names()) else []
    groups: dict[tuple, list[list[dict]]] = {}
    for row in sorted(rows, key=lambda r: (normalise_label(r["label"], r["place"]), r["figure_id"])):
        key = normalise_label(row["label"], row["place"])
        if len(key.split()) < 2:
            continue  # "people", "days": too little said to tie figures together
        row["key"] = key
        row["period"] = row["period"] or row["doc_period"]
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
            keys = Counter(r["key"] for r in cluster)
            measure = min(keys, key=lambda k: (-keys[k], len(k), k))
            members = on_one_scale(one_per_period(cluster, measure), unit)
            for r in members:
                r["year"] = period_year(r["period"]) or r["doc_year"]
            if len({r["year"] for r in members}) < 2:
                continue
            series_id = hashlib.sha1(f"{measure}|{unit}|{place}".encode()).hexdigest()[:16]
            labels = Counter(r["label"] for r in cluster if r["key"] == measure)
            label = min(labels, key=lambda x: (-labels[x], len(x), x))
            for r in members:
                out.append({
                    "series_id": series_id, "label": label, "unit": unit, "place": place,
                    "year": r["year"], "period": r["period"],
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

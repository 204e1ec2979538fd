"""figure_series: one measure followed across the Local Accounts of different years."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils

from council_papers.db.series import normalise_label, rebuild_figure_series, same_measure

GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "gold"


def gold_value(stem: str, label: str, period: str) -> float:
    path = GOLD / stem / "figures.jsonl"
    if not path.exists():
        pytest.skip(f"gold not available: {path} is missing")
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return float(next(r["value"] for r in rows if r["label"] == label and r["period"] == period))


def series_rows(db_path: Path) -> list[dict]:
    return list(sqlite_utils.Database(db_path)["figure_series"].rows)


def test_every_series_spans_periods_and_points_at_real_figures(corpus_db):
    db = sqlite_utils.Database(corpus_db)
    rows = series_rows(corpus_db)
    assert rows
    figure_ids = {r["id"] for r in db["figures"].rows}
    by_series: dict[str, set] = {}
    for r in rows:
        assert r["figure_id"] in figure_ids
        by_series.setdefault(r["series_id"], set()).add((r["period"], r["year"]))
    assert all(len(periods) >= 2 for periods in by_series.values())


def test_safeguarding_concerns_followed_from_2020_21_to_2023_24(corpus_db):
    """The 2020/21 Local Account and the 2024/25 self-assessment report the same measure."""
    then = gold_value("002_f441da0c6d574aa3", "safeguarding concerns received", "2020/21")
    later = gold_value("001_4dab42d7330c5b9d", "safeguarding concerns received", "2023/24")
    rows = series_rows(corpus_db)
    series = {r["series_id"] for r in rows if r["value"] == then and r["period"] == "2020/21"}
    assert series, "the 2020/21 figure is in no series"
    members = [r for r in rows if r["series_id"] in series]
    assert any(r["value"] == later and r["period"] == "2023/24" for r in members)
    assert {r["unit"] for r in members} == {"count"}
    assert len({r["document_id"] for r in members}) >= 2


def test_series_ids_do_not_depend_on_row_order(corpus_db, tmp_path):
    source = sqlite_utils.Database(corpus_db)
    copy = sqlite_utils.Database(tmp_path / "reversed.db")
    copy["documents"].insert_all(reversed(list(source["documents"].rows)), pk="id")
    copy["figures"].insert_all(reversed(list(source["figures"].rows)), pk="id")
    rebuild_figure_series(copy)
    rebuild_figure_series(copy)  # rebuilding replaces, never duplicates
    original = {(r["series_id"], r["figure_id"]) for r in series_rows(corpus_db)}
    again = {(r["series_id"], r["figure_id"]) for r in copy["figure_series"].rows}
    assert again == original


def test_labels_normalised_to_the_measure():
    assert normalise_label("Safeguarding concerns received in Coventry", "Coventry") == \
        normalise_label("safeguarding concern received", None)
    assert same_measure(normalise_label("completed safeguarding enquiries"),
                        normalise_label("completed safeguarding enquiries undertaken"))
    assert not same_measure(normalise_label("spend on homecare"), normalise_label("spend on nursing care"))

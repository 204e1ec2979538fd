"""figure_series: one measure followed across the Local Accounts of different years."""
from __future__ import annotations

from pathlib import Path

import sqlite_utils

from council_papers.db.series import normalise_label, rebuild_figure_series, same_measure
from council_papers.extract.measures import mark_measures
from council_papers.model import Figure
from council_papers.nlp import load_nlp
from gold import gold_rows


def gold_value(stem: str, label: str, period: str) -> float:
    rows = gold_rows(stem, "figures")
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


def made_up_figure(doc: str, label: str, value: float) -> dict:
    """A figures row as the loader writes it, ``names_measure`` judged by extraction."""
    figure = Figure(value, str(value), "count", label, "")
    mark_measures([figure], load_nlp())
    return {"id": f"{doc}-{label}-{value}", "document_id": doc, "value": value, "value_text": str(value),
            "unit": "count", "label": label, "period": None, "place": "Northshire",
            "names_measure": int(figure.names_measure)}


def test_labels_that_are_sentence_debris_name_no_measure():
    measures = ["home care packages delivered", "people who use services", "safeguarding"]
    debris = ["method contributes", "and people subscribe retrospectively", "2021/22 CARE SPEND (£9.1m",
              "6 MONTHS of being received", "» In the survey for adults", "HOME CARE NET SPEND",
              "when people were asked"]
    figures = [Figure(1.0, "1", "count", label, "") for label in measures + debris]
    mark_measures(figures, load_nlp())
    assert [f.label for f in figures if f.names_measure] == measures


def test_sentence_debris_forms_no_series_and_each_document_gives_one_figure_a_period(tmp_path):
    db = sqlite_utils.Database(tmp_path / "made-up.db")
    db["documents"].insert_all([{"id": "a", "year": 2021, "period": "2021/22"},
                                {"id": "b", "year": 2023, "period": "2023/24"},
                                {"id": "c", "year": 2024, "period": "2024/25"}], pk="id")
    debris = ["method contributes", "and people subscribe retrospectively", "2021/22 CARE SPEND (£9.1m",
              "6 MONTHS of being received", "» In the survey for adults", "HOME CARE NET SPEND",
              "it largest authority in the region"]
    rows = [made_up_figure(doc, label, value) for label in debris for doc, value in (("a", 40), ("b", 44))]
    rows += [made_up_figure("a", "home care packages delivered", 1200),
             made_up_figure("a", "home care packages delivered this year by providers", 1190),
             made_up_figure("b", "home care packages delivered", 1300),
             made_up_figure("c", "home care packages delivered", 3)]  # another measure's scale
    db["figures"].insert_all(rows, pk="id")
    rebuild_figure_series(db)
    series = list(db["figure_series"].rows)
    assert {r["label"] for r in series} == {"home care packages delivered"}
    assert sorted((r["document_id"], r["value"]) for r in series) == [("a", 1200), ("b", 1300)]


def test_corpus_series_are_named_by_measures_with_one_figure_per_document_period(corpus_db):
    rows = series_rows(corpus_db)
    labels = {r["label"] for r in rows}
    for measure in ("safeguarding concerns received", "assessment timescales", "spending on revenue activity",
                    "completed safeguarding enquiries undertaken in the year"):
        assert measure in labels
    named = {r["id"] for r in sqlite_utils.Database(corpus_db).query("select id from figures where names_measure")}
    assert {r["figure_id"] for r in rows} <= named
    slots = [(r["series_id"], r["document_id"], r["period"] or r["year"]) for r in rows]
    assert len(slots) == len(set(slots))

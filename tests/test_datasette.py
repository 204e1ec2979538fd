"""Publishing with Datasette: the real server on a database built from corpus files.

Expected values come from the gold annotations in ../shared/gold; the server is the one
users run (``council-papers serve``), queried over HTTP through its JSON API and pages.
"""
from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ElementTree
from collections import Counter
from datetime import datetime
from urllib.parse import urljoin

import httpx
import pytest
from markupsafe import escape

from conftest import BIN, GOLD, REPO, free_port, start_server, stop_server

pytestmark = pytest.mark.slow

ATOM = "{http://www.w3.org/2005/Atom}"


def gold(kind: str) -> list[dict]:
    """Every gold row of one kind, across the gold folders."""
    found = []
    for path in sorted(GOLD.glob(f"*/{kind}.jsonl")):
        found += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    if not found:
        pytest.skip(f"no gold {kind} found under {GOLD}")
    return found


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[‘’“”\"']", "'", text or "").lower().split())


def first_year(period: str) -> int:
    return int(re.match(r"\d{4}", period).group())


# Faceting and table search -----------------------------------------------------------------


def test_documents_facet_by_year_covers_gold_periods(site):
    data = site.json("/{db}/documents.json", _facet="year")
    years = {item["value"] for item in data["facet_results"]["year"]["results"]}
    expected = {first_year(d["period"]) for d in gold("documents") if d.get("period")}
    assert expected <= years


def test_default_facets_come_from_metadata(site):
    expected = {
        "documents": {"year", "council", "body", "doc_type"},
        "figures": {"unit", "place", "period"},
        "quotes": {"speaker_kind", "speaker"},
        "case_studies": {"theme"},
    }
    for table, facets in expected.items():
        data = site.json(f"/{{db}}/{table}.json")
        assert facets <= set(data["facet_results"]), table
    bodies = {
        item["value"]
        for item in site.json("/{db}/documents.json")["facet_results"]["body"]["results"]
    }
    assert {d["body"] for d in gold("documents") if d.get("body")} & bodies


def test_foreign_keys_show_document_titles(site):
    rows = site.rows("/{db}/quotes.json", _labels="on", _size=5)
    titles = {row["document_id"]["label"] for row in rows}
    documents = {d["title"] for d in site.rows("/{db}/documents.json", _size="max")}
    assert titles and titles <= documents


def test_table_search_uses_full_text_index(site):
    subject = gold("case_studies")[0]["subject"]
    rows = site.rows("/{db}/quotes.json", _search=subject)
    assert rows
    assert all(
        subject.lower() in " ".join(str(r[c] or "") for c in ("text", "speaker", "speaker_role")).lower()
        for r in rows
    )


# Canned queries ------------------------------------------------------------------------------


def search(site, **params) -> list[dict]:
    return site.rows("/{db}/search.json", _size="max", **params)


def test_search_everything_ranks_and_highlights(site):
    theme = gold("case_studies")[0]["theme"]
    rows = search(site, q=theme)
    assert rows
    ranks = [r["rank"] for r in rows]
    assert ranks == sorted(ranks)
    assert {"case_studies", "sections"} <= {r["kind"] for r in rows}
    for row in rows:
        assert "<mark>" in row["snippet"]
        assert row["document"] and row["year"]
        assert row["page"] or row["line"]


def test_search_filters_by_year_body_and_type_and_ignores_empty_filters(site):
    word = "dementia"
    everything = search(site, q=word)
    assert everything == search(site, q=word, year="", council="", body="", doc_type="")
    years = Counter(r["year"] for r in everything)
    assert len(years) > 1
    year = years.most_common(1)[0][0]
    in_year = search(site, q=word, year=str(year))
    assert in_year and len(in_year) < len(everything)
    assert {r["year"] for r in in_year} == {year}

    body = next(d["body"] for d in gold("documents") if d.get("body"))
    committee = search(site, q=word, body=body.split()[0])
    assert committee and all(body.split()[0] in r["body"] for r in committee)

    doc_type = Counter(r["doc_type"] for r in everything).most_common(1)[0][0]
    typed = search(site, q=word, doc_type=doc_type)
    assert typed and {r["doc_type"] for r in typed} == {doc_type}


def test_search_tolerates_punctuation_and_prefixes(site):
    assert search(site, q="self-assessment")
    assert search(site, q="carer's assessment")
    prefixed = search(site, q="safeguard*")
    assert prefixed and len(prefixed) >= len(search(site, q="safeguarding"))
    assert search(site, q="") == []


def test_statistic_across_years_gives_one_cited_row_per_year(site):
    measures = site.rows("/{db}/measures.json")
    assert measures, "no measure is stated in more than one year"
    measure = measures[0]
    rows = site.rows("/{db}/statistic_across_years.json", series=measure["series_id"])
    years = [r["year"] for r in rows]
    assert len(years) == measure["years"] and years == sorted(set(years))
    for row in rows:
        assert row["document"] and (row["page"] or row["line"])
        figure = site.rows(f"/{{db}}/figures/{row['id']}.json")[0]
        assert (figure["value"], figure["context"]) == (row["value"], row["context"])


def test_quotes_by_speaker_or_kind(site):
    quotes = [q for q in gold("quotes") if q["speaker"]]
    speaker = Counter(q["speaker"] for q in quotes).most_common(1)[0][0]
    rows = site.rows("/{db}/quotes_by_speaker.json", speaker=speaker)
    assert rows and all(
        speaker in (r["speaker"] or "") + (r["speaker_role"] or "") for r in rows
    )
    found = {normalise(r["text"])[:40] for r in rows}
    assert any(normalise(q["text"])[:40] in found for q in quotes if q["speaker"] == speaker)

    kind = Counter(q["speaker_kind"] for q in quotes).most_common(1)[0][0]
    by_kind = site.rows("/{db}/quotes_by_speaker.json", kind=kind)
    assert by_kind and {r["speaker_kind"] for r in by_kind} == {kind}


def test_case_studies_by_theme(site):
    story = gold("case_studies")[0]
    rows = site.rows("/{db}/case_studies_by_theme.json", theme=story["theme"])
    assert story["subject"] in {r["subject"] for r in rows}
    assert all(story["theme"].lower() in r["theme"].lower() for r in rows)
    assert all(r["document"] and r["year"] and (r["page"] or r["line"]) for r in rows)


def test_cite_names_document_year_and_place(site):
    quote = site.rows("/{db}/quotes.json", _size=1)[0]
    citation = site.rows("/{db}/cite.json", id=quote["id"])[0]
    document = site.rows(f"/{{db}}/documents/{quote['document_id']}.json")[0]
    assert citation["document"] == document["title"]
    assert citation["year"] == document["year"]
    assert (citation["page"], citation["line"], citation["context"]) == (
        quote["page"], quote["line"], quote["text"]
    )


# Alerts --------------------------------------------------------------------------------------


def test_saved_search_is_an_atom_feed_of_matching_rows(site):
    params = {"q": "dementia", "doc_type": "briefing_note"}
    rows = site.rows("/{db}/search.json", _size="max", **params)
    response = site.get("/{db}/search_feed.atom", **params)
    assert response.status_code == 200
    assert "xml" in response.headers["content-type"]
    entries = ElementTree.fromstring(response.content).findall(f"{ATOM}entry")
    assert len(entries) == len(rows) > 0
    ids = {e.find(f"{ATOM}id").text.rsplit(":", 1)[1] for e in entries}
    assert ids == {r["id"] for r in rows}
    # dated by when each paper was stored, newest first, so new matches come first
    updated = [datetime.fromisoformat(e.find(f"{ATOM}updated").text) for e in entries]
    assert updated == sorted(updated, reverse=True)
    stored = {datetime.fromisoformat(d["stored_at"]) for d in site.rows("/{db}/documents.json", _size="max")}
    assert set(updated) <= stored
    link = urljoin(str(response.url), entries[0].find(f"{ATOM}link").get("href"))
    assert httpx.get(link, timeout=30).status_code == 200


def test_saved_search_without_matches_is_still_a_feed(site):
    response = site.get("/{db}/search_feed.atom", q="zzqxjvw")
    assert response.status_code == 200
    assert len(ElementTree.fromstring(response.content).findall(f"{ATOM}entry")) == 1


# Pages for editors ---------------------------------------------------------------------------


def test_figure_page_cites_document_year_line_and_context(site):
    figure = site.rows("/{db}/figures.json", line__notblank=1, context__notblank=1, _size=1)[0]
    document = site.rows(f"/{{db}}/documents/{figure['document_id']}.json")[0]
    page = site.get(f"/{{db}}/figures/{figure['id']}")
    assert page.status_code == 200
    source = page.text.split('<section class="citation"', 1)[1].split("</section>", 1)[0]
    assert escape(document["title"]) in source
    assert str(document["year"]) in source
    assert f"line {figure['line']}" in source
    assert escape(figure["context"]) in source


def test_pdf_section_page_cites_its_page(site):
    sections = site.rows("/{db}/sections.json", page__notblank=1, _size=1)
    if not sections:
        pytest.skip("no PDF in the built corpus")
    page = site.get(f"/{{db}}/sections/{sections[0]['id']}")
    assert f"page {sections[0]['page']}" in page.text.split('<section class="citation"', 1)[1]


def test_text_from_papers_is_escaped(site):
    rows = site.rows("/{db}/sections.json", text__contains="<script>")
    assert rows, "the markup paper's text was not stored as written"
    page = site.get(f"/{{db}}/sections/{rows[0]['id']}")
    assert "&lt;script&gt;alert(" in page.text
    assert "<script>alert(" not in page.text
    results = site.get("/{db}/search", q="markup-test")
    assert "<mark>" in results.text
    assert "<script>alert(" not in results.text


def test_statistic_page_charts_with_bundled_scripts_only(site):
    series = site.rows("/{db}/measures.json")[0]["series_id"]
    page = site.get("/{db}/statistic_across_years", series=series)
    assert 'id="statistic-chart"' in page.text
    sources = re.findall(r'<script[^>]*\ssrc="([^"]+)"', page.text)
    assert any(s.endswith("chart.umd.min.js") for s in sources)
    for src in sources:
        assert not re.match(r"(https?:)?//", src), src
        assert site.get(src).status_code == 200


def test_served_read_only(site):
    databases = site.json("/-/databases.json")
    assert databases and not any(d["is_mutable"] for d in databases)
    count = site.json("/{db}/documents.json")["filtered_table_rows_count"]
    assert site.get("/{db}.json", sql="delete from documents").status_code >= 400
    posted = httpx.post(f"{site.base}/{site.database}/documents", data={"title": "x"}, timeout=30)
    assert posted.status_code >= 400
    assert site.json("/{db}/documents.json")["filtered_table_rows_count"] == count


def test_plain_datasette_with_metadata_file(corpus_db, tmp_path):
    """``datasette council-papers.db -m metadata.yml`` works without the project's plugins."""
    named = tmp_path / "council-papers.db"
    named.symlink_to(corpus_db)
    port = free_port()
    process, plain = start_server(
        [str(BIN / "python"), "-m", "datasette", "serve", "--immutable", str(named),
         "-m", str(REPO / "metadata.yml"), "--port", str(port)],
        tmp_path / "datasette.log", f"http://127.0.0.1:{port}", "council-papers",
    )
    try:
        assert {"year", "doc_type"} <= set(plain.json("/{db}/documents.json")["facet_results"])
        assert plain.rows("/{db}/search.json", q="dementia")
    finally:
        stop_server(process)



@pytest.mark.slow
def test_several_councils_served_together(corpus_db, tmp_path):
    """One file per council, published side by side, each with the project's searches."""
    other = tmp_path / "example-borough.db"
    built = subprocess.run(
        [str(BIN / "council-papers"), "build", str(REPO / "examples"), "--db", str(other)],
        capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    port = free_port()
    process, first = start_server(
        [str(BIN / "council-papers"), "serve", str(corpus_db), str(other), "--port", str(port)],
        tmp_path / "serve.log", f"http://127.0.0.1:{port}", corpus_db.stem)
    try:
        councils = {}
        for name in (corpus_db.stem, other.stem):
            rows = first.rows(f"/{name}/search.json", q="carers")
            assert rows, name
            councils[name] = {r["council"] for r in rows}
        assert "Example Borough Council" in councils[other.stem]
        assert "Example Borough Council" not in councils[corpus_db.stem]
    finally:
        stop_server(process)

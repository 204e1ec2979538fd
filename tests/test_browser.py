"""The published site in a real browser (Debian's chromium driven by Playwright, offline).

A person types a search, runs it, reads the highlighted results and follows one to its
cited row; and sees a statistic charted across the years. Screenshots land in the test's
tmp folder.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def test_search_page_runs_a_query_and_cites_results(site, page, tmp_path):
    page.goto(f"{site.base}/{site.database}/search")
    assert page.locator("h1").inner_text().strip() == "Search everything"
    page.fill("input[name=q]", "dementia")
    page.click("form.sql input[type=submit]")
    page.wait_for_selector("table.rows-and-columns tbody tr")
    page.screenshot(path=str(tmp_path / "search.png"))

    assert "q=dementia" in page.url
    first = page.locator("table.rows-and-columns tbody tr").first
    assert "dementia" in first.locator("td.col-snippet mark").first.inner_text().lower()
    document = first.locator("td.col-document").inner_text().strip()
    assert document and first.locator("td.col-year").inner_text().strip()

    first.locator("td.col-id a").click()
    page.wait_for_selector("section.citation")
    page.screenshot(path=str(tmp_path / "row.png"))
    citation = page.locator("section.citation").inner_text()
    assert document in citation
    assert "page " in citation or "line " in citation


def test_statistic_is_charted_across_years(site, page, tmp_path):
    series = site.rows("/{db}/measures.json")[0]["series_id"]
    page.goto(f"{site.base}/{site.database}/statistic_across_years?series={series}")
    page.wait_for_function("() => window.Chart && Chart.getChart('statistic-chart')")
    page.screenshot(path=str(tmp_path / "statistic.png"), full_page=True)
    points = page.evaluate(
        "() => Chart.getChart('statistic-chart').data.datasets.map(d => d.data.map(p => p.x))"
    )
    years = [int(cell) for cell in page.locator("td.col-year").all_inner_texts()]
    assert points == [years]

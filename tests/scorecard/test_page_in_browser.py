"""The scorecard as a person sees it: opened in headless Chromium from disk, offline.

Checks that the page makes no request beyond its own file, that every figure a reader sees equals the
warehouse's, that a province link opens that province's page, that it prints to A4 (the language switch
hidden) and takes a screenshot.
"""

import re

import duckdb
import pytest
from browser import INSTALL_HINT, chromium_executable, launch
from page_figures import mismatches

from pipelines.scorecard import render_week


@pytest.fixture(scope="module")
def chromium():
    executable = chromium_executable()
    if executable is None:
        pytest.skip(f"Debian's chromium is absent and cannot be installed here: {INSTALL_HINT}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright, executable)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def week_pages(scorecard_warehouse, tmp_path_factory):
    out = tmp_path_factory.mktemp("browser_scorecards")
    return render_week(
        scorecard_warehouse.serving_db, scorecard_warehouse.window.complete_week_starts[-1], out
    )


def open_offline(browser, path, **context):
    """A page loaded from disk with every request recorded; anything but the file itself is refused."""
    ctx = browser.new_context(**context)
    requested: list[str] = []

    def route(route):
        requested.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    ctx.route("**/*", route)
    page = ctx.new_page()
    page.goto(path.as_uri(), wait_until="load")
    return ctx, page, requested


def shown_figures(page) -> list[tuple[str, str]]:
    return page.eval_on_selector_all("[data-f]", "els => els.map(e => [e.dataset.f, e.innerText])")


@pytest.mark.parametrize("name,lang", [("nasional.html", "id"), ("nasional.en.html", "en")])
def test_the_page_requests_nothing_and_shows_the_warehouse_figures(
    chromium, week_pages, scorecard_warehouse, name, lang, tmp_path
):
    path = week_pages.folder / name
    ctx, page, requested = open_offline(chromium, path, viewport={"width": 1280, "height": 900})
    assert requested == [path.as_uri()]  # no font, script, image or stylesheet from anywhere else
    figures = shown_figures(page)
    assert len(figures) > 100
    with duckdb.connect(str(scorecard_warehouse.serving_db), read_only=True) as con:
        assert mismatches(figures, con, week_pages.week.label, lang) == []
    # The charts are inline SVG that the browser drew.
    assert page.locator("figure svg.chart").count() == 1
    assert page.locator("svg.spark").count() >= 3
    png = tmp_path / "page.png"
    page.screenshot(path=str(png), full_page=True)
    assert png.stat().st_size > 50_000
    ctx.close()


def test_a_province_link_opens_that_province_scorecard(chromium, week_pages, scorecard_warehouse):
    ctx, page, requested = open_offline(chromium, week_pages.national_page)
    with duckdb.connect(str(scorecard_warehouse.serving_db), read_only=True) as con:
        name = con.execute("select unit_name from marts.dim_units where unit_code = 'ID-35'").fetchone()[0]
    page.locator("#league").get_by_role("link", name=name).click()
    page.wait_for_url(re.compile(r"ID-35\.html$"))
    assert page.locator("h1").inner_text().endswith(name)
    with duckdb.connect(str(scorecard_warehouse.serving_db), read_only=True) as con:
        assert mismatches(shown_figures(page), con, week_pages.week.label, "id") == []
    assert all(url.startswith("file://") for url in requested)
    ctx.close()


def test_the_page_prints_to_a4_without_the_language_switch(chromium, week_pages, tmp_path):
    ctx, page, _ = open_offline(chromium, week_pages.national_page)
    page.emulate_media(media="print")
    assert not page.locator("nav.switch").is_visible()
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    pages = re.findall(rb"/Type\s*/Page\b", pdf)
    boxes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]", pdf))
    assert len(pages) >= 2  # sections marked page-break start new pages
    assert boxes and all(abs(float(w) - 595.3) < 1.5 and abs(float(h) - 841.9) < 1.5 for w, h in boxes)
    (tmp_path / "scorecard.pdf").write_bytes(pdf)
    ctx.close()

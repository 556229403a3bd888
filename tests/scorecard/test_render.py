"""Rendering from the real published warehouse, without a browser: the files, valid HTML, nothing external,
every figure equal to the warehouse's, the optional sections in both cases, partial weeks unranked."""

import re
import time

import duckdb
import html5lib
import pytest
from page_figures import mismatches

from pipelines.scorecard import render_week

EXTERNAL = re.compile(
    r"""(?:src|href|action|xlink:href)\s*=\s*["']?\s*(?:https?:|//|ftp:)|url\(\s*["']?(?:https?:|//)""", re.I
)


def parse_strict(path):
    """html5lib's strict parser raises on the first WHATWG parse error."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(path.read_bytes())


def figures_of(tree) -> list[tuple[str, str]]:
    return [(el.get("data-f"), "".join(el.itertext())) for el in tree.iter() if el.get("data-f")]


@pytest.fixture(scope="module")
def rendered(scorecard_warehouse, tmp_path_factory):
    out = tmp_path_factory.mktemp("scorecards")
    week = scorecard_warehouse.window.complete_week_starts[-1]
    started = time.monotonic()
    result = render_week(scorecard_warehouse.serving_db, week, out)
    seconds = time.monotonic() - started
    sizes = sorted(result.page_bytes.values())
    print(
        f"\nrendered {result.week.label}: {len(result.pages)} pages in {seconds:.2f} s "
        f"(national {result.national_bytes / 1024:.0f} KiB, pages {sizes[0] / 1024:.0f}-{sizes[-1] / 1024:.0f} KiB)"
    )
    return result, out


def test_a_week_renders_national_and_province_pages_in_both_languages_and_the_index(rendered):
    result, out = rendered
    names = {p.name for p in result.pages}
    assert {"nasional.html", "nasional.en.html"} <= names
    for code in ("ID-11", "ID-35", "ID-51"):
        assert {f"{code}.html", f"{code}.en.html"} <= names
    assert result.week.is_complete
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="{result.week.label}/nasional.html"' in index
    assert f'href="{result.week.label}/ID-35.html"' in index
    assert (out / "index.en.html").exists() and (result.folder / "scorecard.md").exists()
    national = result.national_page.read_text(encoding="utf-8")
    assert 'lang="id"' in national and 'href="nasional.en.html"' in national
    assert 'href="ID-35.html"' in national  # the league links each province's own scorecard


def test_every_page_is_valid_html_with_unique_ids_and_no_external_reference(rendered):
    result, out = rendered
    for path in [*result.pages, out / "index.html", out / "index.en.html"]:
        tree = parse_strict(path)
        ids = [el.get("id") for el in tree.iter() if el.get("id")]
        assert len(ids) == len(set(ids)), f"duplicate ids in {path.name}"
        text = path.read_text(encoding="utf-8")
        assert not EXTERNAL.search(text), f"{path.name}: {EXTERNAL.search(text).group(0)}"
        assert "<script" not in text and "@import" not in text


def test_every_figure_on_every_page_equals_the_warehouse(rendered, scorecard_warehouse):
    result, _ = rendered
    checked = 0
    with duckdb.connect(str(scorecard_warehouse.serving_db), read_only=True) as con:
        for path in result.pages:
            lang = "en" if path.name.endswith(".en.html") else "id"
            figures = figures_of(parse_strict(path))
            assert figures, path.name
            assert mismatches(figures, con, result.week.label, lang) == [], path.name
            checked += len(figures)
    assert checked > 500


def test_the_league_ranks_every_province_and_marks_flagged_rows(rendered, scorecard_warehouse):
    result, _ = rendered
    tree = parse_strict(result.national_page)
    league = next(el for el in tree.iter("section") if el.get("id") == "league")
    ranks = [
        "".join(el.itertext()) for el in league.iter() if (el.get("data-f") or "").endswith("|composite_rank")
    ]
    assert sorted(ranks) == ["1", "2", "3"]
    with duckdb.connect(str(scorecard_warehouse.serving_db), read_only=True) as con:
        flagged = con.execute(
            "select count(*) from reports.rpt_scorecard_league_weekly where iso_year_week = ? "
            "and league_level = 'province' and flagged_account_days_count > 0",
            [result.week.label],
        ).fetchone()[0]
    marked_rows = [tr for tr in league.iter("tr") if tr.get("class") == "flagged"]
    assert len(marked_rows) == flagged
    assert all(any(a.get("class") == "mark" for a in tr.iter("a")) for tr in marked_rows)


def test_units_that_did_not_report_and_suspect_figures_are_listed(rendered, scorecard_warehouse):
    result, _ = rendered
    with duckdb.connect(str(scorecard_warehouse.serving_db), read_only=True) as con:
        counts = dict(
            con.execute(
                "select flag_category, count(*) from reports.rpt_scorecard_issues_weekly "
                "where iso_year_week = ? group by all",
                [result.week.label],
            ).fetchall()
        )
    assert counts.get("missing", 0) > 0 and counts.get("suspect", 0) > 0, (
        counts
    )  # the scenarios reached the week
    tree = parse_strict(result.national_page)
    for section, category in (("missing", "missing"), ("suspect", "suspect")):
        element = next(el for el in tree.iter("section") if el.get("id") == section)
        rows = [tr for tr in element.iter("tr") if tr.find("td") is not None]
        assert len(rows) == min(counts[category], 30)


def test_a_partial_week_is_shown_provisional_and_unranked(scorecard_warehouse, tmp_path):
    result = render_week(
        scorecard_warehouse.serving_db, scorecard_warehouse.window.partial_week_start, tmp_path
    )
    assert not result.week.is_complete and result.week.days_in_warehouse == 5
    national = result.national_page.read_text(encoding="utf-8")
    assert 'id="incomplete"' in national and "5 dari 7 hari" in national
    tree = parse_strict(result.national_page)
    ranks = [
        "".join(el.itertext()) for el in tree.iter() if (el.get("data-f") or "").endswith("|composite_rank")
    ]
    assert ranks and set(ranks) == {"–"}


def test_a_week_outside_the_warehouse_renders_nothing(scorecard_warehouse, tmp_path):
    import datetime as dt

    assert render_week(scorecard_warehouse.serving_db, dt.date(2020, 1, 6), tmp_path) is None
    assert not any(tmp_path.iterdir())


def test_content_mix_and_responsiveness_render_only_when_the_week_has_posts(
    serving_copy, scorecard_warehouse, tmp_path
):
    week = scorecard_warehouse.window.complete_week_starts[-1]
    without = render_week(serving_copy, week, tmp_path / "without")
    text = without.national_page.read_text(encoding="utf-8")
    assert 'id="content-mix"' not in text and 'id="responsiveness"' not in text

    # The fixture's lake has no posts: the post reports exist but hold no row of the week. Give them rows.
    with duckdb.connect(str(serving_copy)) as con:
        con.execute(
            "create or replace table reports.rpt_scorecard_content_mix_weekly as select platform, "
            "scope_unit_code, iso_year_week, content_type, posts_count, posts_count / sum(posts_count) over "
            "(partition by platform, scope_unit_code, iso_year_week) as posts_share_rate from (select platform, "
            "scope_unit_code, iso_year_week, unnest(['image', 'video']) as content_type, unnest([3, 1]) as "
            "posts_count from reports.rpt_scorecard_platform_weekly)"
        )
        con.execute(
            "create or replace table reports.rpt_reply_rate_weekly as select platform, scope_unit_code, "
            "iso_year_week, 40 as comments_count, 30 as answered_comments_count, 0.75 as reply_rate, "
            "95.5 as median_first_reply_minutes from reports.rpt_scorecard_platform_weekly"
        )
    with_tables = render_week(serving_copy, week, tmp_path / "with")
    tree = parse_strict(with_tables.national_page)
    sections = {el.get("id") for el in tree.iter("section")}
    assert {"content-mix", "responsiveness"} <= sections
    figures = figures_of(tree)
    assert any(k.startswith("C|") for k, _ in figures) and any(k.startswith("R|") for k, _ in figures)
    with duckdb.connect(str(serving_copy), read_only=True) as con:
        assert mismatches(figures, con, with_tables.week.label, "id") == []


def test_the_markdown_preview_carries_the_national_summary(rendered):
    result, _ = rendered
    preview = result.markdown
    assert preview.startswith(f"### Rapor mingguan {result.week.label}")
    for name in ("Instagram", "Facebook", "YouTube", "X", "TikTok"):
        assert f"| {name} |" in preview
    assert str(result.national_page) in preview

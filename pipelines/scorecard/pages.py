"""HTML pages from a week's warehouse rows: the national scorecard, one per province, and the index of weeks.

Each page is self-contained (styles inline, charts as inline SVG, no script, no external reference). Rows are
only selected, ordered and formatted here; every figure was computed by the warehouse.
"""

import datetime as dt
from collections import defaultdict
from functools import cache
from pathlib import Path

import jinja2

from pipelines.platform_spec import PLATFORMS
from pipelines.scorecard import charts
from pipelines.scorecard.i18n import (
    FLAG_TYPES,
    MISSING,
    PLATFORM_NAMES,
    REASONS,
    Formatter,
    text,
)
from pipelines.scorecard.queries import WeekData

TEMPLATES = Path(__file__).parent / "templates"
NATIONAL_LIST_LIMIT = 30  # missing / suspect rows on the national page; province pages list all of theirs
MOVERS = 5


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def stylesheet() -> str:
    return (TEMPLATES / "scorecard.css").read_text(encoding="utf-8")


def _key(prefix: str, *parts) -> str:
    return "|".join([prefix, *(str(p) for p in parts)])


def league_note(lang: str, weights: dict[str, float]) -> str:
    return text(lang)["league_note"].format(**{f"w_{k}": round(v * 100) for k, v in weights.items()})


def _listed(rows: list[dict], limit: int | None) -> dict:
    if limit is None or len(rows) <= limit:
        return {"rows": rows, "more": 0}
    return {"rows": rows[:limit], "more": len(rows) - limit}


def _movers(league_rows: list[dict]) -> dict[str, list[dict]]:
    moved = [r for r in league_rows if r["rank_change_count"] is not None]
    up = sorted(
        (r for r in moved if r["rank_change_count"] > 0),
        key=lambda r: (-r["rank_change_count"], -(r["composite_score_change"] or 0)),
    )
    down = sorted(
        (r for r in moved if r["rank_change_count"] < 0),
        key=lambda r: (r["rank_change_count"], r["composite_score_change"] or 0),
    )
    return {"up": up[:MOVERS], "down": down[:MOVERS]}


def _posting_matrix(data: WeekData, province_code: str) -> list[dict]:
    units: dict[str, dict] = {}
    for row in data.unit_platforms:
        if row["province_unit_code"] != province_code:
            continue
        unit = units.setdefault(row["unit_code"], {"unit_name": row["unit_name"], "cells": {}})
        unit["cells"][row["platform"]] = row
    return [units[code] for code in sorted(units, key=lambda c: (c != province_code, units[c]["unit_name"]))]


def _targets(data: WeekData, level: str) -> dict[str, str]:
    """Target posting days of the units a page judges (regencies on a province page; every level nationally)."""
    by_platform: dict[str, list[str]] = defaultdict(list)
    for row in data.posting_targets:
        if level == "national" or row["unit_level"] in ("province", "regency"):
            by_platform[row["platform"]].append(f"{row['posting_days_per_week_target']}")
    return {p: " / ".join(v) for p, v in by_platform.items()}


def render_week_page(
    data: WeekData,
    lang: str,
    scope_code: str,
    weights: dict[str, float],
    links: dict,
    generated_at: str,
    source: str,
) -> str:
    """The national page (scope_code = the national unit) or a province page, in one language."""
    t = text(lang)
    fmt = Formatter(lang)
    is_national = scope_code == data.nation_code
    scope_name = data.nation_name if is_national else data.provinces.get(scope_code, scope_code)
    summary = [r for r in data.platform_weeks if r["scope_unit_code"] == scope_code]
    summary.sort(key=lambda r: PLATFORMS.index(r["platform"]) if r["platform"] in PLATFORMS else 99)
    league = [r for r in data.league if r["league_unit_code"] == scope_code]
    trend = [r for r in data.platform_trend if r["scope_unit_code"] == scope_code]
    in_scope = (lambda r: True) if is_national else (lambda r: r["province_unit_code"] == scope_code)
    issues = [r for r in data.issues if in_scope(r)]
    limit = NATIONAL_LIST_LIMIT if is_national else None
    province_rank = None
    if not is_national:
        ranked = [r for r in data.league if r["league_unit_code"] == data.nation_code]
        own = next((r for r in ranked if r["unit_code"] == scope_code), None)
        province_rank = (
            t["province_rank"].format(rank=own["composite_rank"], count=own["league_members_count"])
            if own and own["composite_rank"] is not None
            else t["province_rank_none"]
        )
    context = {
        "lang": lang,
        "other_lang": "en" if lang == "id" else "id",
        "other_language_href": links["other_language"],
        "t": t,
        "fmt": fmt,
        "MISSING": MISSING,
        "css": stylesheet(),
        "week": data.week,
        "latest_date": data.latest_date,
        "generated_at": generated_at,
        "source": source,
        "page_title": t["title"] if is_national else t["province_title"].format(name=scope_name),
        "scope": {"code": scope_code, "name": scope_name, "level": "national" if is_national else "province"},
        "summary": summary,
        "chart": charts.trend_chart(trend, lang, t["trend_chart"]) if trend else "",
        "league": league,
        "league_note": league_note(lang, weights),
        "province_rank": province_rank,
        "sparklines": {
            r["unit_code"]: charts.sparkline(
                r["composite_score_trend"] or [], f"{r['unit_name']}: {r['trend_iso_year_weeks']}"
            )
            for r in league
        },
        "unit_links": links.get("units", {}),
        "movers": _movers(league),
        "platforms": PLATFORMS,
        "platform_names": PLATFORM_NAMES,
        "targets": _targets(data, "national" if is_national else "province"),
        "posting_matrix": None if is_national else _posting_matrix(data, scope_code),
        "missing": _listed([r for r in issues if r["flag_category"] == "missing"], limit),
        "suspect": _listed([r for r in issues if r["flag_category"] == "suspect"], limit),
        "flag_types": FLAG_TYPES[lang],
        "reasons": REASONS[lang],
        "content_mix": None
        if data.content_mix is None
        else [r for r in data.content_mix if r["scope_unit_code"] == scope_code],
        "responsiveness": None
        if data.responsiveness is None
        else [r for r in data.responsiveness if r["scope_unit_code"] == scope_code],
        "province_links": links.get("provinces"),
        "key_p": lambda r, c: _key("P", r["scope_unit_code"], r["platform"], c),
        "key_l": lambda r, c: _key("L", r["league_unit_code"], r["unit_code"], c),
        "key_u": lambda r, c: _key("U", r["unit_code"], r["platform"], c),
        "key_i": lambda r, c: _key("I", r["account_id"], r["flag_type"], c),
    }
    return environment().get_template("week.html.j2").render(context)


def render_index_page(entries: list[dict], lang: str, other_language_href: str, generated_at: str) -> str:
    """The list of every week rendered so far, newest first (entries: label, start, is_complete, hrefs)."""
    context = {
        "lang": lang,
        "other_lang": "en" if lang == "id" else "id",
        "other_language_href": other_language_href,
        "t": text(lang),
        "fmt": Formatter(lang),
        "css": stylesheet(),
        "entries": entries,
        "generated_at": generated_at,
    }
    return environment().get_template("index.html.j2").render(context)


def generated_stamp(now: dt.datetime) -> str:
    return now.strftime("%Y-%m-%d %H:%M %Z").strip()

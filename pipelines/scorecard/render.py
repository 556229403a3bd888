"""Render one ISO week's scorecards to files, and the index of every week rendered so far.

Layout under the output folder (`<data>/scorecards` by default):

    index.html, index.en.html              every week, newest first
    2026-W34/nasional.html, .en.html       the national scorecard (Bahasa Indonesia, English)
    2026-W34/<province code>.html, .en.html one per province office, about its own regencies
    2026-W34/scorecard.md                  the Markdown preview shown in the Dagster UI
    2026-W34/week.json                     what the index needs (label, dates, completeness, pages)

Every file is written to a temporary name and renamed into place: a reader never sees half a page.
"""

import datetime as dt
import fcntl
import json
import os
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.scorecard import markdown, queries
from pipelines.scorecard.i18n import LANGUAGES
from pipelines.scorecard.pages import generated_stamp, render_index_page, render_week_page
from pipelines.settings import REPORTING_ZONE, get_settings

NATIONAL_PAGE = "nasional"
SCORECARD_DIR_ENV = "MEDSOS_SCORECARD_DIR"
WEEK_FOLDER = re.compile(r"^\d{4}-W\d{2}$")
DEFAULT_WEIGHTS = {"growth": 0.25, "engagement": 0.25, "posting": 0.25, "completeness": 0.25}


@dataclass
class RenderResult:
    week: queries.Week
    folder: Path
    national_page: Path
    pages: list[Path] = field(default_factory=list)
    page_bytes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    markdown: str = ""

    @property
    def national_bytes(self) -> int:
        return self.page_bytes.get(self.national_page.name, 0)


def scorecard_dir() -> Path:
    """Where the pages go: MEDSOS_SCORECARD_DIR, else <data>/scorecards (read at run time)."""
    return Path(os.environ.get(SCORECARD_DIR_ENV) or get_settings().data_dir / "scorecards").resolve()


def last_complete_week_start(today: dt.date) -> dt.date:
    """Monday of the newest ISO week whose Sunday has ended (the scorecard's newest partition)."""
    return today - dt.timedelta(days=today.weekday() + 7)


def write_atomic(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        tmp.write_text(content, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def page_name(code: str, lang: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", code)
    return f"{stem}.html" if lang == "id" else f"{stem}.{lang}.html"


def _weights(data: queries.WeekData) -> dict[str, float]:
    row = next(iter(data.league), None)
    if row is None:
        return DEFAULT_WEIGHTS
    return {k: row[f"{k}_weight"] for k in DEFAULT_WEIGHTS}


def render_week(
    db_path: Path, week_start: dt.date, out_dir: Path, now: dt.datetime | None = None
) -> RenderResult | None:
    """Every page of the ISO week starting on `week_start` (a Monday); None when the warehouse lacks the week."""
    started = time.monotonic()
    with queries.connect(db_path) as con:
        data = queries.load_week(con, week_start)
    if data is None:
        return None
    stamp = generated_stamp((now or dt.datetime.now(REPORTING_ZONE)).astimezone(REPORTING_ZONE))
    folder = out_dir / data.week.label
    weights = _weights(data)
    provinces = [
        code for code in data.provinces if any(r["scope_unit_code"] == code for r in data.platform_weeks)
    ]
    result = RenderResult(
        week=data.week, folder=folder, national_page=folder / page_name(NATIONAL_PAGE, "id")
    )
    for lang in LANGUAGES:
        other = "en" if lang == "id" else "id"
        province_links = [(data.provinces[c], page_name(c, lang)) for c in provinces]
        pages = [
            (
                NATIONAL_PAGE,
                data.nation_code,
                {"provinces": province_links, "units": dict((c, page_name(c, lang)) for c in provinces)},
            )
        ]
        pages += [(code, code, {}) for code in provinces]
        for name, scope, links in pages:
            links["other_language"] = page_name(name, other)
            html = render_week_page(data, lang, scope, weights, links, stamp, db_path.name)
            path = folder / page_name(name, lang)
            write_atomic(path, html)
            result.pages.append(path)
            result.page_bytes[path.name] = len(html.encode("utf-8"))
    result.markdown = markdown.preview(data, result.national_page)
    write_atomic(folder / "scorecard.md", result.markdown)
    write_atomic(
        folder / "week.json",
        json.dumps(
            {
                "label": data.week.label,
                "start": data.week.start.isoformat(),
                "is_complete": data.week.is_complete,
                "provinces": [[data.provinces[c], c] for c in provinces],
                "rendered_at": stamp,
            },
            ensure_ascii=False,
            indent=1,
        ),
    )
    render_index(out_dir, now)
    result.seconds = round(time.monotonic() - started, 3)
    return result


def render_index(out_dir: Path, now: dt.datetime | None = None) -> list[Path]:
    """index.html / index.en.html listing every week folder that holds a week.json, newest first.

    Under a lock: two weeks rendered at once (a backfill) must not each write an index missing the other.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / ".index.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _write_index(out_dir, now)


def _write_index(out_dir: Path, now: dt.datetime | None) -> list[Path]:
    weeks = []
    for manifest in sorted(out_dir.glob("*/week.json"), reverse=True):
        if WEEK_FOLDER.match(manifest.parent.name):
            weeks.append(json.loads(manifest.read_text(encoding="utf-8")))
    stamp = generated_stamp((now or dt.datetime.now(REPORTING_ZONE)).astimezone(REPORTING_ZONE))
    written = []
    for lang in LANGUAGES:
        entries = [
            {
                "label": w["label"],
                "start": dt.date.fromisoformat(w["start"]),
                "end": dt.date.fromisoformat(w["start"]) + dt.timedelta(days=6),
                "is_complete": w["is_complete"],
                "national_href": f"{w['label']}/{page_name(NATIONAL_PAGE, lang)}",
                "province_links": [
                    (name, f"{w['label']}/{page_name(code, lang)}") for name, code in w["provinces"]
                ],
            }
            for w in weeks
        ]
        other = "index.en.html" if lang == "id" else "index.html"
        path = out_dir / ("index.html" if lang == "id" else "index.en.html")
        write_atomic(path, render_index_page(entries, lang, other, stamp))
        written.append(path)
    return written

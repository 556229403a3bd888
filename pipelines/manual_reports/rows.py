"""Turning raw cells into typed report rows, with a plain reason for every cell that cannot be read.

Weekly rows (a 'minggu' / 'week' cell instead of 'tanggal') become ONE row on the week's last day (Sunday):
lifetime counters (followers, following, posts_total) are the end-of-week snapshot, which is what they mean on
that Sunday; activity counts (new posts, views, reach, likes, comments, shares, saves) are the week's totals and
are attributed whole to that Sunday. They are not spread over the seven days: any split would invent a daily
pattern the unit never reported. Weekly sums in the marts come out exact. The lake row says so: its
reporting_period_days is 7 (1 for a daily row), carried to the marts so a daily chart or an engagement rate
never mistakes a week's total for one day's.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from pipelines.manual_reports.cells import parse_count, parse_date, parse_text, parse_week
from pipelines.manual_reports.columns import METRIC_COLUMNS, platform_for_word
from pipelines.manual_reports.dates import alternative
from pipelines.manual_reports.issues import CellError, Issue, clip_value, show_value
from pipelines.manual_reports.reader import RawTable

METRIC_FIELDS = tuple(c.field for c in METRIC_COLUMNS)
PERIOD_DAYS = {"day": 1, "week": 7}  # days a row's figures cover, ending on its metric_date
_URL = re.compile(r"^(?:https?://)?(?:www\.|m\.)?[a-z0-9.-]+\.[a-z]{2,}/", re.IGNORECASE)


@dataclass
class ReportRow:
    row_number: int
    unit_code: str | None = None
    platform: str | None = None
    handle: str | None = None  # as written, without a leading '@'
    metric_date: dt.date | None = None
    period: str = "day"  # "day" | "week"
    week_start: dt.date | None = None
    metrics: dict[str, int | None] = field(default_factory=dict)
    date_alternative: dt.date | None = None  # the day-month swapped reading of a swappable date (dates.py)

    @property
    def period_days(self) -> int:
        return PERIOD_DAYS[self.period]


def clean_handle(text: str) -> str:
    """'@Humas.KabX' → 'Humas.KabX'; 'https://www.instagram.com/humas.kabx/' → 'humas.kabx'."""
    text = text.strip()
    if _URL.match(text):
        segments = [s for s in text.split("?")[0].split("/") if s]
        text = segments[-1] if len(segments) > 1 else text
    return text.lstrip("@").strip()


class _RowReader:
    """Reads one row's cells, collecting an Issue for each cell that cannot be read."""

    def __init__(self, number: int, cells: list[object], columns: dict[str, int], issues: list[Issue]):
        self.number, self.cells, self.columns, self.issues = number, cells, columns, issues
        self.failed: set[str] = set()

    def raw(self, name: str) -> object:
        index = self.columns.get(name)
        return self.cells[index] if index is not None and index < len(self.cells) else None

    def read(self, name: str, parser):
        try:
            return parser(self.raw(name))
        except CellError as err:
            self.problem(name, err.id_text, err.en_text)
            return None

    def required(self, name: str, value):
        if value is None and name not in self.failed:
            self.problem(name, "wajib diisi", "must be filled in")
        return value

    def problem(self, name: str, id_text: str, en_text: str) -> None:
        self.failed.add(name)
        self.issues.append(Issue(id_text, en_text, self.number, name, clip_value(self.raw(name))))


def parse_rows(table: RawTable, columns: dict[str, int]) -> tuple[list[ReportRow], list[Issue]]:
    rows: list[ReportRow] = []
    issues: list[Issue] = []
    for number, cells in table.rows:
        row, cell = ReportRow(number), _RowReader(number, cells, columns, issues)
        unit = cell.required("unit_code", cell.read("unit_code", parse_text))
        row.unit_code = unit.upper() if unit else None
        platform_text = cell.required("platform", cell.read("platform", parse_text))
        if platform_text is not None:
            row.platform = platform_for_word(platform_text)
            if row.platform is None:
                known = "instagram, facebook, youtube, x, tiktok"
                cell.problem(
                    "platform",
                    f"{show_value(platform_text)} bukan platform yang dikenal ({known})",
                    f"{show_value(platform_text)} is not a known platform ({known})",
                )
        handle = cell.required("handle", cell.read("handle", parse_text))
        row.handle = clean_handle(handle) if handle else None
        if handle and not row.handle:
            cell.problem(
                "handle",
                f"{show_value(handle)} bukan nama akun; tulis nama akun yang terdaftar (misalnya @humas.kotaxyz)",
                f"{show_value(handle)} is not an account name; write the registered account (e.g. @humas.cityxyz)",
            )
        _read_period(row, cell)
        for name in METRIC_FIELDS:
            row.metrics[name] = cell.read(name, parse_count) if name in columns else None
        cell.required("followers_count", row.metrics["followers_count"])
        rows.append(row)
    return rows, issues


def _read_period(row: ReportRow, cell: _RowReader) -> None:
    day = cell.read("report_date", parse_date) if "report_date" in cell.columns else None
    week = cell.read("week", parse_week) if "week" in cell.columns else None
    if day is not None and week is not None:
        cell.problem(
            "week",
            "isi 'tanggal' ATAU 'minggu', jangan keduanya",
            "fill in 'report_date' OR 'week', not both",
        )
    elif week is not None:
        row.period, row.week_start, row.metric_date = "week", week[0], week[1]
    elif day is not None:
        row.metric_date = day
        row.date_alternative = alternative(cell.raw("report_date"), day)
    elif not cell.failed & {"report_date", "week"}:
        cell.required("report_date" if "report_date" in cell.columns else "week", None)

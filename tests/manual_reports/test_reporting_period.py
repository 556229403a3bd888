"""reporting_period_days in the lake: 1 for a daily row, 7 for a weekly report; files written before the
field existed stay readable (null, read as 1) and are merged without losing rows."""

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from manual_report_files import dmy, unit_accounts, write_csv

from pipelines.lake import MANUAL_ACCOUNT_DAILY_SCHEMA, manual_partition_path, rows_to_table, write_partition
from pipelines.manual_reports.intake import process_file
from pipelines.settings import today_wib

WEEKLY_HEADER = ["kode_unit", "platform", "akun", "minggu", "pengikut", "postingan_baru", "suka"]
DAILY_HEADER = ["kode_unit", "platform", "akun", "tanggal", "pengikut", "postingan_baru", "suka"]


def last_week() -> tuple[dt.date, dt.date]:
    monday = today_wib() - dt.timedelta(days=today_wib().weekday() + 7)
    return monday, monday + dt.timedelta(days=6)


def lake_rows(data_dir: Path, day: dt.date, unit_code: str) -> dict[str, dict]:
    table = pq.read_table(manual_partition_path(data_dir / "lake", day, unit_code))
    return {r["account_id"]: r for r in table.to_pylist()}


def take_in(inbox: Path, name: str, header: list[str], rows: list[list[str]], run_id: str):
    write_csv(inbox / name, rows, header=header)
    result = process_file(name, run_id=run_id)
    assert result.outcome == "processed", result.issues
    return result


def test_daily_and_weekly_rows_of_one_unit_on_one_sunday(inbox, data_dir):
    a, b = unit_accounts()
    monday, sunday = last_week()
    take_in(
        inbox,
        "harian.csv",
        DAILY_HEADER,
        [[b.unit_code, b.platform, b.handle, dmy(sunday), "40", "1", "3"]],
        "r1",
    )
    take_in(
        inbox,
        "mingguan.csv",
        WEEKLY_HEADER,
        [[a.unit_code, a.platform, a.handle, dmy(monday), "900", "5", "70"]],
        "r2",
    )

    table = pq.read_table(manual_partition_path(data_dir / "lake", sunday, a.unit_code))
    assert table.schema.field("reporting_period_days").type == pa.int32()
    rows = lake_rows(data_dir, sunday, a.unit_code)
    assert {k: r["reporting_period_days"] for k, r in rows.items()} == {a.account_id: 7, b.account_id: 1}
    assert rows[a.account_id]["likes_count"] == 70 and rows[b.account_id]["likes_count"] == 3


def test_weekly_report_replacing_a_sunday_row_is_a_change_even_with_equal_figures(inbox, data_dir):
    a, _ = unit_accounts()
    monday, sunday = last_week()
    cells = [a.unit_code, a.platform, a.handle]
    take_in(inbox, "minggu.csv", DAILY_HEADER, [[*cells, dmy(sunday), "900", "5", "70"]], "r1")
    second = take_in(inbox, "pekan.csv", WEEKLY_HEADER, [[*cells, dmy(monday), "900", "5", "70"]], "r2")

    assert second.replaced == 1
    [replaced] = json.loads(Path(second.receipt).read_text())["replaced"]
    assert replaced["changes"] == {"reporting_period_days": {"old": 1, "new": 7}}
    assert lake_rows(data_dir, sunday, a.unit_code)[a.account_id]["reporting_period_days"] == 7


def _legacy_partition(data_dir: Path, day: dt.date, account, followers: int) -> Path:
    """A unit-day file as the intake wrote it before reporting_period_days existed."""
    legacy_schema = pa.schema([f for f in MANUAL_ACCOUNT_DAILY_SCHEMA if f.name != "reporting_period_days"])
    row = {f.name: None for f in legacy_schema} | {
        "account_id": account.account_id,
        "platform_user_id": account.platform_user_id,
        "unit_code": account.unit_code,
        "metric_date": day,
        "fetched_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        "run_id": "old-run",
        "source": "manual",
        "platform": account.platform,
        "followers_count": followers,
        "report_file": "lama.xlsx",
        "file_sha256": "0" * 64,
    }
    path = manual_partition_path(data_dir / "lake", day, account.unit_code)
    return write_partition(rows_to_table([row], legacy_schema), path)


def test_file_written_before_the_field_existed_is_merged_and_read_as_daily(inbox, data_dir):
    a, b = unit_accounts()
    monday, sunday = last_week()
    _legacy_partition(data_dir, sunday, a, followers=880)
    _legacy_partition(data_dir, monday, a, followers=870)

    # Another account of the unit on the same day: the legacy row is kept, its period still unknown (null).
    take_in(
        inbox, "b.csv", DAILY_HEADER, [[b.unit_code, b.platform, b.handle, dmy(sunday), "40", "1", "3"]], "r1"
    )
    rows = lake_rows(data_dir, sunday, a.unit_code)
    assert (rows[a.account_id]["followers_count"], rows[a.account_id]["reporting_period_days"]) == (880, None)
    assert rows[b.account_id]["reporting_period_days"] == 1

    # A daily correction of a legacy row: null reads as 1, so only the figures changed.
    cells = [a.unit_code, a.platform, a.handle]
    fix = take_in(inbox, "fix.csv", DAILY_HEADER, [[*cells, dmy(monday), "875", "", ""]], "r2")
    [replaced] = json.loads(Path(fix.receipt).read_text())["replaced"]
    assert replaced["changes"] == {"followers_count": {"old": 870, "new": 875}}

    # The week's report over the legacy Sunday row: the period change is reported.
    week = take_in(inbox, "week.csv", WEEKLY_HEADER, [[*cells, dmy(monday), "900", "5", "70"]], "r3")
    [replaced] = json.loads(Path(week.receipt).read_text())["replaced"]
    assert replaced["changes"]["reporting_period_days"] == {"old": 1, "new": 7}
    assert lake_rows(data_dir, sunday, a.unit_code)[a.account_id]["reporting_period_days"] == 7

"""Monthly compaction keeps the lake exact: same rows in either layout, reruns replace exactly their day, a reader
racing a compaction never double-counts nor misses a month, compacting again changes nothing."""

import datetime as dt
import threading
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from pipelines import lake
from pipelines.lake_compaction import collect_garbage, compact_lake, compact_month, is_settled
from pipelines.lake_layout import month_file, read_table_rows

JAN = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(31)]


def fetch_log(day: dt.date, accounts: int = 3, status: str = "ok") -> pa.Table:
    rows = [
        {
            "account_id": f"x:{k}",
            "platform": "x",
            "unit_code": f"ID-{k % 2}",
            "metric_date": day,
            "status": status,
            "attempts": 1,
            "fetched_at": dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
            "run_id": f"run-{day}",
        }
        for k in range(accounts)
    ]
    return lake.rows_to_table(rows, lake.FETCH_LOG_SCHEMA)


def manual_rows(day: dt.date, unit: str, accounts: int, followers: int) -> pa.Table:
    rows = [
        {
            "account_id": f"instagram:{unit}-{k}",
            "platform_user_id": f"{unit}-{k}",
            "unit_code": unit,
            "metric_date": day,
            "fetched_at": dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
            "run_id": "intake",
            "source": "manual",
            "platform": "instagram",
            "reporting_period_days": 1,
            "followers_count": followers,
            "report_file": "laporan.csv",
            "file_sha256": "0" * 64,
        }
        for k in range(accounts)
    ]
    return lake.rows_to_table(rows, lake.MANUAL_ACCOUNT_DAILY_SCHEMA)


def write_january(lake_dir):
    for day in JAN:
        lake.write_partition(
            fetch_log(day), lake.partition_path(lake_dir, "x", "fetch_log", day), durable=False
        )
    return lake_dir / "x" / "fetch_log"


def ordered(table: pa.Table) -> pa.Table:
    return table.sort_by([("metric_date", "ascending"), ("account_id", "ascending")])


def days_of(table: pa.Table) -> dict[dt.date, int]:
    counts = pc.value_counts(table["metric_date"]).to_pylist()
    return {c["values"]: c["counts"] for c in counts}


def test_settled_months_wait_for_late_reports():
    assert not is_settled("2026-01", dt.date(2026, 2, 7), settle_days=7)
    assert is_settled("2026-01", dt.date(2026, 2, 8), settle_days=7)
    assert is_settled("2026-12", dt.date(2027, 1, 1), settle_days=0)  # across the year end


def test_compaction_keeps_every_row_and_reads_stay_exact(tmp_path):
    entity = write_january(tmp_path)
    before = read_table_rows(entity)
    done = compact_lake(tmp_path, today=dt.date(2026, 3, 1), grace_seconds=3600, durable=False)
    assert [(d.table, d.month, d.day_files, d.rows) for d in done] == [("x/fetch_log", "2026-01", 31, 93)]
    # Leftover day files are still there (grace period) and ignored: no double counting.
    assert len(list(entity.glob("date=*/data.parquet"))) == 31
    after = read_table_rows(entity)
    assert after.num_rows == before.num_rows == 93
    assert ordered(after).equals(ordered(before))
    day = lake.read_partition(lake.partition_path(tmp_path, "x", "fetch_log", JAN[4]))
    assert ordered(day).equals(ordered(fetch_log(JAN[4])))
    # After the grace period the day files go; reads do not change.
    assert collect_garbage(entity, grace_seconds=0) == 31
    assert not list(entity.glob("date=*"))
    assert ordered(read_table_rows(entity)).equals(ordered(before))
    assert lake.partition_exists(lake.partition_path(tmp_path, "x", "fetch_log", JAN[9]))


def test_compacting_again_changes_nothing(tmp_path):
    entity = write_january(tmp_path)
    assert compact_month(entity, "2026-01", durable=False) is not None
    stamp = month_file(entity, "2026-01").stat().st_mtime_ns
    assert compact_month(entity, "2026-01", durable=False) is None
    assert compact_lake(tmp_path, today=dt.date(2026, 3, 1), durable=False) == []
    assert month_file(entity, "2026-01").stat().st_mtime_ns == stamp


@pytest.mark.parametrize("rerun_accounts", [5, 0])
def test_rerun_of_a_compacted_day_replaces_exactly_that_day(tmp_path, rerun_accounts):
    entity = write_january(tmp_path)
    compact_lake(tmp_path, today=dt.date(2026, 3, 1), grace_seconds=0, durable=False)
    rerun = fetch_log(JAN[14], accounts=rerun_accounts, status="failed")
    written = lake.write_partition(rerun, lake.partition_path(tmp_path, "x", "fetch_log", JAN[14]))
    assert written == month_file(entity, "2026-01")  # the month file took the rerun
    assert not (entity / "date=2026-01-15").exists()
    rows = read_table_rows(entity)
    expected = {day: 3 for day in JAN} | {JAN[14]: rerun_accounts}
    assert {d: n for d, n in days_of(rows).items()} == {d: n for d, n in expected.items() if n}
    day = lake.read_partition(lake.partition_path(tmp_path, "x", "fetch_log", JAN[14]))
    assert day.num_rows == rerun_accounts and set(day["status"].to_pylist()) <= {"failed"}
    # The same rerun again: same month content (idempotent).
    lake.write_partition(rerun, lake.partition_path(tmp_path, "x", "fetch_log", JAN[14]))
    assert read_table_rows(entity).num_rows == rows.num_rows


def test_a_day_partition_cannot_carry_rows_of_another_day_into_a_month(tmp_path):
    write_january(tmp_path)
    compact_lake(tmp_path, today=dt.date(2026, 3, 1), durable=False)
    with pytest.raises(ValueError, match="rows outside"):
        lake.write_partition(fetch_log(JAN[2]), lake.partition_path(tmp_path, "x", "fetch_log", JAN[3]))


def test_manual_unit_days_compact_and_a_correction_replaces_only_its_unit_day(tmp_path):
    for day in JAN[:10]:
        for unit in ("ID-11", "ID-12"):
            path = lake.manual_partition_path(tmp_path, day, unit)
            lake.write_partition(manual_rows(day, unit, 2, 100), path, durable=False)
    entity = tmp_path / "manual" / "account_daily"
    (done,) = compact_lake(tmp_path, today=dt.date(2026, 3, 1), grace_seconds=0, durable=False)
    assert (done.day_files, done.rows) == (20, 40)
    lake.write_partition(
        manual_rows(JAN[3], "ID-11", 1, 555), lake.manual_partition_path(tmp_path, JAN[3], "ID-11")
    )
    rows = read_table_rows(entity).to_pylist()
    assert len(rows) == 39
    corrected = [r for r in rows if r["metric_date"] == JAN[3] and r["unit_code"] == "ID-11"]
    assert [r["followers_count"] for r in corrected] == [555]
    untouched = [r for r in rows if r["metric_date"] == JAN[3] and r["unit_code"] == "ID-12"]
    assert [r["followers_count"] for r in untouched] == [100, 100]
    unit_day = lake.read_partition(lake.manual_partition_path(tmp_path, JAN[3], "ID-12"))
    assert unit_day.num_rows == 2


def test_legacy_files_without_a_newer_field_compact_with_it_null(tmp_path):
    legacy = manual_rows(JAN[0], "ID-11", 1, 7).drop_columns(["reporting_period_days"])
    lake.write_partition(legacy, lake.manual_partition_path(tmp_path, JAN[0], "ID-11"))
    lake.write_partition(
        manual_rows(JAN[1], "ID-11", 1, 8), lake.manual_partition_path(tmp_path, JAN[1], "ID-11")
    )
    compact_lake(tmp_path, today=dt.date(2026, 3, 1), durable=False)
    table = pq.read_table(month_file(tmp_path / "manual" / "account_daily", "2026-01"))
    assert table["reporting_period_days"].to_pylist() == [None, 1]


def test_a_reader_racing_compactions_sees_every_month_once(tmp_path):
    """A writer compacts six months one after another while readers keep reading the whole table: every read
    holds each day's rows exactly once (a month from its file or from its day files, never both, never neither).
    """
    months = [dt.date(2025, m, 1) for m in range(1, 7)]
    for first in months:
        day = first
        while day.month == first.month:
            lake.write_partition(
                fetch_log(day), lake.partition_path(tmp_path, "x", "fetch_log", day), durable=False
            )
            day += dt.timedelta(days=1)
    entity = tmp_path / "x" / "fetch_log"
    expected = read_table_rows(entity).num_rows
    assert expected == 181 * 3
    done = threading.Event()
    reads, bad = [], []

    def reader():
        while not done.is_set():
            table = read_table_rows(entity)
            reads.append(table.num_rows)
            per_day = set(days_of(table).values())
            if table.num_rows != expected or per_day != {3}:
                bad.append((table.num_rows, per_day))

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        for first in months:
            compact_month(entity, first.strftime("%Y-%m"), durable=False)
            time.sleep(0.01)
    finally:
        deadline = time.monotonic() + 60
        while len(reads) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        done.set()
        for t in threads:
            t.join()
    assert reads and not bad, bad[:5]
    assert len(list(entity.glob("month=*/data.parquet"))) == 6


def test_concurrent_reruns_into_one_compacted_month_lose_nothing(tmp_path):
    entity = write_january(tmp_path)
    compact_lake(tmp_path, today=dt.date(2026, 3, 1), grace_seconds=0, durable=False)
    errors = []

    def rerun(day):
        try:
            table = fetch_log(day, accounts=4, status="failed")
            lake.write_partition(table, lake.partition_path(tmp_path, "x", "fetch_log", day), durable=False)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=rerun, args=(day,)) for day in JAN[:12]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    counts = days_of(read_table_rows(entity))
    assert all(counts[d] == 4 for d in JAN[:12]) and all(counts[d] == 3 for d in JAN[12:])

"""Taking in files end to end below Dagster: lake rows, receipts, weekly rows, replacement, duplicates."""

import datetime as dt
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from manual_report_files import days_ago, dmy, full_width, report_row, unit_accounts, write_csv, write_xlsx

from pipelines.lake import manual_partition_path
from pipelines.manual_reports.intake import file_sha256, process_file
from pipelines.registry import load_accounts
from pipelines.settings import today_wib


def _lake_rows(data_dir, day, unit_code):
    return pq.read_table(manual_partition_path(data_dir / "lake", day, unit_code)).to_pylist()


def test_good_csv_lands_in_the_lake_with_a_receipt(inbox, data_dir):
    a, b = unit_accounts()
    d1, d2 = days_ago(3), days_ago(2)
    path = write_csv(
        inbox / "Laporan November.csv",
        [
            report_row(
                a, d1, "17.583", mengikuti="120", jumlah_postingan="1.234", suka="300", tayangan="5.000"
            ),
            report_row(b, d1, "2.001", postingan_baru="2"),
            report_row(a, d2, "17.600"),
        ],
    )
    sha = file_sha256(path)
    result = process_file(path.name, run_id="r1")
    assert result.outcome == "processed", result.issues
    assert (result.rows, result.unit_days, result.replaced) == (3, 2, 0)
    assert list(inbox.iterdir()) == [inbox / "processed"]

    rows = {r["account_id"]: r for r in _lake_rows(data_dir, d1, a.unit_code)}
    assert set(rows) == {a.account_id, b.account_id}
    first = rows[a.account_id]
    assert (first["followers_count"], first["following_count"], first["posts_total_count"]) == (
        17583,
        120,
        1234,
    )
    assert (first["likes_count"], first["views_count"], first["saves_count"]) == (300, 5000, None)
    assert (first["source"], first["run_id"], first["file_sha256"]) == ("manual", "r1", sha)
    assert (first["platform"], first["unit_code"], first["metric_date"]) == (a.platform, a.unit_code, d1)
    assert first["platform_user_id"] == a.platform_user_id and first["report_file"] == "Laporan_November.csv"
    assert first["reporting_period_days"] == 1  # a daily row covers its own day
    assert rows[b.account_id]["new_posts_count"] == 2
    assert [r["followers_count"] for r in _lake_rows(data_dir, d2, a.unit_code)] == [17600]

    stored = inbox / "processed" / result.stored_as.rsplit("/", 1)[1]
    assert stored.name.endswith(f"_{sha[:8]}_Laporan_November.csv") and file_sha256(stored) == sha
    receipt = json.loads((stored.parent / (stored.name + ".receipt.json")).read_text())
    assert (
        receipt["sha256"] == sha
        and receipt["rows"] == 3
        and receipt["original_name"] == "Laporan November.csv"
    )
    assert receipt["unit_days"] == [f"{a.unit_code}@{d1}", f"{a.unit_code}@{d2}"]
    ledger = [json.loads(x) for x in (data_dir / "manual_reports" / "ledger.jsonl").read_text().splitlines()]
    assert [(e["sha256"], e["outcome"]) for e in ledger] == [(sha, "processed")]


def test_xlsx_with_title_row_excel_dates_and_indonesian_numbers(inbox, data_dir):
    a, _ = unit_accounts()
    day = days_ago(4)
    row = report_row(a, day, "1.234.567", suka="2.500")
    row[3] = dt.datetime.combine(day, dt.time())  # an Excel date cell
    row[2] = "@" + a.handle.upper()  # handles match case-insensitively, '@' allowed
    write_xlsx(inbox / "lap.xlsx", [row])
    result = process_file("lap.xlsx", run_id="r1")
    assert result.outcome == "processed", result.issues
    [stored] = _lake_rows(data_dir, day, a.unit_code)
    assert (stored["followers_count"], stored["likes_count"]) == (1234567, 2500)


def test_weekly_row_is_one_row_on_the_weeks_sunday(inbox, data_dir):
    a, _ = unit_accounts()
    last_week_monday = today_wib() - dt.timedelta(days=today_wib().weekday() + 7)
    sunday = last_week_monday + dt.timedelta(days=6)
    iso = last_week_monday.isocalendar()
    header = ["kode_unit", "platform", "akun", "minggu", "pengikut", "postingan_baru", "suka"]
    write_csv(
        inbox / "mingguan.csv",
        [[a.unit_code, a.platform, a.handle, f"{iso[0]}-W{iso[1]:02d}", "900", "5", "70"]],
        header=header,
    )
    result = process_file("mingguan.csv", run_id="r1")
    assert result.outcome == "processed", result.issues
    assert (result.rows, result.unit_days) == (1, 1)
    [row] = _lake_rows(data_dir, sunday, a.unit_code)
    assert (row["followers_count"], row["new_posts_count"], row["likes_count"]) == (900, 5, 70)
    assert row["reporting_period_days"] == 7  # the week's totals, not Sunday's: the marts must know
    assert sorted(p.name for p in (data_dir / "lake/manual/account_daily").iterdir()) == [f"date={sunday}"]


def test_week_not_yet_ended_is_refused(inbox):
    a, _ = unit_accounts()
    next_monday = today_wib() + dt.timedelta(days=7 - today_wib().weekday())
    header = ["kode_unit", "platform", "akun", "minggu", "pengikut"]
    write_csv(
        inbox / "w.csv",
        [[a.unit_code, a.platform, a.handle, next_monday.strftime("%d/%m/%Y"), "1"]],
        header=header,
    )
    result = process_file("w.csv", run_id="r1")
    assert result.outcome == "quarantined"
    [reason] = result.issues
    assert reason.startswith("Baris 2, kolom 'minggu': minggu ") and "belum selesai" in reason
    assert "Row 2, column 'week': week " in reason and "has not ended yet" in reason


def test_corrected_file_replaces_exactly_its_account_days(inbox, data_dir):
    a, b = unit_accounts()
    day = days_ago(5)
    write_csv(inbox / "v1.csv", [report_row(a, day, "1.000", suka="10"), report_row(b, day, "500")])
    first = process_file("v1.csv", run_id="r1")
    write_csv(inbox / "v2.csv", [report_row(a, day, "1.100", suka="10")])
    second = process_file("v2.csv", run_id="r2")
    assert second.outcome == "processed" and second.replaced == 1
    rows = {r["account_id"]: r for r in _lake_rows(data_dir, day, a.unit_code)}
    assert rows[a.account_id]["followers_count"] == 1100 and rows[a.account_id]["run_id"] == "r2"
    assert rows[b.account_id]["followers_count"] == 500 and rows[b.account_id]["run_id"] == "r1"  # kept

    receipt = json.loads(Path(second.receipt).read_text())
    [replaced] = receipt["replaced"]
    assert replaced["account_id"] == a.account_id and replaced["previous_sha256"] == first.sha256
    assert replaced["changes"] == {"followers_count": {"old": 1000, "new": 1100}}
    assert receipt["superseded_files"] == [f"v1.csv ({first.sha256[:8]})"]
    log = [json.loads(x) for x in (data_dir / "manual_reports/replacements.jsonl").read_text().splitlines()]
    assert [(e["previous_file"], e["replaced_by_file"]) for e in log] == [("v1.csv", "v2.csv")]
    assert len(list((inbox / "processed").glob("*.csv"))) == 2  # both files kept


def test_same_content_twice_is_taken_in_once(inbox, data_dir):
    a, _ = unit_accounts()
    day = days_ago(6)
    write_csv(inbox / "a.csv", [report_row(a, day, "10")])
    write_csv(inbox / "a (copy).csv", [report_row(a, day, "10")])
    first = process_file("a.csv", run_id="r1")
    before = _lake_rows(data_dir, day, a.unit_code)
    second = process_file("a (copy).csv", run_id="r2")
    assert (first.outcome, second.outcome) == ("processed", "duplicate")
    assert "not re-ingested" in second.detail and second.sha256 == first.sha256
    assert _lake_rows(data_dir, day, a.unit_code) == before  # untouched
    receipt = json.loads(Path(second.receipt).read_text())
    assert receipt["outcome"] == "duplicate" and receipt["duplicate_of"]["file"] == "a.csv"
    assert sorted(p.name.split("_", 2)[2] for p in (inbox / "processed").glob("*.csv")) == [
        "a.csv",
        "a_(copy).csv",
    ]


def test_path_outside_the_inbox_is_never_touched(inbox, data_dir):
    outside = write_csv(data_dir / "secret.csv", [report_row(unit_accounts()[0], days_ago(1), "1")])
    for path in ("../secret.csv", str(outside), "processed/../../secret.csv", "..", "/etc/passwd"):
        result = process_file(path, run_id="r1")
        assert result.outcome == "rejected", path
    assert outside.exists() and not (inbox / "processed").exists() and not (inbox / "quarantine").exists()


def _quarantined(inbox, name, rows, **kwargs):
    write_csv(inbox / name, rows, **kwargs)
    result = process_file(name, run_id="r1")
    assert result.outcome == "quarantined"
    return "\n".join(result.issues)


def test_dates_outside_the_accounts_life_and_horizon(inbox, monkeypatch):
    late = next(
        x for x in load_accounts() if x.active_from > dt.date(2024, 1, 1) and x.active_from < today_wib()
    )
    monkeypatch.setenv("MEDSOS_MANUAL_HORIZON_DAYS", "30")
    reasons = _quarantined(
        inbox,
        "d.csv",
        [report_row(late, late.active_from - dt.timedelta(days=1), "5"), report_row(late, days_ago(31), "5")],
    )
    assert "Row 2, column 'report_date'" in reasons and "before the account became active" in reasons
    assert "Row 3, column 'report_date'" in reasons and "too old" in reasons


def test_duplicate_account_day_and_unknown_handle(inbox):
    a, _ = unit_accounts()
    day = days_ago(2)
    reasons = _quarantined(
        inbox,
        "dup.csv",
        [
            report_row(a, day, "5"),
            report_row(a, day, "6"),
            full_width([a.unit_code, a.platform, "bukan.akun.kami", dmy(day), "1"]),
        ],
    )
    assert "Row 2, column 'report_date'" in reasons and "also in row 3" in reasons
    assert "Row 4, column 'handle': account 'bukan.akun.kami' is not a registered" in reasons
    assert "Baris 4, kolom 'akun'" in reasons


@pytest.mark.parametrize("both", [True, False])
def test_date_or_week_but_not_both(inbox, both):
    a, _ = unit_accounts()
    header = ["kode_unit", "platform", "akun", "tanggal", "minggu", "pengikut"]
    row = [a.unit_code, a.platform, a.handle, "01/11/2026" if both else "", "2026-W44" if both else "", "1"]
    reasons = _quarantined(inbox, "w.csv", [row], header=header)
    assert ("not both" if both else "Row 2, column 'report_date': must be filled in") in reasons

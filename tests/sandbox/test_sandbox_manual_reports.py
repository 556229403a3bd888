"""Weekly manual reports from the sandbox's series: template format, values, skipped weeks."""

import csv
import datetime as dt

from sandbox_calls import TODAY

from pipelines.sandbox import SandboxConfig, World
from pipelines.sandbox.manual_reports import HEADER, indonesian_number, write_manual_reports

MONDAY = TODAY - dt.timedelta(days=TODAY.weekday() + 7)


def parse_number(text: str) -> int | None:
    return int(text.replace(".", "")) if text else None


def test_reports_follow_the_template_and_the_series(small_registry, tmp_path):
    world = World(seed=42, config=SandboxConfig.quiet(today=TODAY.isoformat()), registry_dir=small_registry)
    files = write_manual_reports(tmp_path, MONDAY, world=world)
    manual = [a for a in world.accounts if a.collection_method == "manual"]
    assert {p.name for p in files} == {f"laporan_{u}_{MONDAY}.csv" for u in {a.unit_code for a in manual}}
    for path in files:
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh, delimiter=";"))
        assert rows[0] == HEADER
        unit_accounts = [a for a in manual if a.unit_code == rows[1][0]]
        assert len(rows) - 1 == 7 * len(unit_accounts)
        for row in rows[1:]:
            account = next(a for a in unit_accounts if a.handle == row[2] and a.platform == row[1])
            day = dt.datetime.strptime(row[3], "%d/%m/%Y").date()
            i, d = world.index_of[account.account_id], world.day_index(day)
            assert parse_number(row[4]) == world.value("followers", d, i)
            assert parse_number(row[7]) == world.value("new_posts", d, i)
            assert parse_number(row[8]) == world.value("views", d, i)
            if account.platform == "facebook":
                assert row[5] == row[6] == row[13] == ""
            if account.platform == "instagram":
                assert parse_number(row[6]) == world.value("posts_total", d, i)


def test_units_that_skip_a_week_send_no_file_and_are_in_the_ground_truth(small_registry, tmp_path):
    config = SandboxConfig.quiet(today=TODAY.isoformat(), manual_not_sent_rate=1.0)
    world = World(seed=42, config=config, registry_dir=small_registry)
    skip = world.manual_skips[0]
    files = write_manual_reports(tmp_path, skip.start_date, world=world)
    assert skip.unit_code not in {p.name.split("_")[1] for p in files}
    assert skip.end_date == skip.start_date + dt.timedelta(days=6) and skip.kind == "missing"


def test_indonesian_number_format():
    assert indonesian_number(1234567) == "1.234.567"
    assert indonesian_number(999) == "999"

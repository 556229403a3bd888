"""A small deterministic scenario through the real pipeline: sandbox over HTTP, ingestion, manual intake, dbt.

Registry: the national unit and three provinces with their regencies (75 accounts, all platforms, API and
manual). Sandbox: no transient faults, chosen scenarios within the last 30 days of a 7-week window. The
missing reports and the anomaly flags must equal the ground truth exactly (the benchmark measures the
general case, where the smallest injected spikes and rare posters' silences are sometimes missed). The
Dagster checks and the alert function run on the same build. (About a minute.)
"""

import csv
import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from data_quality import dq_summaries
from data_quality.alerting import send_critical_anomalies
from data_quality.benchmark import window
from data_quality.benchmark_data import LakeReport, ingest_days, ingest_manual_reports
from data_quality.benchmark_scoring import MISSING_SCENARIOS, load_ground_truth
from data_quality.checks import warehouse as asset_checks
from data_quality.notify import LogFileNotifier
from pipelines.registry import write_registry_subset
from pipelines.settings import PROJECT_ROOT, get_settings

pytestmark = pytest.mark.xdist_group("dq_scenario")

PROVINCES = {"ID-34", "ID-65", "ID-93"}
SEED = 7
TODAY = "2026-03-02"  # a Monday: the window is whole ISO weeks ending Sunday 2026-03-01
RATES = dict(
    stop_reporting_rate=0.1,
    suspended_rate=0.1,
    never_connected_rate=0.1,
    manual_not_sent_rate=0.3,
    follower_jump_rate=0.08,
    follower_drop_rate=0.08,
    frozen_rate=0.08,
    counter_decrease_rate=0.08,
    engagement_spike_rate=0.1,
    # Silences and inactivity are judged against an account's usual rate and comparable accounts, which a
    # registry this small cannot provide: their rules have dbt unit tests, their accuracy the benchmark.
    posting_silence_rate=0.0,
    inactive_rate=0.0,
)


def _write_registry(folder: Path) -> None:
    folder.mkdir(parents=True)
    seeds = PROJECT_ROOT / "dbt_project" / "seeds"
    with (seeds / "registry_units.csv").open(encoding="utf-8") as fh:
        units = list(csv.DictReader(fh))
    keep = {
        u["unit_code"]
        for u in units
        if u["unit_code"] in PROVINCES | {"ID"} or u["parent_unit_code"] in PROVINCES
    }
    write_registry_subset(folder, keep, seeds)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Run the scenario once for the module: returns (settings, window days)."""
    from pipelines.sandbox import SandboxConfig, start_sandbox
    from pipelines.warehouse import run_dbt_build

    root = tmp_path_factory.mktemp("dq_scenario")
    _write_registry(root / "registry")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MEDSOS_DATA_DIR", str(root / "data"))
        mp.setenv("MEDSOS_REGISTRY_DIR", str(root / "registry"))
        mp.delenv("MEDSOS_API_MODE", raising=False)
        mp.delenv("MEDSOS_ALERT_WEBHOOK_URL", raising=False)
        settings = get_settings()
        settings.data_dir.mkdir(parents=True)
        config = SandboxConfig.quiet(today=TODAY, scenario_window_days=30, recent_days=14, **RATES)
        days = window(dt.date.fromisoformat(TODAY), 45)
        with start_sandbox(port=0, seed=SEED, data_dir=settings.data_dir, config=config) as sandbox:
            ingest_days(settings, sandbox.url, days, workers=4, use_gate=False)  # the gate has its own tests
        ingest_manual_reports(settings, LakeReport(days=days), SEED, config, workers=1)
        run_dbt_build(settings)
        yield settings, days


def _keys(frame: pd.DataFrame, columns: list[str]) -> set[tuple]:
    frame = frame.copy()
    frame["metric_date"] = pd.to_datetime(frame["metric_date"]).dt.date
    return set(frame[columns].itertuples(index=False, name=None))


def _truth(settings, days) -> pd.DataFrame:
    return load_ground_truth(settings.sandbox_dir / "ground_truth_daily.csv", days[0], days[-1])


def _query(settings, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(settings.build_db_path), read_only=True) as con:
        return con.execute(sql).df()


def test_missing_reports_equal_ground_truth(built):
    settings, days = built
    truth = _truth(settings, days)
    expected = _keys(truth[truth["anomaly_type"].isin(MISSING_SCENARIOS)], ["account_id", "metric_date"])
    flagged = _keys(_query(settings, "select * from dq.dq_missing_reports"), ["account_id", "metric_date"])
    assert len(expected) > 300
    assert flagged == expected


def test_missing_report_reasons(built):
    settings, days = built
    truth = _truth(settings, days)
    missing = _query(settings, "select * from dq.dq_missing_reports")
    missing["metric_date"] = pd.to_datetime(missing["metric_date"]).dt.date
    joined = missing.merge(truth, on=["account_id", "metric_date"])
    reasons = joined.groupby("anomaly_type")["reason"].agg(set).to_dict()
    assert reasons["never_connected"] == {"never_connected"}
    assert reasons["manual_not_sent"] == {"no_manual_report"}
    assert reasons["stop_reporting"] == {"fetch_failed"}
    assert reasons["suspended"] == {"fetch_failed"}
    failed = joined[joined["reason"] == "fetch_failed"]
    assert failed["fetch_status"].notna().all() and failed["error_message"].notna().all()
    # streaks: every run of missing days is numbered 1..n
    assert (missing["consecutive_missing_days"] <= missing["streak_length_days"]).all()


def test_anomalies_equal_ground_truth(built):
    settings, days = built
    truth = _truth(settings, days)
    expected = _keys(
        truth[~truth["anomaly_type"].isin(MISSING_SCENARIOS)], ["account_id", "metric_date", "anomaly_type"]
    )
    flagged = _keys(
        _query(settings, "select * from dq.dq_anomalies"), ["account_id", "metric_date", "anomaly_type"]
    )
    assert {t for _, _, t in expected} == {
        "follower_jump",
        "follower_drop",
        "frozen",
        "counter_decrease",
        "engagement_spike",
    }
    assert flagged == expected


def test_every_flag_is_explained(built):
    settings, _ = built
    flags = _query(settings, "select * from dq.dq_anomalies")
    assert flags["explanation"].str.len().gt(20).all() and flags["explanation_en"].str.len().gt(20).all()
    assert set(flags["severity"]) <= {"critical", "warning"}


def test_completeness_rolls_up_to_the_nation(built):
    settings, days = built
    weekly = _query(settings, "select * from dq.dq_unit_completeness_weekly")
    national = weekly[weekly["unit_level"] == "national"]
    assert len(national) == len(days) // 7
    expected = _query(
        settings,
        "select count(*) as n, count(*) filter (where is_received) as r from dq.dq_expected_account_days",
    )
    assert national["expected_account_days"].sum() == expected["n"][0]
    assert national["received_account_days"].sum() == expected["r"][0]


@pytest.mark.usefixtures("built")
def test_dagster_checks_on_the_build():
    assert asset_checks.fact_grain_check().passed
    assert asset_checks.completeness_consistency_check().passed
    missing = asset_checks.missing_reports_check()
    assert not missing.passed and missing.metadata["missing_latest_day"].value > 0
    anomalies = asset_checks.anomalies_check()
    assert anomalies.metadata["worst_units"].value  # the units with most flags are listed


def test_critical_alerts_are_sent_once(built, tmp_path):
    settings, _ = built
    log = tmp_path / "alerts.jsonl"
    sent, keys = send_critical_anomalies(settings.build_db_path, LogFileNotifier(log))
    with duckdb.connect(str(settings.build_db_path), read_only=True) as con:
        latest = con.execute("select max(metric_date) from dq.dq_anomalies").fetchone()[0]
        events = dq_summaries.critical_events(con, latest - dt.timedelta(days=13))
    assert sent == len(events) > 0
    again, _ = send_critical_anomalies(settings.build_db_path, LogFileNotifier(log), keys)
    assert again == 0
    assert len(log.read_text(encoding="utf-8").splitlines()) == 1


def test_alert_sensor_sends_after_each_new_publish_only(built):
    import dagster as dg

    from pipelines.asset_keys import PUBLISHED_KEY as PUBLISHED
    from pipelines.sensors.alerts import critical_anomaly_alert_sensor
    from pipelines.warehouse import publish

    settings, _ = built
    publish(settings)
    with dg.instance_for_test() as instance:
        first = critical_anomaly_alert_sensor(dg.build_sensor_context(instance=instance))
        assert "not been published" in first.skip_message
        instance.report_runless_asset_event(dg.AssetMaterialization(asset_key=PUBLISHED))
        context = dg.build_sensor_context(instance=instance)
        sent = critical_anomaly_alert_sensor(context)
        assert sent.skip_message.startswith("sent ")
        again = critical_anomaly_alert_sensor(
            dg.build_sensor_context(instance=instance, cursor=context.cursor)
        )
        assert again.skip_message == "no new publish since the last check"
    alerts = (settings.data_dir / "logs" / "alerts.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(alerts) == 1 and '"kind": "critical_anomalies"' in alerts[0]

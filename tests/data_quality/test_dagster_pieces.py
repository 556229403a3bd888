"""The data-quality checks and sensors load into Definitions, and the run-failure sensor sends an alert."""

import json

import dagster as dg

from data_quality.checks import warehouse as warehouse_checks
from pipelines.asset_keys import warehouse_key
from pipelines.sensors.alerts import critical_anomaly_alert_sensor, run_failure_alert_sensor

dq_asset_checks = dg.load_asset_checks_from_modules([warehouse_checks])
dq_sensors = [run_failure_alert_sensor, critical_anomaly_alert_sensor]

DQ_MODELS = ["dq_missing_reports", "dq_unit_completeness_weekly", "dq_anomalies", "dq_expected_account_days"]


def test_checks_and_sensors_load_with_their_assets():
    assets = [dg.AssetSpec(warehouse_key(m)) for m in [*DQ_MODELS, "fct_account_daily", "published"]]
    defs = dg.Definitions(assets=assets, asset_checks=dq_asset_checks, sensors=dq_sensors)
    dg.Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    checks = {(k.asset_key.path[-1], k.name) for k in graph.asset_check_keys}
    assert ("fct_account_daily", "account_day_grain_unique") in checks
    assert ("dq_anomalies", "no_critical_anomalies_latest_day") in checks
    specs = {spec.key.name: spec for c in dq_asset_checks for spec in c.check_specs}
    assert specs["account_day_grain_unique"].blocking and specs["completeness_matches_facts"].blocking
    assert not specs["no_missing_reports_latest_day"].blocking


@dg.op
def broken():
    raise RuntimeError("boom: GET https://graph.example/x?access_token=abc123 failed")


@dg.job
def failing_job():
    broken()


def test_run_failure_sensor_writes_an_alert(data_dir, monkeypatch):
    monkeypatch.delenv("MEDSOS_ALERT_WEBHOOK_URL", raising=False)
    with dg.instance_for_test() as instance:
        result = failing_job.execute_in_process(instance=instance, raise_on_error=False)
        context = dg.build_run_status_sensor_context(
            sensor_name="run_failure_alert_sensor",
            dagster_instance=instance,
            dagster_run=result.dagster_run,
            dagster_event=result.get_run_failure_event(),
        ).for_run_failure()
        run_failure_alert_sensor(context)
    lines = (data_dir / "logs" / "alerts.jsonl").read_text(encoding="utf-8").splitlines()
    alert = json.loads(lines[0])
    assert alert["kind"] == "run_failure" and alert["job_name"] == "failing_job"
    assert alert["run_id"] == result.run_id
    assert "boom" in alert["error"] and "abc123" not in lines[0]

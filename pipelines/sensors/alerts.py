"""Alert sensors: one alert per failed run, and the critical anomaly flags of each newly published build.

- `run_failure_alert_sensor` (a `dg.run_failure_sensor` over every job of the code location) sends one alert per
  failed run: job, run id and the (redacted, truncated) error.
- `critical_anomaly_alert_sensor` watches `warehouse/published`; after each new publish it reads the serving file
  (read-only, so it never waits for a running build) and sends the critical flags not sent yet
  (`data_quality.alerting.send_critical_anomalies`). Alerts are evaluated on published builds only: a build
  that was not published (blocking checks failed, or the lake changed under it) never reaches this sensor.
  Its cursor remembers what was sent over the last ALERT_WINDOW_DAYS days.
"""

import json

import dagster as dg

from data_quality.alerting import send_critical_anomalies
from data_quality.notify import build_notifier
from pipelines.asset_keys import PUBLISHED_KEY
from pipelines.settings import get_settings

MAX_ERROR_CHARS = 1000


def _root_message(error) -> str:
    """The innermost cause's message: Dagster wraps a step's own exception in an execution error."""
    while getattr(error, "cause", None) is not None:
        error = error.cause
    return error.message.strip()


@dg.run_failure_sensor(
    description="Sends an alert (log file, and webhook when configured) for every failed run.",
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
)
def run_failure_alert_sensor(context: dg.RunFailureSensorContext):
    run = context.dagster_run
    error = context.failure_event.message if context.failure_event else ""
    step_errors = [
        _root_message(e.dagster_event.step_failure_data.error)
        for e in context.instance.all_logs(run.run_id, of_type=dg.DagsterEventType.STEP_FAILURE)
        if e.dagster_event and e.dagster_event.step_failure_data and e.dagster_event.step_failure_data.error
    ]
    if step_errors:  # the run event only names the failed steps; the step's own error says why
        error = f"{error} {step_errors[0]}".strip()
    build_notifier().send(
        {
            "kind": "run_failure",
            "summary": f"Run of {run.job_name} failed",
            "text": f"Run {run.run_id[:8]} of {run.job_name} failed: {(error or '')[:300]}",
            "job_name": run.job_name,
            "run_id": run.run_id,
            "error": (error or "")[:MAX_ERROR_CHARS],
        }
    )


@dg.sensor(
    description="After each publish, sends the critical anomaly flags not sent before.",
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=60,
)
def critical_anomaly_alert_sensor(context: dg.SensorEvaluationContext):
    records = context.instance.fetch_materializations(PUBLISHED_KEY, limit=1).records
    if not records:
        return dg.SkipReason("the warehouse has not been published yet")
    event = records[0]
    state = json.loads(context.cursor) if context.cursor else {"storage_id": 0, "sent": []}
    if event.storage_id <= state["storage_id"]:
        return dg.SkipReason("no new publish since the last check")
    serving = get_settings().serving_db_path
    sent, keys = send_critical_anomalies(serving, build_notifier(), set(state["sent"]))
    context.update_cursor(json.dumps({"storage_id": event.storage_id, "sent": sorted(keys)}))
    return dg.SkipReason(f"sent {sent} new critical flags" if sent else "no new critical flags")

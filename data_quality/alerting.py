"""Alerts: failed runs, and critical anomaly flags once a checked build has been published.

Export for the Definitions: `dq_sensors` = [run_failure_alert_sensor, critical_anomaly_alert_sensor].
- `run_failure_alert_sensor` (a `dg.run_failure_sensor` over every job of the code location) sends one alert per
  failed run: job, run id and the (redacted, truncated) error.
- `critical_anomaly_alert_sensor` watches the `warehouse/published` asset; after each new publish it reads the
  serving file (read-only, so it never waits for a running build) and sends the critical flags not sent yet,
  one per event (a frozen or silent run counts once, however many days it lasts). Its cursor remembers what
  was sent over the last ALERT_WINDOW_DAYS days.
`send_critical_anomalies` does the work for either and can be called from a script after a build.
"""

import datetime as dt
import json
from pathlib import Path

import dagster as dg

from data_quality import dq_summaries
from data_quality.notify import Notifier, build_notifier
from pipelines.settings import get_settings

PUBLISHED = dg.AssetKey(["warehouse", "published"])
ALERT_WINDOW_DAYS = 14
MAX_ITEMS = 50  # per alert; the rest are counted, and all are in dq_anomalies
MAX_ERROR_CHARS = 1000


def event_key(event: dict) -> str:
    return "|".join(str(event[k]) for k in ("account_id", "anomaly_type", "metric", "event_date"))


def send_critical_anomalies(
    db_path: Path, notifier: Notifier, already_sent: set[str] | None = None
) -> tuple[int, set[str]]:
    """Send the critical flags of the last ALERT_WINDOW_DAYS days not in `already_sent` as one alert.

    Returns (events sent, keys to remember: the sent ones still inside the window).
    """
    import duckdb

    already_sent = already_sent or set()
    with duckdb.connect(str(db_path), read_only=True) as con:
        latest = con.execute("select max(metric_date) from dq.dq_anomalies").fetchone()[0]
        if latest is None:
            return 0, set()
        since = latest - dt.timedelta(days=ALERT_WINDOW_DAYS - 1)
        events = dq_summaries.critical_events(con, since)
    window_keys = {event_key(e) for e in events}
    new = [e for e in events if event_key(e) not in already_sent]
    if new:
        lines = [f"- {e['unit_name']} ({e['platform']}): {e['explanation']}" for e in new[:10]]
        notifier.send(
            {
                "kind": "critical_anomalies",
                "summary": f"{len(new)} critical data-quality flags up to {latest.isoformat()}",
                "text": "\n".join(
                    [f"{len(new)} flag kritis data medsos (s.d. {latest.isoformat()}):", *lines]
                ),
                "latest_date": latest.isoformat(),
                "count": len(new),
                "items": new[:MAX_ITEMS],
            }
        )
    return len(new), (already_sent & window_keys) | {event_key(e) for e in new}


def _root_message(error) -> str:
    """The innermost cause's message: Dagster wraps a step's own exception in an execution error."""
    while getattr(error, "cause", None) is not None:
        error = error.cause
    return error.message.strip()


@dg.run_failure_sensor(
    name="run_failure_alert_sensor",
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
    name="critical_anomaly_alert_sensor",
    description="After each publish, sends the critical anomaly flags not sent before.",
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=60,
)
def critical_anomaly_alert_sensor(context: dg.SensorEvaluationContext):
    records = context.instance.fetch_materializations(PUBLISHED, limit=1).records
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


dq_sensors = [run_failure_alert_sensor, critical_anomaly_alert_sensor]

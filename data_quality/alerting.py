"""Critical anomaly alerts: which flags of a published build to send, and sending them once.

`send_critical_anomalies` reads a warehouse file (read-only) and sends the critical flags not sent yet, one per
event (a frozen or silent run counts once, however many days it lasts). The Dagster sensors that call it after
each publish, and the run-failure alert, live in `pipelines/sensors/alerts.py`; a script can call it too.
"""

import datetime as dt
from pathlib import Path

import duckdb

from data_quality import dq_summaries
from data_quality.notify import Notifier

ALERT_WINDOW_DAYS = 14
MAX_ITEMS = 50  # per alert; the rest are counted, and all are in dq_anomalies


def event_key(event: dict) -> str:
    return "|".join(str(event[k]) for k in ("account_id", "anomaly_type", "metric", "event_date"))


def send_critical_anomalies(
    db_path: Path, notifier: Notifier, already_sent: set[str] | None = None
) -> tuple[int, set[str]]:
    """Send the critical flags of the last ALERT_WINDOW_DAYS days not in `already_sent` as one alert.

    Returns (events sent, keys to remember: the sent ones still inside the window).
    """
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

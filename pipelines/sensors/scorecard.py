"""Send the weekly scorecard (e-mail, chat) once per complete ISO week, when recipients are configured.

Watches the materializations of the scorecard asset. The first materialization of the newest week, once it
is complete (every day of it in the warehouse), is sent to MEDSOS_SCORECARD_NOTIFY_URLS through apprise: the
Markdown summary as the message and the national pages (Bahasa Indonesia and English) attached. Later
rebuilds of the same week (a late manual report) and rebuilds of earlier weeks are not sent; the cursor
remembers the weeks sent, and a week whose delivery failed MAX_ATTEMPTS times is given up (the alerts log
says why).
"""

import json
from pathlib import Path

import dagster as dg

from assets.scorecard import SCORECARD_KEY
from data_quality.notify import SCORECARD_URLS_ENV, build_notifier, configured_urls
from pipelines.partitions import weekly_partitions

REMEMBERED_WEEKS = 20
MAX_ATTEMPTS = 5  # per week; each failure is in logs/alerts.jsonl


def deliver(week: str, national_page: Path, preview: str) -> bool:
    """Send one week's scorecard to the configured recipients (log file always)."""
    attachments = [p for p in (national_page, national_page.with_suffix(".en.html")) if p.exists()]
    return build_notifier(SCORECARD_URLS_ENV).send(
        {
            "kind": "weekly_scorecard",
            "title": f"Rapor Mingguan Media Sosial {week}",
            "summary": f"Weekly scorecard {week}",
            "text": preview,
            "week": week,
            "page": str(national_page),
        },
        attachments,
    )


@dg.sensor(
    name="scorecard_delivery_sensor",
    description="Sends each complete week's scorecard once to MEDSOS_SCORECARD_NOTIFY_URLS (e-mail, chat).",
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=60,
)
def scorecard_delivery_sensor(context: dg.SensorEvaluationContext):
    if not configured_urls(SCORECARD_URLS_ENV):
        return dg.SkipReason(f"no recipients: {SCORECARD_URLS_ENV} is not set")
    records = context.instance.fetch_materializations(SCORECARD_KEY, limit=1).records
    if not records:
        return dg.SkipReason("no scorecard built yet")
    materialization = records[0].asset_materialization
    metadata = materialization.metadata
    week = metadata["iso_week"].value
    state = json.loads(context.cursor) if context.cursor else {"sent": [], "failures": {}}
    if materialization.partition != weekly_partitions.get_last_partition_key():
        return dg.SkipReason(f"the newest build is of an earlier week ({week}): rebuilds are not sent")
    if not metadata["is_complete_week"].value:
        return dg.SkipReason(f"{week} is not complete yet")
    if week in state["sent"]:
        return dg.SkipReason(f"{week} was sent already")
    failures = state["failures"].get(week, 0)
    if failures >= MAX_ATTEMPTS:
        return dg.SkipReason(f"gave up sending {week} after {failures} failed attempts")
    if deliver(week, Path(metadata["national_page"].value), metadata["preview"].value):
        state = {"sent": [*state["sent"], week][-REMEMBERED_WEEKS:], "failures": {}}
        outcome = f"sent the scorecard of {week}"
    else:
        state["failures"] = {week: failures + 1}
        outcome = f"delivery of {week} failed (attempt {failures + 1}; see logs/alerts.jsonl)"
    context.update_cursor(json.dumps(state))
    return dg.SkipReason(outcome)

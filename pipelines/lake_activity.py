"""Who is writing the lake: ingestion runs and backfills in flight, and whether any overlapped a build.

A warehouse build reads every lake partition. It is consistent only if no ingestion run wrote the lake while
dbt read it and no ingestion backfill was half done (some platforms' days landed, others' still to come). So:

- `LakeSettled()` (an automation condition) holds while nothing that writes the lake is queued, running or
  part of an unfinished backfill: the warehouse assets start a build only then;
- `ingestion_during(instance, started, finished)` lists what overlapped a build's window: the publish step
  refuses a build when it is not empty (a rebuild follows, since that ingestion updates the raw assets).

"Writes the lake" = plans to materialize one of `asset_keys.INGESTION_KEYS` (API and manual ingestion).
"""

import datetime as dt

import dagster as dg
from dagster._core.execution.backfill import BulkActionsFilter, BulkActionStatus

from pipelines.asset_keys import INGESTION_KEYS, PUBLISHED_KEY
from pipelines.platform_spec import PLATFORMS
from pipelines.settings import get_settings

RUN_IN_FLIGHT = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]
BACKFILL_IN_FLIGHT = [BulkActionStatus.REQUESTED, BulkActionStatus.CANCELING, BulkActionStatus.FAILING]


def plans_ingestion(instance: dg.DagsterInstance, run: dg.DagsterRun) -> bool:
    if run.asset_selection:
        return bool(run.asset_selection & INGESTION_KEYS)
    # A job run launched without an explicit selection (a schedule, a sensor, an in-process materialize): the
    # run's planned materializations, recorded when the run is created, name its assets.
    planned = instance.get_records_for_run(
        run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED, limit=1000
    ).records
    return any(r.event_log_entry.dagster_event.asset_key in INGESTION_KEYS for r in planned)


def later_runs_of_job(instance: dg.DagsterInstance, run: dg.DagsterRun) -> list[str]:
    """Runs of the same job created after `run` and not finished (queued or running)."""
    runs = instance.get_runs(filters=dg.RunsFilter(job_name=run.job_name, statuses=RUN_IN_FLIGHT))
    own = instance.get_run_record_by_id(run.run_id)
    return [
        r.run_id
        for r in runs
        if r.run_id != run.run_id
        and (rec := instance.get_run_record_by_id(r.run_id)) is not None
        and rec.create_timestamp > own.create_timestamp
    ]


def _ingestion_backfills(instance: dg.DagsterInstance, statuses=None) -> list:
    backfills = instance.get_backfills(filters=BulkActionsFilter(statuses=statuses) if statuses else None)
    return [b for b in backfills if b.asset_selection and set(b.asset_selection) & INGESTION_KEYS]


def ingestion_in_flight(instance: dg.DagsterInstance) -> list[str]:
    """What writes (or is about to write) the lake right now, e.g. ["run 1a2b3c4d (daily_ingestion_job)"]."""
    runs = instance.get_runs(filters=dg.RunsFilter(statuses=RUN_IN_FLIGHT))
    busy = [f"run {r.run_id[:8]} ({r.job_name})" for r in runs if plans_ingestion(instance, r)]
    busy += [f"backfill {b.backfill_id}" for b in _ingestion_backfills(instance, BACKFILL_IN_FLIGHT)]
    return busy


def ingestion_during(
    instance: dg.DagsterInstance, started: float, finished: float, own_run_id: str | None = None
) -> list[str]:
    """Ingestion runs that executed, and ingestion backfills that were unfinished, between two timestamps.

    `own_run_id`: a run that took in a file and then built in its own later steps (manual_report_job) does
    not count: its intake finished before its build began."""
    since = dt.datetime.fromtimestamp(started, dt.UTC)
    records = {
        r.dagster_run.run_id: r
        for r in [
            *instance.get_run_records(filters=dg.RunsFilter(updated_after=since)),
            *instance.get_run_records(filters=dg.RunsFilter(statuses=RUN_IN_FLIGHT)),
        ]
    }
    overlapping = [
        f"run {r.dagster_run.run_id[:8]} ({r.dagster_run.job_name})"
        for r in records.values()
        if r.dagster_run.run_id != own_run_id
        and r.start_time is not None
        and r.start_time < finished
        and (r.end_time is None or r.end_time > started)
        and plans_ingestion(instance, r.dagster_run)
    ]
    overlapping += [
        f"backfill {b.backfill_id}"
        for b in _ingestion_backfills(instance)
        if b.backfill_timestamp < finished
        and (
            b.status in BACKFILL_IN_FLIGHT
            or (b.backfill_end_timestamp is not None and b.backfill_end_timestamp > started)
        )
    ]
    return overlapping


_last_look: list = [None, []]  # [evaluation id, what was in flight then]


def lake_is_empty() -> bool:
    lake = get_settings().lake_dir
    tables = [lake / s / "account_daily" for s in (*PLATFORMS, "manual")]
    return not any(any(t.glob("date=*")) or any(t.glob("month=*")) for t in tables)  # day or compacted month


class LakeSettled(dg.AutomationCondition):
    """True while the lake holds data and no ingestion run or backfill is in flight (evaluated on the code
    server: see the automation sensor). An empty lake has nothing to build yet: a fresh `make run` builds once,
    after its backfill, not once before it and again after."""

    @property
    def name(self) -> str:
        return "lake_settled"

    @property
    def description(self) -> str:
        return "The lake holds data and no ingestion run or backfill is queued or running"

    def evaluate(self, context: dg.AutomationContext) -> dg.AutomationResult:
        # One look at the instance per evaluation, however many assets carry the condition.
        evaluation = (context.evaluation_id, context.evaluation_time)
        if _last_look[0] != evaluation:
            busy = (
                ["an empty lake"]
                if lake_is_empty()
                else ingestion_in_flight(context.asset_graph_view.instance)
            )
            _last_look[:] = [evaluation, busy]
        busy = _last_look[1]
        true_subset = context.get_empty_subset() if busy else context.candidate_subset
        return dg.AutomationResult(context=context, true_subset=true_subset)


class PublishRefusedSinceBuilt(dg.AutomationCondition):
    """True for a warehouse asset last built before the newest refused publish (a build that overlapped
    ingestion): rebuild it once the lake settles. Needed because the overlapping ingestion's own update can
    land in the same automation tick as the build it overlapped, and then eager() counts it as handled."""

    @property
    def name(self) -> str:
        return "publish_refused_since_built"

    def evaluate(self, context: dg.AutomationContext) -> dg.AutomationResult:
        instance = context.asset_graph_view.instance
        refused = instance.fetch_observations(PUBLISHED_KEY, limit=1).records
        published = instance.fetch_materializations(PUBLISHED_KEY, limit=1).records
        built = instance.fetch_materializations(context.key, limit=1).records
        refused_id = refused[0].storage_id if refused else -1
        stale = refused_id > max(
            published[0].storage_id if published else -1, built[0].storage_id if built else -1
        )
        return dg.AutomationResult(
            context=context, true_subset=context.candidate_subset if stale else context.get_empty_subset()
        )

"""A multi-platform backfill under declarative automation never exposes a half-updated warehouse.

The backfill is recorded in the instance the way the UI launches one (a `PartitionBackfill` over the five
platforms' assets and two days); its runs are real Dagster runs tagged with the backfill, executed platform by
platform as the daemon would launch them. Halfway (Instagram and Facebook landed, the others not yet):
automation requests no warehouse asset, and a build forced anyway is not published and raises no alert. Once
the backfill is done, automation requests the build and the published warehouse has all five platforms for
both days.
"""

import datetime as dt
import time
import uuid

import dagster as dg
import duckdb
import pytest
from dagster._core.execution.backfill import BulkActionStatus, PartitionBackfill
from warehouse_runs import run_warehouse_checks

from assets.platforms import platform_assets
from assets.publish import published_warehouse
from assets.warehouse import warehouse_dbt_assets
from pipelines.asset_keys import PUBLISHED_KEY, account_daily_key, fetch_log_key
from pipelines.lake_activity import ingestion_during, ingestion_in_flight
from pipelines.platform_spec import PLATFORMS
from pipelines.resources import PlatformApiResource, build_resources
from pipelines.sensors.alerts import critical_anomaly_alert_sensor
from pipelines.settings import get_settings

FIRST_WAVE = ("instagram", "facebook")


def requested_keys(tick) -> set[str]:
    """Every asset the automation tick would launch."""
    from pipelines.definitions import defs

    keys = defs.resolve_asset_graph().get_all_asset_keys()
    return {k.to_user_string() for k in keys if tick.get_num_requested(k)}


@pytest.fixture
def resources(quiet_sandbox):
    return {
        **build_resources(),
        "platform_api": PlatformApiResource(sandbox_url=quiet_sandbox.url, backoff_base_s=0.01),
    }


def start_backfill(instance, defs, days: list[str]) -> str:
    backfill_id = uuid.uuid4().hex[:8]
    keys = [k for p in PLATFORMS for k in (account_daily_key(p), fetch_log_key(p))]
    backfill = PartitionBackfill.from_asset_partitions(
        backfill_id=backfill_id,
        asset_graph=defs.resolve_asset_graph(),
        partition_names=days,
        asset_selection=keys,
        backfill_timestamp=time.time(),
        tags={},
        dynamic_partitions_store=instance,
        all_partitions=False,
        title="test backfill",
        description=None,
        run_config=None,
    )
    instance.add_backfill(backfill)
    return backfill_id


def backfill_run(instance, resources, platforms, days, backfill_id):
    """One run of the backfill, as the daemon launches it: the platforms' assets over the whole range."""
    selected = [a for a in platform_assets if a.op.name.removeprefix("ingest_") in platforms]
    return dg.materialize(
        selected,
        resources=resources,
        instance=instance,
        tags={
            "dagster/backfill": backfill_id,
            "dagster/asset_partition_range_start": days[0],
            "dagster/asset_partition_range_end": days[-1],
        },
    )


def platforms_per_day() -> dict[str, set[str]]:
    with duckdb.connect(str(get_settings().serving_db_path), read_only=True) as con:
        rows = con.execute(
            "select metric_date, platform from marts.fct_account_daily group by all"
        ).fetchall()
    found: dict[str, set[str]] = {}
    for day, platform in rows:
        found.setdefault(day.isoformat(), set()).add(platform)
    return found


def test_a_backfill_under_automation_publishes_only_whole_builds(quiet_sandbox, resources, report_day):
    from pipelines.definitions import defs

    days = [(report_day - dt.timedelta(days=1)).isoformat(), report_day.isoformat()]
    settings = get_settings()
    with dg.instance_for_test() as instance:
        tick = dg.evaluate_automation_conditions(defs=defs, instance=instance)
        backfill_id = start_backfill(instance, defs, days)
        assert ingestion_in_flight(instance) == [f"backfill {backfill_id}"]

        # Halfway: two platforms' days have landed, three are still to come.
        assert backfill_run(instance, resources, FIRST_WAVE, days, backfill_id).success
        tick = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=tick.cursor)
        assert not {k for k in requested_keys(tick) if k.startswith("warehouse/")}, requested_keys(tick)

        # A build started anyway (by hand, or a race) is built but not published, and alerts nothing.
        forced = dg.materialize(
            [warehouse_dbt_assets, published_warehouse], resources=resources, instance=instance
        )
        assert forced.success
        assert not forced.asset_materializations_for_node("published_warehouse")
        (observation,) = [
            e.event_specific_data.asset_observation
            for e in forced.all_events
            if e.event_type == dg.DagsterEventType.ASSET_OBSERVATION
        ]
        assert f"backfill {backfill_id}" in observation.metadata["not_published"].value
        assert not settings.serving_db_path.exists()
        skipped = critical_anomaly_alert_sensor(dg.build_sensor_context(instance=instance))
        assert "not been published" in skipped.skip_message
        assert not (settings.data_dir / "logs" / "alerts.jsonl").exists()

        # The rest of the backfill lands (the forced build and these updates fall into one automation tick, so
        # eager() counts them as handled: the refused publish must trigger the rebuild) and the daemon marks
        # the backfill done.
        rest = [p for p in PLATFORMS if p not in FIRST_WAVE]
        assert backfill_run(instance, resources, rest, days, backfill_id).success
        tick = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=tick.cursor)
        assert not {k for k in requested_keys(tick) if k.startswith("warehouse/")}, requested_keys(tick)
        backfill = instance.get_backfill(backfill_id)
        instance.update_backfill(
            backfill.with_status(BulkActionStatus.COMPLETED_SUCCESS).with_end_timestamp(time.time())
        )
        assert ingestion_in_flight(instance) == []

        # Now automation builds, the checks pass, and the whole build is published.
        tick = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=tick.cursor)
        assert "warehouse/fct_account_daily" in requested_keys(tick)
        assert dg.materialize([warehouse_dbt_assets], resources=resources, instance=instance).success
        assert run_warehouse_checks(resources, instance)
        tick = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=tick.cursor)
        assert "warehouse/published" in requested_keys(tick)
        assert dg.materialize([published_warehouse], resources=resources, instance=instance).success
        assert instance.fetch_materializations(PUBLISHED_KEY, limit=1).records
        assert platforms_per_day() == {day: set(PLATFORMS) for day in days}


def test_an_ingestion_run_overlapping_a_build_window_is_found(quiet_sandbox, resources, report_day):
    with dg.instance_for_test() as instance:
        result = dg.materialize(
            platform_assets[:1], partition_key=report_day.isoformat(), resources=resources, instance=instance
        )
        record = instance.get_run_record_by_id(result.run_id)
        started, ended = record.start_time, record.end_time
        job = result.dagster_run.job_name
        assert ingestion_during(instance, started - 60, started + 0.001) == [
            f"run {result.run_id[:8]} ({job})"
        ]
        assert ingestion_during(instance, ended + 0.001, ended + 60) == []  # a build after it: consistent
        assert ingestion_during(instance, started - 120, started - 60) == []  # a build before it: consistent
        assert ingestion_in_flight(instance) == []

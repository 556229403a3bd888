"""The Dagster instance on PostgreSQL (pipelines/dagster_postgres.yaml): a real run stored in PostgreSQL, the run
queue's limits loaded, and the warehouse pool limited to one writer by the PostgreSQL event log."""

import contextlib
import shutil
import uuid

import dagster as dg

from pipelines.jobs import lake_compaction_job
from pipelines.settings import PROJECT_ROOT

WAREHOUSE_POOL = "duckdb_warehouse"


def test_dagster_runs_on_postgres_with_the_queue_limits(pg_cluster, data_dir, tmp_path, monkeypatch):
    url = pg_cluster.create_database(f"dagster_{uuid.uuid4().hex[:8]}")
    home = tmp_path / "dagster_home_pg"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / "pipelines" / "dagster_postgres.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("MEDSOS_DAGSTER_PG_URL", url)

    with dg.DagsterInstance.get() as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
        result = lake_compaction_job.execute_in_process(instance=instance)
        assert result.success
        with contextlib.closing(pg_cluster.connect(url.rsplit("/", 1)[1])) as con, con.cursor() as cur:
            cur.execute("select status from runs where run_id = %s", (result.run_id,))
            assert cur.fetchone() == ("SUCCESS",)
        assert instance.get_run_by_id(result.run_id).status == dg.DagsterRunStatus.SUCCESS

        # The run queue and its limits come from the yaml.
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
        runs = instance.get_concurrency_config().run_queue_config
        assert runs.max_concurrent_runs == 6
        limits = {(t["key"], t.get("value")): t["limit"] for t in runs.tag_concurrency_limits}
        assert limits == {("medsos/maintenance", None): 1, ("medsos/source", "manual"): 2}

        # The warehouse pool: one writer at a time, enforced by slots in the PostgreSQL event log.
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 1
        storage = instance.event_log_storage
        storage.set_concurrency_slots(WAREHOUSE_POOL, 1)
        first = storage.claim_concurrency_slot(WAREHOUSE_POOL, "run-a", "dbt_build")
        second = storage.claim_concurrency_slot(WAREHOUSE_POOL, "run-b", "dbt_build")
        assert first.is_claimed and not second.is_claimed
        storage.free_concurrency_slots_for_run("run-a")
        assert storage.claim_concurrency_slot(WAREHOUSE_POOL, "run-b", "dbt_build").is_claimed

"""The instance storage of pipelines/dagster.yaml: Dagster's local SQLite files, with the faster event log."""

import shutil
import sqlite3
from pathlib import Path

import dagster as dg

from pipelines.sqlite_storage import FastSqliteEventLogStorage, LocalSqliteStorage

PROJECT_YAML = Path(__file__).resolve().parents[2] / "pipelines" / "dagster.yaml"


@dg.asset
def counted() -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"rows": 3})


@dg.asset_check(asset=counted)
def counted_is_positive() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


def test_the_project_instance_uses_it_and_runs_read_back_their_events(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    config = PROJECT_YAML.read_text(encoding="utf-8")
    # The run launcher (a forkserver) is not what is tested here.
    config = config.split("run_launcher:")[0] + "storage:" + config.split("\nstorage:")[1]
    (home / "dagster.yaml").write_text(config, encoding="utf-8")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    with dg.DagsterInstance.get() as instance:
        assert isinstance(instance.event_log_storage, FastSqliteEventLogStorage)
        for _ in range(3):
            result = dg.materialize([counted, counted_is_positive], instance=instance)
            assert result.success
        # Everything a run reported is read back, by run and by asset, as with Dagster's own storage.
        logs = instance.all_logs(result.run_id)
        assert any(
            e.dagster_event and e.dagster_event.event_type_value == "ASSET_MATERIALIZATION" for e in logs
        )
        latest = instance.get_latest_materialization_event(dg.AssetKey("counted"))
        assert latest.run_id == result.run_id
        assert latest.asset_materialization.metadata["rows"].value == 3
        records = instance.fetch_materializations(dg.AssetKey("counted"), limit=10).records
        assert len(records) == 3
        check = instance.event_log_storage.get_latest_asset_check_execution_by_key(
            [counted_is_positive.check_key]
        )[counted_is_positive.check_key]
        assert check.run_id == result.run_id
        # A run worker rebuilds the same storage from the instance reference.
        assert instance.get_ref().storage_data.class_name == "LocalSqliteStorage"
    # The files are Dagster's usual layout, in WAL mode (what makes synchronous=NORMAL safe).
    index = home / "history" / "runs" / "index.db"
    assert index.exists() and (home / "history" / "runs.db").exists()
    with sqlite3.connect(index) as con:
        assert con.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_a_long_lived_reader_keeps_only_the_latest_engines(tmp_path, monkeypatch):
    monkeypatch.setattr("pipelines.sqlite_storage.KEPT_ENGINES", 3)
    storage = LocalSqliteStorage(str(tmp_path / "home"))
    event_log = storage.event_log_storage
    for n in range(6):
        with event_log.run_connection(f"run{n}") as conn:
            conn.exec_driver_sql("select 1")
    assert list(event_log._engines) == ["run3", "run4", "run5"]
    storage.dispose()
    assert not event_log._engines
    shutil.rmtree(tmp_path / "home")  # nothing holds the files open any more

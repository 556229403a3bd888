"""The embedded Dagster instance's SQLite storage, with an event log that writes an event in about a millisecond.

Dagster's SQLite event log creates a new SQLAlchemy engine for every statement it runs (engine set-up and
SQLite's first-connection work each time) and commits with SQLite's default `synchronous=FULL`, an fsync of the
write-ahead log per event. A warehouse build reports ~640 events (a materialization per model, a result per
dbt test): measured on this 2-core machine under load, 87 ms each, 56 s of a manual report's run — longer than
dbt itself. Here the engine of each database (the index and one per run) is kept, and connections use
`synchronous=NORMAL`, which in WAL mode (Dagster sets it) fsyncs at checkpoints instead of every commit: the
database stays consistent after any crash; a power cut may lose the last events' writes, never corrupt.

Configured as the instance's `storage` in pipelines/dagster.yaml (the PostgreSQL instance of
docs/operators/scale-out.md does not use it). Runs and schedules are Dagster's own SQLite storages.
"""

import os
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import dagster as dg
import yaml
from dagster._config import StringSource
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._core.storage.sqlite_storage import (
    DagsterSqliteStorage,
    _event_logs_directory,
    _runs_directory,
    _schedule_directory,
)
from dagster._serdes import ConfigurableClassData
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.pool import QueuePool

# A long-lived process (webserver, daemon) reads many runs' databases: keep the engines of the latest few.
KEPT_ENGINES = 32


def _relaxed_sync(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class FastSqliteEventLogStorage(SqliteEventLogStorage):
    """SqliteEventLogStorage that keeps one engine per database and skips the fsync of every commit."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._engines: OrderedDict[str, Any] = OrderedDict()
        super().__init__(base_dir, inst_data)

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData | None, config_value: Mapping[str, Any]):
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str):
        engine = self._engines.get(shard)
        if engine is None:
            engine = create_engine(
                self.conn_string_for_shard(shard),
                poolclass=QueuePool,
                pool_size=1,
                max_overflow=2,
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            )
            event.listen(engine, "connect", _relaxed_sync)
            self._engines[shard] = engine
            while len(self._engines) > KEPT_ENGINES:
                self._engines.popitem(last=False)[1].dispose()
        else:
            self._engines.move_to_end(shard)
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def dispose(self) -> None:
        with self._db_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()
        super().dispose()


class LocalSqliteStorage(DagsterSqliteStorage):
    """Dagster's default local storage (same files under $DAGSTER_HOME) with the faster event log."""

    def __init__(self, base_dir: str | None = None, inst_data: ConfigurableClassData | None = None):
        base_dir = base_dir or os.environ["DAGSTER_HOME"]
        os.makedirs(base_dir, exist_ok=True)
        super().__init__(base_dir, inst_data)
        self._event_log_storage.dispose()
        self._event_log_storage = FastSqliteEventLogStorage(_event_logs_directory(base_dir))

    @classmethod
    def config_type(cls) -> dict:
        return {"base_dir": dg.Field(StringSource, is_required=False)}

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData, config_value: Mapping[str, Any]):
        return cls(inst_data=inst_data, **config_value)

    # Dagster's own versions of these name the run and event directories the wrong way round.
    @property
    def event_storage_data(self) -> ConfigurableClassData:
        config = yaml.dump({"base_dir": _event_logs_directory(self.base_dir)}, default_flow_style=False)
        return ConfigurableClassData(__name__, FastSqliteEventLogStorage.__name__, config)

    @property
    def run_storage_data(self) -> ConfigurableClassData:
        config = yaml.dump({"base_dir": _runs_directory(self.base_dir)}, default_flow_style=False)
        return ConfigurableClassData("dagster._core.storage.runs", "SqliteRunStorage", config)

    @property
    def schedule_storage_data(self) -> ConfigurableClassData:
        config = yaml.dump({"base_dir": _schedule_directory(self.base_dir)}, default_flow_style=False)
        return ConfigurableClassData("dagster._core.storage.schedules", "SqliteScheduleStorage", config)

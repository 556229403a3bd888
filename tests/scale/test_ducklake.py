"""The warehouse on DuckLake with its catalog in PostgreSQL: two writer processes append concurrently while a
reader process only ever sees whole commits; publishing a build swaps every table in one snapshot."""

import multiprocessing
import time
import uuid

import duckdb

from pipelines.scaleout.ducklake import commit_with_retry, connect, publish_to_ducklake

BATCHES, ROWS = 8, 250


def writer(catalog: str, data: str, writer_id: int, attempts) -> None:
    con = connect(catalog, data)
    for batch in range(BATCHES):
        sql = f"insert into raw_events select {writer_id}, {batch}, range from range({ROWS})"
        attempts.append(commit_with_retry(con, [sql]))
    con.close()


def reader(catalog: str, data: str, stop, seen, problems) -> None:
    con = connect(catalog, data, read_only=True)
    last = 0
    while not stop.is_set():
        rows, batches = con.execute(
            "select count(*), count(distinct (writer_id, batch)) from raw_events"
        ).fetchone()
        if rows != batches * ROWS or rows < last:
            problems.append((rows, batches, last))
        last = rows
        seen.append(rows)
        time.sleep(0.02)
    con.close()


def test_two_writers_and_a_reader_work_concurrently(pg_cluster, tmp_path):
    catalog = pg_cluster.ducklake_catalog(pg_cluster_db(pg_cluster))
    data = str(tmp_path / "ducklake") + "/"
    with connect(catalog, data) as con:
        con.execute("create table raw_events (writer_id integer, batch integer, i bigint)")
    spawn = multiprocessing.get_context("spawn")
    with spawn.Manager() as manager:
        attempts, seen, problems, stop = manager.list(), manager.list(), manager.list(), manager.Event()
        watcher = spawn.Process(target=reader, args=(catalog, data, stop, seen, problems))
        watcher.start()
        writers = [spawn.Process(target=writer, args=(catalog, data, w, attempts)) for w in (1, 2)]
        for p in writers:
            p.start()
        for p in writers:
            p.join(timeout=600)
        deadline = time.monotonic() + 60
        while len(seen) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        stop.set()
        watcher.join(timeout=120)
        assert all(p.exitcode == 0 for p in writers) and watcher.exitcode == 0
        assert len(attempts) == 2 * BATCHES
        assert not list(problems), list(problems)[:5]
        assert len(seen) >= 3
    with connect(catalog, data, read_only=True) as con:
        total, per_writer = con.execute(
            "select count(*), list(distinct writer_id order by writer_id) from raw_events"
        ).fetchone()
    assert total == 2 * BATCHES * ROWS and per_writer == [1, 2]


def pg_cluster_db(cluster) -> str:
    name = f"ducklake_{uuid.uuid4().hex[:8]}"
    cluster.create_database(name)
    return name


def test_publish_swaps_every_table_in_one_snapshot(pg_cluster, tmp_path):
    catalog = pg_cluster.ducklake_catalog(pg_cluster_db(pg_cluster))
    data = str(tmp_path / "ducklake") + "/"
    build = tmp_path / "build.duckdb"

    def build_version(n: int) -> None:
        with duckdb.connect(str(build)) as con:
            for schema in ("marts", "reports", "staging"):
                con.execute(f"create schema if not exists {schema}")
            con.execute(
                f"create or replace table marts.fct as select {n} as version, range as i from range({n})"
            )
            con.execute(f"create or replace table reports.rpt as select {n} as version")
            con.execute("create or replace table staging.stg as select 1 as x")

    build_version(10)
    assert publish_to_ducklake(build, catalog, data) == {"marts.fct": 10, "reports.rpt": 1}
    build_version(20)
    with connect(catalog, data, read_only=True) as reader:
        reader.execute("begin transaction")  # the snapshot is taken at the transaction's first read
        assert reader.execute("select count(*) from marts.fct").fetchone() == (10,)
        publish_to_ducklake(build, catalog, data)
        assert reader.execute("select count(*) from marts.fct").fetchone() == (10,)
        assert reader.execute("select version from reports.rpt").fetchone() == (10,)
        reader.execute("commit")
        assert reader.execute("select count(*), max(version) from marts.fct").fetchone() == (20, 20)
        assert reader.execute("select version from reports.rpt").fetchone() == (20,)
        tables = reader.execute(
            "select table_schema from information_schema.tables where table_catalog = 'lakehouse'"
        )
        assert "staging" not in {row[0] for row in tables.fetchall()}

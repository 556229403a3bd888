"""Publishing: atomic swap, readers never locked out, never a half-built warehouse."""

import subprocess
import sys
import textwrap

import duckdb
import pytest

from pipelines.settings import get_settings
from pipelines.warehouse import connect_published, publish

READER = textwrap.dedent(
    """
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    print(con.execute("select version_label from build_info").fetchone()[0], flush=True)
    sys.stdin.readline()  # hold the file open until told to read again
    print(con.execute("select version_label from build_info").fetchone()[0], flush=True)
    """
)


def write_build(path, label: str, rows: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("create or replace table build_info as select ? as version_label", [label])
        con.execute(f"create or replace table facts as select range as id from range({rows})")


def replace_tables_like_dbt(path, times: int) -> None:
    """One dbt run: each model is built under a temporary name, swapped in, and the old table dropped."""
    with duckdb.connect(str(path)) as con:
        for _ in range(times):
            con.execute("create table facts__dbt_tmp as select id, md5(id::varchar) as digest from facts")
            con.execute("drop table facts")
            con.execute("alter table facts__dbt_tmp rename to facts")
        con.execute("comment on table facts is 'one row per id'")  # what dbt's persist_docs writes


def test_publish_requires_a_build(data_dir):
    with pytest.raises(FileNotFoundError, match="no build database"):
        publish(get_settings())


def test_reader_keeps_its_snapshot_while_a_new_build_is_published(data_dir):
    settings = get_settings()
    write_build(settings.build_db_path, "v1", 10)
    first = publish(settings)
    assert first.tables == 2 and settings.serving_db_path.exists()

    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(settings.serving_db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "v1"
        # A second build publishes while the reader holds the serving file open.
        write_build(settings.build_db_path, "v2", 20)
        publish(settings)
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "v1"  # its snapshot, not a mix
    finally:
        reader.stdin.close()
        assert reader.wait(timeout=30) == 0

    # New readers see the new build.
    with duckdb.connect(str(settings.serving_db_path), read_only=True) as con:
        assert con.execute("select version_label from build_info").fetchone()[0] == "v2"
        assert con.execute("select count(*) from facts").fetchone()[0] == 20
    leftovers = [p.name for p in settings.warehouse_dir.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_publish_succeeds_while_many_readers_hold_the_file(data_dir):
    settings = get_settings()
    write_build(settings.build_db_path, "v1", 5)
    publish(settings)
    readers = [duckdb.connect(str(settings.serving_db_path), read_only=True) for _ in range(3)]
    try:
        write_build(settings.build_db_path, "v2", 6)
        publish(settings)
    finally:
        for con in readers:
            con.close()
    with duckdb.connect(str(settings.serving_db_path), read_only=True) as con:
        assert con.execute("select count(*) from facts").fetchone()[0] == 6


def test_publish_writes_a_compact_file_and_compacts_the_build(data_dir):
    """dbt replaces its tables on every build; DuckDB keeps the freed blocks in the file. A byte copy would
    carry them into the serving file and the build would grow run after run: publish copies the data."""
    settings = get_settings()
    write_build(settings.build_db_path, "v5", 1_000_000)
    replace_tables_like_dbt(settings.build_db_path, times=4)
    grown = settings.build_db_path.stat().st_size
    first = publish(settings)
    assert first.build_bytes_before == grown
    assert first.bytes < grown / 2, (first.bytes, grown)
    assert settings.build_db_path.stat().st_size == first.bytes  # the build is the compact copy too
    with duckdb.connect(str(settings.serving_db_path), read_only=True) as con:
        assert con.execute("select version_label from build_info").fetchone()[0] == "v5"
        assert con.execute("select count(*), sum(id) from facts").fetchone() == (1_000_000, 499_999_500_000)
        assert con.execute("select comment from duckdb_tables() where table_name = 'facts'").fetchone() == (
            "one row per id",
        )
    # Build after build, neither file grows beyond the data.
    for _ in range(2):
        replace_tables_like_dbt(settings.build_db_path, times=4)
        again = publish(settings)
    assert again.bytes <= first.bytes * 1.1 and settings.build_db_path.stat().st_size == again.bytes
    leftovers = [p.name for p in settings.warehouse_dir.iterdir() if p.name.endswith((".tmp", ".wal"))]
    assert leftovers == []


def test_a_small_update_is_copied_as_it_is_and_a_hollow_build_is_compacted(data_dir):
    """A manual report's publish (compact_when_free_above): a file copy while few blocks are free, the compact
    copy once the build has become hollow; either way the served data is the build's."""
    settings = get_settings()
    write_build(settings.build_db_path, "v1", 1_000_000)
    publish(settings)
    with duckdb.connect(str(settings.build_db_path)) as con:  # a small change, as one report makes
        con.execute("update build_info set version_label = 'v2'")
    small = publish(settings, compact_when_free_above=0.3)
    assert not small.compacted
    assert settings.serving_db_path.stat().st_size == settings.build_db_path.stat().st_size  # a byte copy
    replace_tables_like_dbt(settings.build_db_path, times=4)  # most blocks now free
    hollow = publish(settings, compact_when_free_above=0.3)
    assert hollow.compacted and hollow.bytes < hollow.build_bytes_before / 2
    assert settings.build_db_path.stat().st_size == hollow.bytes
    with duckdb.connect(str(settings.serving_db_path), read_only=True) as con:
        assert con.execute("select version_label from build_info").fetchone()[0] == "v2"
        assert con.execute("select count(*) from facts").fetchone()[0] == 1_000_000


def test_a_long_lived_process_sees_a_new_publish_on_reconnect(data_dir):
    """A notebook or a pooled BI engine keeps a connection open; after a publish it must be able to reconnect
    to the new build. DuckDB reuses the database instance a process already has for a path, so a plain second
    `duckdb.connect(path)` still reads the old build; `connect_published()` reads the new one."""
    settings = get_settings()
    write_build(settings.build_db_path, "v1", 10)
    publish(settings)
    held = connect_published()  # e.g. the notebook's first connection, never closed
    plain_held = duckdb.connect(str(settings.serving_db_path), read_only=True)
    try:
        write_build(settings.build_db_path, "v2", 20)
        publish(settings)
        fresh = connect_published()
        assert fresh.execute("select version_label from build_info").fetchone()[0] == "v2"
        assert fresh.execute("select count(*) from facts").fetchone()[0] == 20
        assert held.execute("select version_label from build_info").fetchone()[0] == "v1"  # its snapshot
        fresh.close()
        # Why the helper exists: while the process holds the old file, a plain reconnect shares its instance.
        with duckdb.connect(str(settings.serving_db_path), read_only=True) as plain:
            assert plain.execute("select version_label from build_info").fetchone()[0] == "v1"
    finally:
        held.close()
        plain_held.close()

"""Publishing: atomic swap, readers never locked out, never a half-built warehouse."""

import subprocess
import sys
import textwrap

import duckdb
import pytest

from pipelines.settings import get_settings
from pipelines.warehouse import publish

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

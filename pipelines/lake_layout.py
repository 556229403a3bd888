"""The lake's two layouts, day partitions and compacted months, and the rules that keep reads exact across them.

Layout contract (readers and writers of `<lake>/<source>/<entity>/`):
- day partition: `date=YYYY-MM-DD/data.parquet`; manual reports: `date=YYYY-MM-DD/unit_code=<code>/data.parquet`;
- compacted month: `month=YYYY-MM/data.parquet`, every row of that month's day partitions (sorted by day).
- A month is compacted iff its month file exists. The month file is then the truth for every day of the month;
  day files of that month still on disk are leftovers awaiting garbage collection, and readers ignore them.
  Otherwise the month's day files are the truth.
- A month file appears and is replaced only by an atomic rename, and is never removed. Leftover day files are
  deleted only a grace period after their month file was last written, so a reader that listed them before the
  month was compacted can still open them.
- Readers list the month files FIRST, then read day files of the months not in that list (dbt: the
  `lake_source` macro; Python: `read_day_partition`). So a reader sees a month either whole from its month file
  or whole from its day files: never both (no double counting), never neither.
- Writers write a day (or unit-day) through `write_day_partition`: into its day file while the month is open,
  or by rewriting the month file with exactly that day's (unit-day's) rows replaced once it is compacted. Every
  write and compaction of one month holds the month's lock (`<lake>/.locks/<source>/<entity>/month=….lock`,
  fcntl, outside the table folders): a local or POSIX-locking shared file system; on object storage use the
  DuckLake path (docs/operators/scale-out.md).
"""

import contextlib
import datetime as dt
import fcntl
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

PARTITION_FILE = "data.parquet"
SORT_KEYS = ("metric_date", "unit_code", "account_id")
_DAY = re.compile(r"date=(\d{4}-\d{2}-\d{2})")


def atomic_write(table: pa.Table, path: Path, *, durable: bool = True) -> Path:
    """Write `table` to `path` atomically (temp file in the same folder, fsync unless not durable, rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")  # not matched by *.parquet globs
    try:
        pq.write_table(table, tmp, compression="zstd")
        if durable:
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


@dataclass(frozen=True)
class DayPartition:
    entity_dir: Path  # <lake>/<source>/<entity>
    day: dt.date
    unit_code: str | None = None  # manual unit-day files

    @property
    def month(self) -> str:
        return self.day.strftime("%Y-%m")

    @property
    def month_file(self) -> Path:
        return month_file(self.entity_dir, self.month)

    @classmethod
    def parse(cls, path: Path) -> "DayPartition | None":
        """The day partition a path names, or None for any other file."""
        path = Path(path)
        if path.name != PARTITION_FILE:
            return None
        folder, unit = path.parent, None
        if folder.name.startswith("unit_code="):
            unit, folder = folder.name.split("=", 1)[1], folder.parent
        match = _DAY.fullmatch(folder.name)
        return cls(folder.parent, dt.date.fromisoformat(match.group(1)), unit) if match else None


def month_file(entity_dir: Path, month: str) -> Path:
    return Path(entity_dir) / f"month={month}" / PARTITION_FILE


@contextlib.contextmanager
def month_lock(entity_dir: Path, month: str):
    """Serialise writes and compaction of one month of one lake table (across processes)."""
    entity_dir = Path(entity_dir)  # <lake>/<source>/<entity>; locks live outside every table
    lock_dir = entity_dir.parent.parent / ".locks" / entity_dir.parent.name / entity_dir.name
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / f"month={month}.lock", "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _in_partition(table: pa.Table, part: DayPartition) -> pa.ChunkedArray:
    mask = pc.equal(table["metric_date"], pa.scalar(part.day, pa.date32()))
    if part.unit_code is not None:
        mask = pc.and_(mask, pc.equal(table["unit_code"], part.unit_code))
    return pc.fill_null(mask, False)


def sort_rows(table: pa.Table) -> pa.Table:
    keys = [(k, "ascending") for k in SORT_KEYS if k in table.column_names]
    return table.sort_by(keys) if keys else table


def write_day_partition(table: pa.Table, path: Path, *, durable: bool = True) -> Path:
    """Write one day (or unit-day) partition, honouring the layout; other paths are written atomically as is.

    Returns the file that now holds the rows: the day file, or the month file of a compacted month."""
    part = DayPartition.parse(path)
    if part is None:
        return atomic_write(table, path, durable=durable)
    with month_lock(part.entity_dir, part.month):
        if not part.month_file.exists():
            return atomic_write(table, path, durable=durable)
        if not pc.all(_in_partition(table, part)).as_py() and table.num_rows:
            raise ValueError(f"rows outside {part.day} / {part.unit_code or 'all units'} cannot go to {path}")
        month = pq.read_table(part.month_file)
        kept = month.filter(pc.invert(_in_partition(month, part)))
        merged = pa.concat_tables([kept, table], promote_options="permissive")
        return atomic_write(sort_rows(merged), part.month_file, durable=durable)


def read_day_partition(path: Path, columns: list[str] | None = None, schema: pa.Schema | None = None):
    """The rows of one day (or unit-day) partition in whichever layout holds it; None if there are none.

    The month file is looked up first (see the contract above): a day file of a compacted month is ignored."""
    part = DayPartition.parse(path)
    if part is not None and part.month_file.exists():
        filters = [("metric_date", "=", part.day)]
        if part.unit_code is not None:
            filters.append(("unit_code", "=", part.unit_code))
        table = pq.read_table(part.month_file, filters=filters, schema=schema)
        return table.select(columns) if columns else table
    try:
        return pq.read_table(path, columns=columns, schema=schema)
    except FileNotFoundError:
        return None


def day_partition_exists(path: Path) -> bool:
    """Whether a day (or unit-day) partition has been written, in either layout."""
    part = DayPartition.parse(path)
    if part is None or not part.month_file.exists():
        return Path(path).exists()
    table = read_day_partition(path, columns=["metric_date"])
    return table is not None and table.num_rows > 0


def read_table_rows(entity_dir: Path) -> pa.Table:
    """Every row of one lake table (`<lake>/<source>/<entity>`), following the contract: month files listed
    first and read whole, then the day files of the months not in that list. For Python readers of a table."""
    entity_dir = Path(entity_dir)
    month_files = sorted(entity_dir.glob(f"month=*/{PARTITION_FILE}"))
    compacted = {p.parent.name.split("=", 1)[1] for p in month_files}
    day_files = [
        p
        for p in sorted(entity_dir.glob(f"date=*/**/{PARTITION_FILE}"))
        if (part := DayPartition.parse(p)) is not None and part.month not in compacted
    ]
    tables = [pq.read_table(p) for p in month_files + day_files]
    return pa.concat_tables(tables, promote_options="permissive") if tables else pa.table({})

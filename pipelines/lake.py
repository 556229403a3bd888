"""The raw Parquet lake: layout, schemas and atomic partition writes.

Layout (hive style): `<lake>/<source>/<entity>/date=YYYY-MM-DD/data.parquet`.
A partition is one file, written under a temporary name in the same folder and renamed into place, so a
reader sees either the old partition or the new one, never half of one, and a rerun replaces (never appends).
Settled months are compacted into `<lake>/<source>/<entity>/month=YYYY-MM/data.parquet`: read and write day
partitions through read_partition/write_partition, which follow the layout contract in pipelines.lake_layout.
"""

import datetime as dt
from pathlib import Path

import pyarrow as pa

from pipelines.lake_layout import (
    PARTITION_FILE,
    day_partition_exists,
    read_day_partition,
    write_day_partition,
)
from pipelines.platform_spec import CONFORMED_METRICS, SPECS, Field
from pipelines.platform_spec.posts import POST_METRICS

# Ingestion metadata carried by every raw row.
INGESTION_FIELDS = [
    pa.field("account_id", pa.string(), nullable=False),
    pa.field("platform_user_id", pa.string(), nullable=False),
    pa.field("unit_code", pa.string(), nullable=False),
    pa.field("metric_date", pa.date32(), nullable=False),  # reporting day, Asia/Jakarta
    pa.field("fetched_at", pa.timestamp("us", tz="UTC"), nullable=False),
    pa.field("run_id", pa.string(), nullable=False),
    pa.field("source", pa.string(), nullable=False),  # "sandbox" | "api" | "manual"
]


def _metrics(*names: str) -> list[pa.Field]:
    return [pa.field(n, pa.int64()) for n in names]


def _field(f: Field) -> pa.Field:
    return pa.field(f.name, pa.bool_() if f.is_flag else pa.int64())


# Platform-native account-day fields, as the APIs name them (flattened), in specification order.
# Staging conforms them (dbt macro platform_account_days()).
ACCOUNT_DAILY_FIELDS: dict[str, list[pa.Field]] = {
    name: [_field(f) for f in s.fields] for name, s in SPECS.items()
}

FETCH_LOG_FIELDS = [
    pa.field("account_id", pa.string(), nullable=False),
    pa.field("platform", pa.string(), nullable=False),
    pa.field("unit_code", pa.string(), nullable=False),
    pa.field("metric_date", pa.date32(), nullable=False),
    pa.field("status", pa.string(), nullable=False),  # one of pipelines.clients.types.STATUSES
    pa.field("error_code", pa.string()),
    pa.field("error_message", pa.string()),
    pa.field("http_status", pa.int32()),
    pa.field("attempts", pa.int32(), nullable=False),
    pa.field("fetched_at", pa.timestamp("us", tz="UTC"), nullable=False),
    pa.field("run_id", pa.string(), nullable=False),
    # When a rate-limited (or quota-stopped) account may be fetched again, as the platform said; else null.
    # Fetch logs written before the column existed lack it: read them with this schema (nulls fill in).
    pa.field("retry_at", pa.timestamp("us", tz="UTC")),
]


def account_daily_schema(platform: str) -> pa.Schema:
    return pa.schema(INGESTION_FIELDS + ACCOUNT_DAILY_FIELDS[platform])


FETCH_LOG_SCHEMA = pa.schema(FETCH_LOG_FIELDS)


def partition_dir(lake_dir: Path, source: str, entity: str, day: dt.date) -> Path:
    return Path(lake_dir) / source / entity / f"date={day.isoformat()}"


def partition_path(lake_dir: Path, source: str, entity: str, day: dt.date) -> Path:
    return partition_dir(lake_dir, source, entity, day) / PARTITION_FILE


def write_partition(table: pa.Table, path: Path, *, durable: bool = True) -> Path:
    """Write `table` to `path` atomically (temp file in the same folder, fsync, rename); a rerun replaces it.

    A day partition of a compacted month goes into the month file instead (pipelines.lake_layout: exactly that
    day's rows are replaced). `durable=False` skips the fsync (still atomic): bulk synthetic lakes only."""
    return write_day_partition(table, path, durable=durable)


def read_partition(path: Path, columns: list[str] | None = None, schema: pa.Schema | None = None):
    """The rows of the day partition at `path`, wherever they live now (day file or compacted month); None if
    it was never written. Read partitions through this, never with pq.read_table(path)."""
    return read_day_partition(path, columns=columns, schema=schema)


def partition_exists(path: Path) -> bool:
    return day_partition_exists(path)


def rows_to_table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=schema)


# Manual regional reports, already in the conformed vocabulary (the template's columns).
# Layout: <lake>/manual/account_daily/date=YYYY-MM-DD/unit_code=<code>/data.parquet, one file per unit-day,
# so a corrected report for the same unit and period overwrites exactly the figures it corrects.
# Files written before a field was added lack it: read the folder with union_by_name (DuckDB) or per file.
# The conformed metrics a report form asks for: all but the ones the warehouse derives (engagements) or only
# APIs give (lifetime views and likes).
MANUAL_METRIC_NAMES = tuple(
    m
    for m in CONFORMED_METRICS
    if m not in ("engagements_count", "views_lifetime_count", "likes_lifetime_count")
)
MANUAL_ACCOUNT_DAILY_SCHEMA = pa.schema(
    [
        *INGESTION_FIELDS,  # source = "manual", fetched_at = when the file was taken in
        pa.field("platform", pa.string(), nullable=False),
        # Days the row's figures cover, ending on metric_date: 1 for a daily row, 7 for a weekly report (which
        # lands on the week's Sunday with the whole week's activity). Null in files written before the field
        # existed: read it as 1 (dbt's staging does, and readers of the lake must too).
        pa.field("reporting_period_days", pa.int32()),
        *_metrics(*MANUAL_METRIC_NAMES),
        pa.field("report_file", pa.string(), nullable=False),  # original file name (sanitised)
        pa.field("file_sha256", pa.string(), nullable=False),
    ]
)


def manual_partition_path(lake_dir: Path, day: dt.date, unit_code: str) -> Path:
    return partition_dir(lake_dir, "manual", "account_daily", day) / f"unit_code={unit_code}" / PARTITION_FILE


# Posts and comments (issue 12): one conformed schema on every platform, at post-day grain (a post's lifetime
# metrics as observed on metric_date, for `MEDSOS_POST_OBSERVE_DAYS` days after it went out) and comment
# grain (as observed on metric_date). The platform's own names are in `pipelines.platform_spec.posts`.
# Layout: <lake>/<platform>/posts/date=YYYY-MM-DD/data.parquet, <lake>/<platform>/comments/..., and the
# outcome per account in <lake>/<platform>/posts_fetch_log/... (FETCH_LOG_SCHEMA).
POST_METRIC_FIELDS = [pa.field(m, pa.int64()) for m in POST_METRICS]
POSTS_SCHEMA = pa.schema(
    [
        *INGESTION_FIELDS,
        pa.field("post_id", pa.string(), nullable=False),
        pa.field("published_at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("published_date", pa.date32(), nullable=False),  # Asia/Jakarta
        pa.field("age_days", pa.int32(), nullable=False),  # metric_date - published_date
        pa.field("content_type", pa.string(), nullable=False),  # platform_spec.posts.CONTENT_TYPES
        pa.field("native_type", pa.string(), nullable=False),  # the platform's own type
        pa.field("duration_s", pa.int64()),  # videos only
        *POST_METRIC_FIELDS,  # null where the platform does not give the metric
    ]
)
# No commenter, no text: the ids and times the reply rate needs, and whether the account itself answered.
COMMENTS_SCHEMA = pa.schema(
    [
        *INGESTION_FIELDS,
        pa.field("post_id", pa.string(), nullable=False),
        pa.field("comment_id", pa.string(), nullable=False),
        pa.field("commented_at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("has_account_reply", pa.bool_(), nullable=False),
        pa.field("first_account_reply_at", pa.timestamp("us", tz="UTC")),
        pa.field("reply_count", pa.int64()),  # replies listed with the comment (all authors); may be a sample
    ]
)
POST_ENTITIES = {"posts": POSTS_SCHEMA, "comments": COMMENTS_SCHEMA}

"""Write the files derived from the platform specification (dbt cannot import Python, so they are generated).

    python -m pipelines.platform_spec.generate          # rewrite every generated file
    python -m pipelines.platform_spec.generate --check  # exit 1 and name the stale ones (what the test does)

- `dbt_project/reference_data/platform_metric_catalogue.csv`: which conformed metric each platform provides,
  derives or lacks, from which field, and what it means there (the seed analysts read);
- `dbt_project/macros/platform_spec.sql`: the specification as a dbt macro returning a dict (platforms, their
  lake fields, which conformed column each feeds), read by `platform_account_days()`;
- `dbt_project/models/staging/platforms/`: the lake sources of every platform (columns typed from
  `pipelines.lake`) with one model entry per platform, and one staging model per platform (a macro call);
- `dbt_project/reference_data/post_metric_catalogue.csv`: per platform, which conformed post metric comes from
  which native field, the content-type rule, and whether comment replies are measured (or why not).
"""

import argparse
import csv
import io
import json
import sys
from pathlib import Path

import pyarrow as pa
import yaml

from pipelines import lake
from pipelines.platform_spec import CONFORMED_METRICS, PLATFORMS, SPECS, availability
from pipelines.platform_spec.posts import POST_METRICS, POST_SPECS
from pipelines.settings import PROJECT_ROOT

DBT = PROJECT_ROOT / "dbt_project"
CATALOGUE = DBT / "reference_data" / "platform_metric_catalogue.csv"
POST_CATALOGUE = DBT / "reference_data" / "post_metric_catalogue.csv"
MACRO = DBT / "macros" / "platform_spec.sql"
STAGING = DBT / "models" / "staging" / "platforms"
HEADER = (
    "Generated from pipelines/platform_spec by `python -m pipelines.platform_spec.generate`: do not edit."
)

DUCKDB_TYPES = {
    pa.string(): "varchar",
    pa.int64(): "bigint",
    pa.int32(): "integer",
    pa.bool_(): "boolean",
    pa.date32(): "date",
    pa.timestamp("us", tz="UTC"): "timestamptz",
}
# Columns every platform's lake tables share (the platform fields describe themselves in the specification).
COLUMN_DOCS = {
    "account_id": "Account key `<platform>:<platform_user_id>` (registry_accounts.account_id).",
    "platform_user_id": "The platform's own id of the account.",
    "platform": "Platform of the account.",
    "unit_code": "Owning unit (registry_units.unit_code) as recorded at ingestion.",
    "metric_date": "Reporting day (calendar day in Asia/Jakarta) the figures describe.",
    "fetched_at": "When the row was fetched or taken in (UTC).",
    "run_id": "Dagster run that wrote the row.",
    "source": "Origin of the row: sandbox, api or manual.",
    "status": "Outcome: ok, failed, auth_failed, missing_token, not_found, suspended, quota_exceeded, "
    "permission_denied or rate_limited.",
    "error_code": "Platform error code (e.g. 190, quotaExceeded, access_token_invalid) when not ok; "
    "not_backfillable on an ok row of a history fetch (fields left null).",
    "error_message": "Platform error message when not ok (never contains tokens); on a not_backfillable row, "
    "the fields left null.",
    "http_status": "Last HTTP status seen for the account.",
    "attempts": "Requests made for the account, retries included.",
    "retry_at": "When a rate_limited or quota_exceeded account may be fetched again (UTC), as the platform said.",
}


POST_COLUMN_DOCS = {
    "post_id": "The platform's id of the post (media, Page post, video, X post, TikTok video).",
    "published_at": "When the post went out (UTC).",
    "published_date": "Day the post went out (Asia/Jakarta).",
    "age_days": "metric_date - published_date: days since publication when observed.",
    "content_type": "Conformed content type: image, carousel, video, short_video, text or other.",
    "native_type": "The platform's own post type (media_type/media_product_type, attachment type, ...).",
    "duration_s": "Video length in seconds (videos only).",
    "views_count": "Lifetime views as observed that day (null where the platform gives none).",
    "reach_count": "Lifetime unique accounts reached as observed that day (Instagram, Facebook).",
    "likes_count": "Lifetime likes (Facebook: reactions of every type) as observed that day.",
    "comments_count": "Lifetime comments as observed that day.",
    "shares_count": "Lifetime shares (X: reposts + quotes) as observed that day.",
    "saves_count": "Lifetime saves (X: bookmarks) as observed that day.",
    "comment_id": "The platform's id of the top-level comment.",
    "commented_at": "When the comment was made (UTC).",
    "has_account_reply": "Whether the account itself answered the comment (a reply authored by its own id).",
    "first_account_reply_at": "When the account first answered (UTC); null without an answer.",
    "reply_count": "Replies listed with the comment (every author; a sample where the API lists a few).",
}


def catalogue_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["platform", "metric", "availability", "source_field", "notes"])
    for name, s in SPECS.items():
        for metric in CONFORMED_METRICS:
            writer.writerow([name, metric, *availability(s, metric)])
    return out.getvalue()


def post_catalogue_csv() -> str:
    """Grain: platform x post metric (plus content_type and comment_replies rows)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["platform", "metric", "availability", "source_field", "notes"])
    for name, s in POST_SPECS.items():
        for metric in POST_METRICS:
            if metric in s.metrics:
                writer.writerow(
                    [name, metric, "provided", s.metrics[metric], "Lifetime value as observed that day."]
                )
            else:
                writer.writerow([name, metric, "absent", "", s.absent[metric]])
        writer.writerow([name, "content_type", "provided", "native_type", s.content_type_rule])
        if s.comments:
            writer.writerow(
                [
                    name,
                    "comment_replies",
                    "provided",
                    s.request("comments" if name != "youtube" else "comment_threads").endpoint.split("?")[0],
                    s.comments_note,
                ]
            )
        else:
            writer.writerow([name, "comment_replies", "absent", "", s.comments_note])
    return out.getvalue()


def _spec_dict() -> dict:
    platforms = {}
    for name, s in SPECS.items():
        fields = []
        for f in s.fields:
            entry = {"name": f.name, "data_type": "boolean" if f.is_flag else "bigint", "kind": str(f.kind)}
            if f.feeds:
                entry["feeds"] = f.feeds
            if f.null_when:
                entry["null_when"] = f.null_when
            fields.append(entry)
        platforms[name] = {"title": s.title, "fields": fields}
    return {"platforms": platforms, "conformed_metrics": list(CONFORMED_METRICS)}


def _literal(spec: dict) -> str:
    """The dict as a Jinja literal (JSON without null is one), one field per line."""
    lines = ["{", '    "platforms": {']
    names = list(spec["platforms"])
    for k, name in enumerate(names):
        p = spec["platforms"][name]
        lines.append(f"        {json.dumps(name)}: {{")
        lines.append(f'            "title": {json.dumps(p["title"])},')
        lines.append('            "fields": [')
        lines += [f"                {json.dumps(f)}," for f in p["fields"]]
        lines[-1] = lines[-1].rstrip(",")
        lines.append("            ]")
        lines.append("        }" + ("," if k < len(names) - 1 else ""))
    lines.append("    },")
    lines.append(f'    "conformed_metrics": {json.dumps(spec["conformed_metrics"])}')
    lines.append("}")
    return "\n".join(lines)


def macro_sql() -> str:
    literal = _literal(_spec_dict())
    return (
        f"{{# {HEADER}\n"
        "   The platform specification for dbt: platforms in order, each with its lake fields (name, type, kind)\n"
        "   and the conformed account-day column a field feeds (null_when: a flag that hides the value). #}\n"
        "{% macro platform_spec() -%}\n"
        f"    {{{{ return({literal}) }}}}\n"
        "{%- endmacro %}\n"
    )


def _columns(schema: pa.Schema, descriptions: dict[str, str]) -> list[dict]:
    return [
        {"name": f.name, "data_type": DUCKDB_TYPES[f.type], "description": descriptions.get(f.name, "")}
        for f in schema
    ]


def sources_yaml() -> str:
    sources, models = [], []
    for name, s in SPECS.items():
        field_docs = {**COLUMN_DOCS, **{f.name: f.description for f in s.fields}}
        tables = [
            {
                "name": "account_daily",
                "description": f"One row per account and metric_date fetched from the {s.title}.",
                "config": {"meta": {"dagster": {"asset_key": ["raw", name, "account_daily"]}}},
                "columns": _columns(lake.account_daily_schema(name), field_docs),
            },
            {
                "name": "fetch_log",
                "description": "One row per account attempted for a metric_date, with the outcome.",
                "config": {"meta": {"dagster": {"asset_key": ["raw", name, "fetch_log"]}}},
                "columns": _columns(lake.FETCH_LOG_SCHEMA, COLUMN_DOCS),
            },
            {
                "name": "posts",
                "description": f"One row per post and metric_date (observed day) from the {s.title}: the post's "
                "lifetime metrics as observed that day, in the conformed post schema (pipelines.lake.POSTS_SCHEMA).",
                "config": {"meta": {"dagster": {"asset_key": ["raw", name, "posts"]}}},
                "columns": _columns(lake.POSTS_SCHEMA, {**COLUMN_DOCS, **POST_COLUMN_DOCS}),
            },
        ]
        if POST_SPECS[name].comments:
            tables.append(
                {
                    "name": "comments",
                    "description": "One row per top-level comment on a recent post and metric_date (observed "
                    "day): ids, times and whether the account answered; no commenter and no text.",
                    "config": {"meta": {"dagster": {"asset_key": ["raw", name, "comments"]}}},
                    "columns": _columns(lake.COMMENTS_SCHEMA, {**COLUMN_DOCS, **POST_COLUMN_DOCS}),
                }
            )
        sources.append(
            {
                "name": name,
                "description": f"Raw {s.title} data in the Parquet lake "
                f"(`<lake>/{name}/<table>/date=YYYY-MM-DD/data.parquet`), read by lake_rows(): an empty, "
                "typed relation stands in while no partition exists.",
                "config": {
                    "meta": {
                        "lake_dir": "{{ env_var('MEDSOS_DATA_DIR', flags.PROFILES_DIR ~ '/../data') }}/lake"
                    },
                    "external_location": "read_parquet('{lake_dir}/{schema}/{name}/date=*/data.parquet', "
                    "hive_partitioning = false, union_by_name = true)",
                },
                "tables": tables,
            }
        )
        models.append(
            {
                "name": f"stg_{name}__account_days",
                "description": f"Grain: one row per account_id and metric_date (one {s.title} fetch), in the "
                f"conformed account-day schema (account_day_columns()). {s.note}",
                "data_tests": [
                    {
                        "unique_combination": {
                            "arguments": {"combination_of_columns": ["account_id", "metric_date"]},
                            "description": f"The grain of the {s.title} staging model: one row per account and "
                            "day (a rerun replaces the day's partition).",
                        }
                    }
                ],
            }
        )
    doc = {"version": 2, "sources": sources, "models": models}
    return f"# {HEADER}\n" + yaml.safe_dump(doc, sort_keys=False, width=110, allow_unicode=True)


def model_sql(platform: str) -> str:
    return (
        f"-- {HEADER}\n"
        f"-- {SPECS[platform].title} account-days in the conformed schema: see platform_account_days() and the\n"
        f"-- model description in _platforms.yml.\n"
        f"{{{{ platform_account_days('{platform}') }}}}\n"
    )


def generated() -> dict[Path, str]:
    files = {CATALOGUE: catalogue_csv(), MACRO: macro_sql(), STAGING / "_platforms.yml": sources_yaml()}
    files[POST_CATALOGUE] = post_catalogue_csv()
    files.update({STAGING / f"stg_{p}__account_days.sql": model_sql(p) for p in PLATFORMS})
    return files


def stale() -> list[Path]:
    """Generated files whose committed content differs from what the specification gives, plus strays:
    staging models of platforms no longer in the specification."""
    files = generated()
    out = [p for p, text in files.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    out += sorted(p for p in STAGING.glob("stg_*__account_days.sql") if p not in files)
    return out


def write() -> list[Path]:
    files = generated()
    STAGING.mkdir(parents=True, exist_ok=True)
    changed = []
    for path, text in files.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    for stray in STAGING.glob("stg_*__account_days.sql"):
        if stray not in files:
            stray.unlink()
            changed.append(stray)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files (exit 1 if any)")
    args = parser.parse_args(argv)
    if args.check:
        bad = stale()
        for path in bad:
            print(f"stale: {_shown(path)}")
        if bad:
            print("run: python -m pipelines.platform_spec.generate")
        return 1 if bad else 0
    for path in write():
        print(f"wrote {_shown(path)}")
    return 0


def _shown(path: Path) -> str:
    return str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)


if __name__ == "__main__":
    sys.exit(main())

"""Real Dagster runs: sandbox over HTTP -> post clients -> Parquet lake (GX gate) -> dbt on DuckDB: the post
tables fill for every platform that has the data, and what the warehouse says matches the sandbox's truth."""

import datetime as dt
import zoneinfo

import dagster as dg
import duckdb
import pyarrow.parquet as pq
import pytest
from posts_fixtures import write_small_registry

from assets.platforms import platform_assets
from assets.posts import POSTS_GATE_CHECK, posts_assets
from assets.warehouse import warehouse_dbt_assets
from pipelines import lake
from pipelines.ingest import api_accounts
from pipelines.registry import load_accounts
from pipelines.resources import PlatformApiResource, build_resources
from pipelines.sandbox.post_model import expected_posts
from pipelines.settings import get_settings

DAYS = 3


@pytest.fixture
def pipeline(data_dir, tmp_path, monkeypatch):
    from pipelines.sandbox import SandboxConfig, start_sandbox

    registry = write_small_registry(tmp_path / "registry")
    monkeypatch.setenv("MEDSOS_REGISTRY_DIR", str(registry))
    monkeypatch.setenv("MEDSOS_POST_OBSERVE_DAYS", "4")
    with start_sandbox(port=0, seed=7, data_dir=data_dir, config=SandboxConfig.quiet()) as sandbox:
        resources = {
            **build_resources(),
            "platform_api": PlatformApiResource(sandbox_url=sandbox.url, backoff_base_s=0.01),
        }
        yield sandbox, resources


def test_posts_flow_from_the_sandbox_through_dagster_into_the_warehouse(pipeline):
    sandbox, resources = pipeline
    instance = dg.DagsterInstance.ephemeral()
    today = dt.datetime.now(zoneinfo.ZoneInfo("Asia/Jakarta")).date()
    days = [today - dt.timedelta(days=k) for k in range(DAYS + 1, 1, -1)]
    for day in days:
        result = dg.materialize(
            [*platform_assets, *posts_assets],
            partition_key=day.isoformat(),
            resources=resources,
            instance=instance,
        )
        assert result.success
        checks = [e for e in result.get_asset_check_evaluations() if e.check_name == POSTS_GATE_CHECK]
        assert len(checks) == 5 and all(c.passed for c in checks)
    settings = get_settings()
    accounts = load_accounts()
    lake_rows = {}
    for platform in ("instagram", "facebook", "youtube", "x", "tiktok"):
        table = pq.read_table(lake.partition_path(settings.lake_dir, platform, "posts", days[-1]))
        lake_rows[platform] = table.num_rows
        ok = [
            a
            for a in api_accounts(platform, days[-1], accounts)
            if sandbox.expected_status(a.account_id, days[-1]) == "ok"
        ]
        truth = {e["post_id"] for a in ok for e in expected_posts(sandbox.world, a.account_id, days[-1], 4)}
        assert set(table.column("post_id").to_pylist()) == truth
    assert all(lake_rows.values()), lake_rows

    assert dg.materialize([warehouse_dbt_assets], resources=resources, instance=instance).success
    with duckdb.connect(str(settings.warehouse_dir / "build.duckdb"), read_only=True) as con:

        def q(sql):
            return con.execute(sql).fetchall()

        per_platform = dict(q("select platform, count(*) from marts.fct_post_daily group by 1"))
        assert set(per_platform) == {"instagram", "facebook", "youtube", "x", "tiktok"}
        # every observation in the lake, exactly once
        total = sum(
            pq.read_table(lake.partition_path(settings.lake_dir, p, "posts", d)).num_rows
            for p in per_platform
            for d in days
        )
        assert sum(per_platform.values()) == total
        assert (
            q("select count(*) from marts.dim_posts")[0][0]
            == q("select count(distinct post_key) from marts.fct_post_daily")[0][0]
        )
        # answers: the warehouse's answered comments are the sandbox's, as of the last observed day
        answered = dict(q("select comment_key, has_account_reply from marts.fct_comment_responses"))
        assert set(k.split(":")[0] for k in answered) == {"instagram", "facebook", "youtube"}
        national = q(
            "select sum(comments_count), sum(answered_comments_count) from reports.rpt_reply_rate_weekly "
            "where scope_level = 'national' and platform = 'all'"
        )[0]
        assert national == (len(answered), sum(answered.values()))
        mix = q("select distinct content_type from reports.rpt_content_mix_weekly")
        assert {"image", "short_video", "text"} <= {m[0] for m in mix}
        assert q("select count(*) from reports.rpt_top_posts_weekly where is_national_top")[0][0] > 0
        known = q("select count(*) from reports.rpt_unit_weekly where has_post_dates")[0][0]
        assert known > 0

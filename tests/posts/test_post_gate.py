"""The Great Expectations gate of post and comment partitions, and ingestion into the lake with it: good partitions
land atomically and a rerun replaces them; a bad partition goes to _quarantine with the reasons."""

import datetime as dt

import pyarrow.parquet as pq
import pytest
from posts_fixtures import DAY, TODAY, sandbox_config, write_small_registry

from data_quality.post_partition_suite import post_gate, validate_comments, validate_posts
from pipelines import lake
from pipelines.ingest_posts import ingest_posts_day, observe_days
from pipelines.registry import load_accounts
from pipelines.sandbox.config import SandboxConfig
from pipelines.sandbox.runner import start_sandbox


def _post(**kw) -> dict:
    row = {
        "account_id": "instagram:1784",
        "platform_user_id": "1784",
        "unit_code": "ID-35",
        "metric_date": DAY,
        "fetched_at": dt.datetime(2026, 10, 15, 1, tzinfo=dt.UTC),
        "run_id": "r1",
        "source": "sandbox",
        "post_id": "17900001",
        "published_at": dt.datetime(2026, 10, 13, 2, tzinfo=dt.UTC),
        "published_date": dt.date(2026, 10, 13),
        "age_days": 1,
        "content_type": "image",
        "native_type": "IMAGE/FEED",
        "duration_s": None,
        "views_count": 10,
        "reach_count": 8,
        "likes_count": 2,
        "comments_count": 1,
        "shares_count": 0,
        "saves_count": 0,
    }
    return row | kw


def _comment(**kw) -> dict:
    row = {k: v for k, v in _post().items() if k in lake.COMMENTS_SCHEMA.names}
    row |= {
        "comment_id": "c1",
        "commented_at": dt.datetime(2026, 10, 13, 5, tzinfo=dt.UTC),
        "has_account_reply": True,
        "first_account_reply_at": dt.datetime(2026, 10, 13, 6, tzinfo=dt.UTC),
        "reply_count": 1,
    }
    return row | kw


def _posts_df(*rows):
    return lake.rows_to_table(list(rows), lake.POSTS_SCHEMA).to_pandas()


def test_a_good_posts_partition_passes():
    result = validate_posts(
        _posts_df(_post(), _post(post_id="17900002", content_type="short_video")), "instagram", DAY
    )
    assert result.success, result.failures


@pytest.mark.parametrize(
    "rows, expectation",
    [
        ([_post(views_count=-5)], "expect_column_values_to_be_between"),
        ([_post(content_type="reel")], "expect_column_values_to_be_in_set"),
        ([_post(metric_date=DAY - dt.timedelta(days=1))], "expect_column_values_to_be_in_set"),
        ([_post(account_id="facebook:1")], "expect_column_values_to_match_regex"),
        ([_post(), _post()], "expect_column_values_to_be_unique"),  # the same post twice in one day
    ],
)
def test_a_bad_posts_partition_fails_with_the_reason(rows, expectation):
    result = validate_posts(_posts_df(*rows), "instagram", DAY)
    assert not result.success
    assert expectation in {f["expectation"] for f in result.failures}


def test_a_reply_before_its_comment_fails_the_comments_partition():
    good = lake.rows_to_table([_comment()], lake.COMMENTS_SCHEMA).to_pandas()
    assert validate_comments(good, "instagram", DAY).success
    early = _comment(first_account_reply_at=dt.datetime(2026, 10, 13, 4, tzinfo=dt.UTC))
    bad = lake.rows_to_table([early], lake.COMMENTS_SCHEMA).to_pandas()
    result = validate_comments(bad, "instagram", DAY)
    assert not result.success
    assert result.failures[0]["expectation"] == "expect_column_pair_values_a_to_be_greater_than_b"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    registry = write_small_registry(tmp_path_factory.mktemp("registry"))
    config = SandboxConfig.quiet(today=TODAY.isoformat())
    with start_sandbox(
        port=0, seed=42, data_dir=tmp_path_factory.mktemp("sb"), config=config, registry_dir=registry
    ) as sb:
        yield sb, registry


def test_ingest_lands_posts_and_comments_and_a_rerun_replaces_them(sandbox, data_dir, monkeypatch):
    sb, registry = sandbox
    monkeypatch.setenv("MEDSOS_POST_OBSERVE_DAYS", "5")
    accounts = load_accounts(registry / "registry_accounts.csv")
    from pipelines.settings import get_settings

    settings = get_settings()
    kw = dict(
        settings=settings, client_config=sandbox_config(sb, "facebook"), gate=post_gate, accounts=accounts
    )
    first = ingest_posts_day("facebook", DAY, run_id="run-1", **kw)
    assert first.gate_passed == {"posts": True, "comments": True}
    assert first.posts_written > 0 and first.comments_written > 0 and first.observe_days == 5
    posts = pq.read_table(lake.partition_path(settings.lake_dir, "facebook", "posts", DAY))
    assert posts.schema.names == lake.POSTS_SCHEMA.names and posts.num_rows == first.posts_written
    assert max(posts.column("age_days").to_pylist()) <= 4
    comments = pq.read_table(lake.partition_path(settings.lake_dir, "facebook", "comments", DAY))
    assert not {"text", "message", "from", "username", "name"} & set(
        comments.schema.names
    )  # nothing personal
    second = ingest_posts_day("facebook", DAY, run_id="run-2", **kw)
    again = pq.read_table(lake.partition_path(settings.lake_dir, "facebook", "posts", DAY))
    assert again.num_rows == second.posts_written == first.posts_written
    assert set(again.column("run_id").to_pylist()) == {"run-2"}
    log = pq.read_table(lake.partition_path(settings.lake_dir, "facebook", "posts_fetch_log", DAY))
    assert set(log.column("status").to_pylist()) == {"ok"}
    leftovers = [p for p in settings.lake_dir.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_a_partition_the_gate_refuses_goes_to_quarantine(sandbox, data_dir):
    sb, registry = sandbox
    from pipelines.settings import get_settings

    settings = get_settings()
    accounts = load_accounts(registry / "registry_accounts.csv")
    config = sandbox_config(sb, "tiktok")
    good = ingest_posts_day(
        "tiktok", DAY, settings=settings, client_config=config, gate=post_gate, accounts=accounts
    )
    assert good.gate_passed["posts"]

    def corrupting_gate(entity, table, platform, day):  # what a platform change to negative counts would do
        import pyarrow as pa
        import pyarrow.compute as pc

        bad = table.set_column(
            table.schema.get_field_index("views_count"),
            "views_count",
            pc.multiply(table["views_count"], pa.scalar(-1, pa.int64())),
        )
        return post_gate(entity, bad, platform, day)

    bad = ingest_posts_day(
        "tiktok", DAY, settings=settings, client_config=config, gate=corrupting_gate, accounts=accounts
    )
    assert bad.gate_passed == {"posts": False} and bad.posts_written == 0
    assert "quarantine" in bad.paths["posts"]
    kept = pq.read_table(lake.partition_path(settings.lake_dir, "tiktok", "posts", DAY))
    assert kept.num_rows == good.posts_written  # the earlier good partition stays
    failures = bad.gate_details["posts"]["failures"]
    assert any(f["column"] == "views_count" for f in failures)


def test_observe_days_setting_is_validated(monkeypatch):
    monkeypatch.setenv("MEDSOS_POST_OBSERVE_DAYS", "0")
    with pytest.raises(ValueError, match="between 1 and"):
        observe_days()
    monkeypatch.setenv("MEDSOS_POST_OBSERVE_DAYS", "seven")
    with pytest.raises(ValueError, match="whole number"):
        observe_days()
    monkeypatch.delenv("MEDSOS_POST_OBSERVE_DAYS")
    assert observe_days() == 7

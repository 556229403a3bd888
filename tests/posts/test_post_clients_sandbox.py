"""Each post client against the bundled sandbox over real HTTP: every post of the observation window with its
metrics and content type as the sandbox's ground truth says, comments with the account's replies, and paging
exercised with small pages (the sandbox pages as each platform documents)."""

import datetime as dt

import pytest
from posts_fixtures import DAY, TODAY, api_accounts, sandbox_config, write_small_registry

from pipelines.clients.posts import build_post_client
from pipelines.clients.posts import meta as meta_posts
from pipelines.clients.posts import platforms as post_platforms
from pipelines.platform_spec.posts import POST_METRICS, post_spec
from pipelines.sandbox.config import SandboxConfig
from pipelines.sandbox.post_model import expected_posts
from pipelines.sandbox.runner import start_sandbox

PLATFORMS = ("instagram", "facebook", "youtube", "x", "tiktok")


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    return write_small_registry(tmp_path_factory.mktemp("registry"))


@pytest.fixture(scope="module")
def sandbox(registry, tmp_path_factory):
    config = SandboxConfig.quiet(today=TODAY.isoformat())
    with start_sandbox(
        port=0, seed=42, data_dir=tmp_path_factory.mktemp("sb"), config=config, registry_dir=registry
    ) as sb:
        yield sb


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of a few items, so every client follows several pages on every list."""
    monkeypatch.setattr(meta_posts, "LIST_LIMIT", 4)
    monkeypatch.setattr(meta_posts, "COMMENTS_LIMIT", 12)
    monkeypatch.setattr(meta_posts, "MAX_COMMENT_PAGES", 100)
    monkeypatch.setattr(post_platforms, "YT_PAGE", 2)
    monkeypatch.setattr(post_platforms, "YT_THREADS_PAGE", 5)
    monkeypatch.setattr(post_platforms, "MAX_THREAD_PAGES", 400)
    monkeypatch.setattr(post_platforms, "X_PAGE", 5)
    monkeypatch.setattr(post_platforms, "TIKTOK_PAGE", 2)


def _fetch(sb, registry, platform: str, observe_days: int = 7):
    accounts = api_accounts(platform, DAY, registry)
    with build_post_client(platform, sandbox_config(sb, platform)) as client:
        return accounts, client.fetch_posts(accounts, DAY, observe_days=observe_days)


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("paging", ["large_pages", "small_pages"])
def test_posts_and_comments_match_the_ground_truth(sandbox, registry, platform, paging, request):
    if paging == "small_pages":
        request.getfixturevalue("small_pages")
    accounts, result = _fetch(sandbox, registry, platform)
    spec = post_spec(platform)
    ok = [a for a in accounts if sandbox.expected_status(a.account_id, DAY) == "ok"]
    statuses = {o.account_id: (o.status, o.error_message) for o in result.outcomes}
    assert {o.account_id for o in result.outcomes if o.status == "ok"} == {a.account_id for a in ok}, statuses
    got = {(r["account_id"], r["post_id"]): r for r in result.posts}
    expected = {
        (a.account_id, e["post_id"]): e
        for a in ok
        for e in expected_posts(sandbox.world, a.account_id, DAY, 7)
    }
    assert expected, "the small registry must have posts in the window"
    assert set(got) == set(expected)
    for key, row in got.items():
        e = expected[key]
        assert row["content_type"] == e["content_type"] and row["native_type"] == e["native_type"]
        assert row["published_date"].isoformat() == e["published_date"]
        assert {m: row[m] for m in POST_METRICS} == {m: e[m] for m in POST_METRICS}
        assert row["metric_date"] == DAY and 0 <= row["age_days"] < 7
    if spec.comments:
        truth = {c["comment_id"]: c["has_account_reply"] for e in expected.values() for c in e["comments"]}
        seen = {c["comment_id"]: c["has_account_reply"] for c in result.comments}
        assert seen == truth  # every comment of the window's posts, and whether the account answered
        assert any(seen.values()) and not all(seen.values())
        for c in result.comments:
            assert (c["first_account_reply_at"] is not None) == c["has_account_reply"]
            if c["has_account_reply"]:
                assert c["first_account_reply_at"] >= c["commented_at"]
    else:
        assert result.comments == [] and not result.comments_fetched


def test_youtube_spends_only_one_unit_calls_and_no_search(sandbox, registry):
    sandbox.reset_stats()
    accounts, result = _fetch(sandbox, registry, "youtube")
    assert sum(sandbox.app.quota.used().values()) == result.requests_made  # every call cost exactly one unit
    channels = len(accounts)
    videos = len(result.posts)
    # uploads (1 per channel) + videos.list (1 per 50 videos) + comment threads (>= 1 per channel)
    assert result.requests_made <= channels * (1 + post_platforms.MAX_THREAD_PAGES) + -(-videos // 50)


def test_a_post_is_observed_for_the_configured_number_of_days(sandbox, registry):
    _, three = _fetch(sandbox, registry, "instagram", observe_days=3)
    _, seven = _fetch(sandbox, registry, "instagram", observe_days=7)
    first = DAY - dt.timedelta(days=2)
    assert three.posts and all(r["published_date"] >= first for r in three.posts)
    assert {r["post_id"] for r in three.posts} < {r["post_id"] for r in seven.posts}
    assert max(r["age_days"] for r in three.posts) == 2


def test_lifetime_metrics_grow_then_settle_across_observed_days(sandbox, registry):
    accounts = api_accounts("tiktok", DAY, registry)
    by_day = {}
    with build_post_client("tiktok", sandbox_config(sandbox, "tiktok")) as client:
        for k in range(4):
            day = DAY - dt.timedelta(days=3 - k)
            by_day[day] = {r["post_id"]: r for r in client.fetch_posts(accounts, day, observe_days=7).posts}
    days = sorted(by_day)
    common = set.intersection(*(set(v) for v in by_day.values()))
    assert common
    for pid in common:
        views = [by_day[d][pid]["views_count"] for d in days]
        assert views == sorted(views)  # lifetime counts never go down
        ages = [by_day[d][pid]["age_days"] for d in days]
        assert ages == list(range(ages[0], ages[0] + 4))


def test_missing_tokens_and_revoked_accounts_are_recorded(registry, tmp_path):
    config = SandboxConfig.quiet(
        today=TODAY.isoformat(), never_connected_rate=0.3, stop_reporting_rate=0.3, suspended_rate=0.2
    )
    with start_sandbox(port=0, seed=42, data_dir=tmp_path, config=config, registry_dir=registry) as sb:
        for platform in ("instagram", "youtube", "tiktok"):
            accounts = api_accounts(platform, DAY, registry)
            with build_post_client(platform, sandbox_config(sb, platform)) as client:
                result = client.fetch_posts(accounts, DAY)
            for o in result.outcomes:
                assert o.status == sb.expected_status(o.account_id, DAY), o
            assert {o.status for o in result.outcomes} - {"ok"}, "the scenarios must hit some accounts"
            failed = {o.account_id for o in result.outcomes if o.status != "ok"}
            assert not failed & {r["account_id"] for r in result.posts}


@pytest.mark.parametrize("platform", PLATFORMS)
def test_transient_faults_are_retried_to_the_exact_answer(registry, tmp_path, platform, small_pages):
    # Graph item faults include per-token throttling whose documented wait is minutes
    # (estimated_time_to_regain_access): tests/clients covers that; here request-level faults only.
    noisy = SandboxConfig.quiet(
        today=TODAY.isoformat(),
        server_error_rate=0.15,
        malformed_rate=0.05,
        throttle_rate=0.05,
        throttle_retry_after_s=0,
    )
    with start_sandbox(port=0, seed=42, data_dir=tmp_path, config=noisy, registry_dir=registry) as sb:
        accounts = api_accounts(platform, DAY, registry)
        with build_post_client(platform, sandbox_config(sb, platform, max_retries=12)) as client:
            result = client.fetch_posts(accounts, DAY)
        assert result.retries > 0
        assert all(o.status == "ok" for o in result.outcomes)
        expected = {e["post_id"] for a in accounts for e in expected_posts(sb.world, a.account_id, DAY, 7)}
        assert {r["post_id"] for r in result.posts} == expected

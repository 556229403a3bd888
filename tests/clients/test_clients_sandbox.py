"""End to end against the bundled sandbox over HTTP: exact values, statuses, faults, quota, request counts."""

import math

import pytest
from sandbox_harness import DAY, PLATFORMS, TODAY, fetch, write_small_registry

from pipelines.lake import ACCOUNT_DAILY_FIELDS
from pipelines.sandbox import SandboxConfig, start_sandbox

ITEMS_PER_ACCOUNT = {"instagram": 2, "facebook": 2}
IDS_PER_CALL = {"youtube": 50, "x": 100}


@pytest.fixture(scope="module")
def quiet(tmp_path_factory):
    with start_sandbox(
        port=0,
        seed=42,
        data_dir=tmp_path_factory.mktemp("quiet"),
        config=SandboxConfig.quiet(today=TODAY.isoformat()),
    ) as sb:
        yield sb


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory):
    """Default account scenarios (suspended, revoked tokens, never connected...), no request faults."""
    config = SandboxConfig(today=TODAY.isoformat()).replace(
        throttle_rate=0.0,
        server_error_rate=0.0,
        timeout_rate=0.0,
        malformed_rate=0.0,
        meta_item_fault_rate=0.0,
    )
    with start_sandbox(port=0, seed=42, data_dir=tmp_path_factory.mktemp("scen"), config=config) as sb:
        yield sb


@pytest.fixture(scope="module")
def small_registry(tmp_path_factory):
    return write_small_registry(tmp_path_factory.mktemp("registry"))


@pytest.fixture
def small_sandbox(small_registry, tmp_path):
    handles = []

    def make(**changes):
        config = SandboxConfig.quiet(today=TODAY.isoformat(), **changes)
        sb = start_sandbox(port=0, seed=42, data_dir=tmp_path, config=config, registry_dir=small_registry)
        handles.append(sb)
        return sb

    yield make
    for sb in handles:
        sb.stop()


def expected_requests(platform: str, n: int, result) -> int:
    if platform in ITEMS_PER_ACCOUNT:
        return math.ceil(n * ITEMS_PER_ACCOUNT[platform] / 50)
    if platform in IDS_PER_CALL:
        return math.ceil(n / IDS_PER_CALL[platform])
    return 2 * n  # TikTok: user info + at least one page of videos per account


@pytest.mark.parametrize("platform", PLATFORMS)
def test_one_day_of_every_registry_account_matches_the_sandbox(quiet, platform):
    accounts, result = fetch(quiet, platform)
    assert len(result.outcomes) == len(accounts) > 300
    assert {o.status for o in result.outcomes} == {"ok"}
    assert result.retries == 0 and result.throttled == 0
    fields = [f.name for f in ACCOUNT_DAILY_FIELDS[platform]]
    by_id = {r["account_id"]: r for r in result.rows}
    for a in accounts:
        row = by_id[a.account_id]
        assert (row["platform_user_id"], row["unit_code"], row["metric_date"]) == (
            a.platform_user_id,
            a.unit_code,
            DAY,
        )
        assert {f: row[f] for f in fields} == quiet.expected_values(a.account_id, DAY), a.account_id
    if platform == "tiktok":
        assert result.requests_made >= expected_requests(platform, len(accounts), result)
    else:
        assert result.requests_made == expected_requests(platform, len(accounts), result)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_account_scenarios_get_the_expected_status(scenarios, platform):
    accounts, result = fetch(scenarios, platform, day=TODAY)
    got = {o.account_id: o.status for o in result.outcomes}
    want = {a.account_id: scenarios.expected_status(a.account_id, TODAY) for a in accounts}
    assert got == want
    assert set(want.values()) - {"ok"}, "the scenario sandbox should refuse some accounts"
    for o in result.outcomes:
        assert o.attempts == (0 if o.status == "missing_token" else 1)  # nothing permanent was retried
    fields = [f.name for f in ACCOUNT_DAILY_FIELDS[platform]]
    for row in result.rows:
        assert {f: row[f] for f in fields} == scenarios.expected_values(row["account_id"], TODAY)


@pytest.mark.parametrize("fault", ["server_error", "malformed", "throttle", "timeout"])
@pytest.mark.parametrize("platform", PLATFORMS)
def test_fault_rate_one_fails_after_max_retries(small_sandbox, small_registry, platform, fault):
    sb = small_sandbox(**{f"{fault}_rate": 1.0, "timeout_delay_s": 0.6, "throttle_retry_after_s": 0})
    accounts, result = fetch(sb, platform, registry_dir=small_registry, max_retries=2, timeout_s=0.25)
    assert accounts and result.rows == []
    for o in result.outcomes:
        assert (o.status, o.attempts) == ("failed", 3), o
    n_calls = 1 if platform == "tiktok" else expected_requests(platform, len(accounts), result)
    assert result.requests_made == n_calls * len(accounts if platform == "tiktok" else [0]) * 3
    assert result.retries == result.requests_made - result.requests_made // 3
    assert result.throttled == (result.requests_made if fault == "throttle" else 0)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_heavy_transient_faults_still_give_exact_values(small_sandbox, small_registry, platform):
    sb = small_sandbox(
        throttle_rate=0.1,
        server_error_rate=0.1,
        malformed_rate=0.1,
        timeout_rate=0.05,
        meta_item_fault_rate=0.2,
        timeout_delay_s=0.6,
        throttle_retry_after_s=0,
    )
    accounts, result = fetch(sb, platform, registry_dir=small_registry, max_retries=12, timeout_s=0.25)
    assert {o.status for o in result.outcomes} == {"ok"} and len(result.rows) == len(accounts)
    assert result.retries > 0 or platform in ("youtube", "x")  # a couple of calls may all go through
    fields = [f.name for f in ACCOUNT_DAILY_FIELDS[platform]]
    for row in result.rows:
        assert {f: row[f] for f in fields} == sb.expected_values(row["account_id"], DAY)


def test_youtube_quota_stops_the_day(tmp_path):
    config = SandboxConfig.quiet(today=TODAY.isoformat(), youtube_quota_per_day=3)
    with start_sandbox(port=0, seed=42, data_dir=tmp_path, config=config) as sb:
        accounts, result = fetch(sb, "youtube", max_concurrency=1)
    statuses = [o.status for o in result.outcomes]
    assert statuses.count("ok") == 150 and statuses.count("quota_exceeded") == len(accounts) - 150
    assert result.requests_made == 4  # three good calls, the refused one, then nothing
    assert (
        sum(o.attempts for o in result.outcomes if o.status == "quota_exceeded") == 50
    )  # only one batch sent

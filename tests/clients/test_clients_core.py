"""Unit tests of the shared core: backoff, rate limiter, header parsing, redaction, batching helper."""

import random

import pytest
from client_harness import FakeClock

from pipelines.clients import ClientConfig, build_client
from pipelines.clients.base import chunks
from pipelines.clients.ratelimit import TokenBucket, parse_retry_after
from pipelines.clients.redact import Redactor
from pipelines.clients.retry import RetryPolicy


def test_full_jitter_stays_within_the_exponential_ceiling():
    policy = RetryPolicy(max_retries=5, base_s=0.5, cap_s=30.0, rng=random.Random(7))
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (7, 30.0), (20, 30.0)]:
        draws = [policy.backoff(attempt) for _ in range(500)]
        assert all(0.0 <= d <= ceiling for d in draws)
        # full jitter spreads over the whole range, not around the ceiling
        assert min(draws) < 0.1 * ceiling and max(draws) > 0.9 * ceiling


def test_server_wait_is_honoured_but_capped():
    policy = RetryPolicy(max_retries=5, base_s=0.01, cap_s=30.0, rng=random.Random(1))
    assert policy.wait(1, 12.0) >= 12.0
    assert policy.wait(1, 10_000_000.0) == 30.0  # a hostile reset header cannot hang a run
    assert policy.wait(30, None) <= 30.0


def test_max_attempts_is_one_more_than_max_retries():
    assert RetryPolicy(max_retries=5, base_s=0.1, cap_s=1).max_attempts == 6
    assert RetryPolicy(max_retries=0, base_s=0.1, cap_s=1).max_attempts == 1


def test_token_bucket_allows_a_burst_then_paces():
    clock = FakeClock()
    bucket = TokenBucket(rate_per_s=2.0, burst=3, clock=clock)
    for _ in range(3):
        assert bucket.acquire() == 0.0
    assert bucket.acquire() == pytest.approx(0.5)
    assert bucket.acquire() == pytest.approx(0.5)
    assert clock.sleeps == [pytest.approx(0.5), pytest.approx(0.5)]


def test_token_bucket_pause_holds_callers_and_never_shortens():
    clock = FakeClock()
    bucket = TokenBucket(rate_per_s=100.0, burst=10, clock=clock)
    bucket.pause_for(5.0)
    bucket.pause_for(1.0)  # a shorter pause does not cut the running one
    assert bucket.acquire() == pytest.approx(5.0)
    assert bucket.acquire() == 0.0


def test_retry_after_seconds_and_http_date():
    assert parse_retry_after("3", 0) == 3.0
    assert parse_retry_after(" 1.5 ", 0) == 1.5
    assert parse_retry_after("Thu, 01 Jan 2026 00:00:10 GMT", 1767225600.0) == pytest.approx(10.0)
    assert parse_retry_after("-5", 0) == 0.0
    assert parse_retry_after("soon", 0) is None
    assert parse_retry_after(None, 0) is None


def test_redactor_removes_tokens_by_pattern_and_by_value():
    r = Redactor(["sbx_0123456789abcdef01234567", "ytkey-SECRET", None, ""])
    text = (
        "GET 123/insights?metric=views&access_token=EAAB-other-token&since=1 "
        "relative_url%3D1%3Faccess_token%3DEAAsecret%26x%3D1 "
        "https://www.googleapis.com/youtube/v3/channels?id=UC1&key=AIzaXYZ&part=statistics "
        "Authorization: Bearer abc.def-ghi "
        "echo sbx_0123456789abcdef01234567 and ytkey-SECRET"
    )
    out = r(text)
    for secret in ["EAAB-other-token", "EAAsecret", "AIzaXYZ", "abc.def-ghi", "sbx_0123", "ytkey-SECRET"]:
        assert secret not in out
    assert "access_token=***" in out and "key=***" in out and "since=1" in out
    assert r.message("x" * 2000).endswith("...") and len(r.message("x" * 2000)) == 500
    assert r.message(None) is None


def test_config_repr_hides_credentials():
    cfg = ClientConfig(
        "http://h", account_tokens={"instagram:1": "tok-secret"}, api_key="k-secret", bearer_token="b-secret"
    )
    for text in (repr(cfg), str(cfg)):
        assert "secret" not in text
        assert "<1 tokens>" in text


def test_chunks_respect_the_limit():
    sizes = [len(c) for c in chunks(list(range(120)), 50)]
    assert sizes == [50, 50, 20]
    assert list(chunks([], 50)) == []


def test_batch_limits_and_pool_size_per_platform():
    cfg = ClientConfig("http://127.0.0.1:9", max_concurrency=6)
    limits = {p: build_client(p, cfg).batch_size for p in ("instagram", "facebook", "youtube", "x", "tiktok")}
    # Meta: 50 batch items = 25 accounts (2 items each); YouTube 50 ids; X 100 ids; TikTok one account
    assert limits == {"instagram": 25, "facebook": 25, "youtube": 50, "x": 100, "tiktok": 1}
    adapter = build_client("x", cfg).session.get_adapter("http://127.0.0.1:9")
    assert adapter._pool_maxsize == 6


def test_unknown_platform_and_bad_input_are_rejected():
    from client_harness import account

    with pytest.raises(ValueError):
        build_client("myspace", ClientConfig("http://h"))
    c = build_client("x", ClientConfig("http://h", bearer_token="b"))
    with pytest.raises(ValueError, match="not x"):
        c.fetch_day([account("youtube", "UC1")], None)
    with pytest.raises(ValueError, match="duplicate"):
        c.fetch_day([account("x", "1"), account("x", "1")], None)

"""Transient faults at rate 1.0, real rate limits with their headers, and the control endpoints."""

import datetime as dt
import json

import pytest
import requests
from sandbox_calls import TODAY, accounts, as_of, batch, ig_items, rel, tokens

from pipelines.sandbox import RateLimit, SandboxConfig
from pipelines.sandbox.limits import WindowLimiter

DAY = TODAY - dt.timedelta(days=1)


def call(sb, platform: str) -> requests.Response:
    """One ordinary request per platform (a Graph batch for Meta)."""
    tok = tokens(sb)
    if platform == "graph":
        a = accounts(sb, "instagram")[0]
        return batch(sb, ig_items(a.platform_user_id, tok["account_tokens"][a.account_id], DAY), DAY)
    if platform == "youtube":
        ids = ",".join(a.platform_user_id for a in accounts(sb, "youtube"))
        params = {"part": "statistics", "id": ids, "key": tok["youtube_api_key"]}
        return requests.get(f"{sb.url}/youtube/v3/channels", params=params, headers=as_of(DAY), timeout=10)
    if platform == "x":
        ids = ",".join(a.platform_user_id for a in accounts(sb, "x"))
        headers = {**as_of(DAY), "Authorization": f"Bearer {tok['x_bearer_token']}"}
        return requests.get(f"{sb.url}/x/2/users", params={"ids": ids}, headers=headers, timeout=10)
    a = accounts(sb, "tiktok")[0]
    headers = {**as_of(DAY), "Authorization": f"Bearer {tok['account_tokens'][a.account_id]}"}
    return requests.get(
        f"{sb.url}/tiktok/v2/user/info/", params={"fields": "open_id"}, headers=headers, timeout=10
    )


PLATFORMS = ["graph", "youtube", "x", "tiktok"]


def test_throttle_faults_carry_each_platforms_headers(small_sandbox):
    sb = small_sandbox(SandboxConfig.quiet(throttle_rate=1.0))
    meta = call(sb, "graph")
    assert meta.status_code in (400, 403) and meta.json()["error"]["code"] in (4, 17, 32, 613)
    assert "Retry-After" in meta.headers and json.loads(meta.headers["X-App-Usage"])["call_count"] == 100
    yt = call(sb, "youtube")
    assert yt.status_code == 403 and yt.json()["error"]["errors"][0]["reason"] == "rateLimitExceeded"
    x = call(sb, "x")
    assert (
        x.status_code == 429 and x.headers["x-rate-limit-remaining"] == "0" and "Retry-After" not in x.headers
    )
    assert int(x.headers["x-rate-limit-reset"]) >= int(dt.datetime.now().timestamp())
    tt = call(sb, "tiktok")
    assert (
        tt.status_code == 429
        and tt.json()["error"]["code"] == "rate_limit_exceeded"
        and "Retry-After" in tt.headers
    )
    assert requests.get(f"{sb.url}/_sandbox/stats", timeout=5).json()["faults"]["throttle"] == 4


@pytest.mark.parametrize("platform", PLATFORMS)
def test_server_errors_are_5xx(small_sandbox, platform):
    sb = small_sandbox(SandboxConfig.quiet(server_error_rate=1.0))
    statuses = {call(sb, platform).status_code for _ in range(12)}
    assert statuses <= {500, 502, 503} and len(statuses) >= 2


@pytest.mark.parametrize("platform", PLATFORMS)
def test_malformed_bodies_are_truncated_json_with_200(small_sandbox, platform):
    sb = small_sandbox(SandboxConfig.quiet(malformed_rate=1.0))
    resp = call(sb, platform)
    assert resp.status_code == 200
    with pytest.raises(ValueError):
        json.loads(resp.content)


def test_timeouts_hold_the_answer_past_the_client_timeout(small_sandbox):
    sb = small_sandbox(SandboxConfig.quiet(timeout_rate=1.0, timeout_delay_s=0.6))
    with pytest.raises(requests.Timeout):
        requests.get(f"{sb.url}/x/2/users?ids=1", timeout=0.2)
    assert requests.get(f"{sb.url}/_sandbox/health", timeout=5).status_code == 200  # control is never faulted


def test_graph_item_faults(small_sandbox):
    sb = small_sandbox(SandboxConfig.quiet(meta_item_fault_rate=1.0))
    a = accounts(sb, "instagram")[0]
    items = [rel(a.platform_user_id, tokens(sb)["account_tokens"][a.account_id], fields="id")] * 50
    elements = batch(sb, items, DAY).json()
    kinds = set()
    for el in elements:
        if el is None:
            kinds.add("null")
            continue
        err = json.loads(el["body"])["error"]
        kinds.add("server_error" if el["code"] == 500 and err["is_transient"] else f"throttle_{err['code']}")
    assert {"null", "server_error"} <= kinds and kinds & {"throttle_17", "throttle_32", "throttle_613"}
    assert "throttle_80002" in kinds  # Instagram's business-use-case throttle


def test_meta_app_and_token_limits(small_sandbox):
    sb = small_sandbox(
        SandboxConfig.quiet(meta_app_limit=RateLimit(6, 60), meta_token_limit=RateLimit(2, 60))
    )
    a = accounts(sb, "instagram")[0]
    token = tokens(sb)["account_tokens"][a.account_id]
    items = [rel(a.platform_user_id, token, fields="id")] * 3
    resp = batch(sb, items, DAY)
    codes = [(el["code"], json.loads(el["body"]).get("error", {}).get("code")) for el in resp.json()]
    assert codes == [(200, None), (200, None), (400, 80002)]
    assert "Retry-After" in resp.headers
    buc = json.loads(resp.headers["X-Business-Use-Case-Usage"])[a.platform_user_id][0]
    assert (
        buc["type"] == "instagram"
        and buc["call_count"] == 100
        and buc["estimated_time_to_regain_access"] >= 1
    )
    assert batch(sb, items, DAY).status_code == 200  # the app window now holds 6 of 6 items
    over = batch(sb, items, DAY)
    assert (
        over.status_code == 403
        and over.json()["error"]["code"] == 4
        and int(over.headers["Retry-After"]) >= 1
    )


def test_x_tiktok_youtube_limits(small_sandbox):
    sb = small_sandbox(
        SandboxConfig.quiet(
            x_limit=RateLimit(2, 60), tiktok_limit=RateLimit(1, 60), youtube_limit=RateLimit(1, 60)
        )
    )
    first, second, third = (call(sb, "x") for _ in range(3))
    assert (first.headers["x-rate-limit-remaining"], second.headers["x-rate-limit-remaining"]) == ("1", "0")
    assert third.status_code == 429 and third.json()["title"] == "Too Many Requests"
    assert call(sb, "tiktok").status_code == 200
    tt = call(sb, "tiktok")
    assert tt.status_code == 429 and int(tt.headers["Retry-After"]) >= 1
    assert call(sb, "youtube").status_code == 200
    yt = call(sb, "youtube")
    assert yt.status_code == 403 and yt.json()["error"]["errors"][0]["reason"] == "rateLimitExceeded"
    stats = requests.get(f"{sb.url}/_sandbox/stats", timeout=5).json()
    assert stats["rate_limited"] == {"x": 1, "tiktok": 1, "youtube": 1}


def test_fixed_windows_reset():
    now = [1000.0]
    limiter = WindowLimiter(clock=lambda: now[0])
    limit = RateLimit(2, 10)
    assert [limiter.hit("x", "t", limit).allowed for _ in range(3)] == [True, True, False]
    now[0] = 1010.0
    usage = limiter.hit("x", "t", limit)
    assert usage.allowed and usage.remaining == 1 and usage.reset_at == 1020.0


def test_control_endpoints(small_sandbox):
    sb = small_sandbox()
    health = requests.get(f"{sb.url}/_sandbox/health", timeout=5).json()
    assert health == {
        "status": "ok",
        "seed": 42,
        "accounts": len(sb.world.accounts),
        "today": TODAY.isoformat(),
        "epoch": "2025-01-01",
    }
    call(sb, "x")
    call(sb, "graph")
    stats = requests.get(f"{sb.url}/_sandbox/stats", timeout=5).json()
    assert stats["requests"] == {"x": 1, "graph": 1} and stats["graph_batch_items"] == {"instagram": 2}
    assert requests.post(f"{sb.url}/_sandbox/stats/reset", timeout=5).json() == {"status": "reset"}
    assert requests.get(f"{sb.url}/_sandbox/stats", timeout=5).json()["requests"] == {}
    a = accounts(sb, "x")[0]
    exp = requests.get(
        f"{sb.url}/_sandbox/expected", params={"account_id": a.account_id, "date": str(DAY)}, timeout=5
    )
    assert exp.json()["values"] == sb.expected_values(a.account_id, DAY) and exp.json()["status"] == "ok"
    bad = requests.get(f"{sb.url}/x/2/users?ids=1", headers={"X-Sandbox-As-Of": "yesterday"}, timeout=5)
    assert bad.status_code == 400
    assert requests.get(f"{sb.url}/nowhere", timeout=5).status_code == 404
    rewritten = requests.post(f"{sb.url}/_sandbox/ground_truth", timeout=10).json()
    assert set(rewritten) == {"ground_truth", "ground_truth_daily", "campaign_days", "tokens"}

"""History on day one: a live fetch of a past day asks only what the platform keeps daily history for.

Lifetime counters exist only "now": they stay null, and the fetch log says so (error_code not_backfillable on
the ok row). Against documented answers (contract fixtures) and against the sandbox answering live-style
(no X-Sandbox-As-Of: its snapshots are today's, its insights and post lists any day's).
"""

import datetime as dt
import json

import pyarrow.parquet as pq
import pytest
from client_harness import DAY, account, client
from contract_fixtures import case
from sandbox_harness import TODAY, api_accounts, sandbox_config, write_small_registry
from test_contracts_meta import IG, PAGE, TOKENS, fb_answer, graph, ig_answer

from pipelines import lake
from pipelines.clients import build_client
from pipelines.ingest import NOT_BACKFILLABLE, ingest_platform_day
from pipelines.sandbox import SandboxConfig, start_sandbox


def test_instagram_history_fetch_asks_only_the_insights(serve, clock):
    seen = []
    srv = serve(graph(ig_answer, seen))
    result = client("instagram", srv.url, clock, account_tokens=TOKENS).fetch_day(IG, DAY, history=True)
    assert [o.status for o in result.outcomes] == ["ok"] * 3
    assert all("/insights" in url for _, url in seen)  # no user-fields item: those are only "now"
    row = result.rows[0]
    assert (row["followers_count"], row["media_count"], row["views"]) == (None, None, 4521)
    assert result.not_backfilled == ("followers_count", "follows_count", "media_count")
    assert len(json.loads(srv.requests[0].form()["batch"])) == 3  # one item per account: 50 accounts a call


def test_facebook_history_fetch_keeps_everything_within_two_years(serve, clock):
    url: list = []
    srv = serve(graph(fb_answer(srv_url=url)))
    url.append(srv.url)
    result = client("facebook", srv.url, clock, account_tokens=TOKENS).fetch_day([PAGE], DAY, history=True)
    (row,) = result.rows
    assert result.not_backfilled == () and row["page_follows"] == 48231 and row["posts_published"] == 3


def test_a_day_beyond_the_documented_history_makes_no_request(serve, clock):
    srv = serve(graph(ig_answer))
    old = dt.datetime.fromtimestamp(clock.time(), dt.UTC).date() - dt.timedelta(days=800)  # > 2 years
    result = client("facebook", srv.url, clock, account_tokens=TOKENS).fetch_day([PAGE], old, history=True)
    assert srv.requests == [] and result.outcomes[0].error_code == "not_backfillable"


def test_tiktok_history_fetch_counts_videos_without_user_info(serve, clock):
    tt = account("tiktok", "723f24d7-e717-40f8-a2b6-cb8464cd23b4")

    def handler(req, n):
        assert req.path == "/video/list/"  # user/info answers only the current counters
        return case("tiktok", "video_list").reply()

    srv = serve(handler)
    result = client("tiktok", srv.url, clock, account_tokens={tt.account_id: "T"}).fetch_day(
        [tt], DAY, history=True
    )
    (row,) = result.rows
    assert row["videos_published"] == 2 and row["follower_count"] is None


@pytest.fixture(scope="module")
def live_style(tmp_path_factory):
    registry = write_small_registry(tmp_path_factory.mktemp("history_registry"))
    config = SandboxConfig.quiet(today=TODAY.isoformat())
    with start_sandbox(
        port=0, seed=42, data_dir=tmp_path_factory.mktemp("history"), config=config, registry_dir=registry
    ) as sb:
        yield sb, registry


@pytest.mark.parametrize("platform", ["instagram", "facebook", "tiktok"])
def test_history_values_equal_what_the_platform_kept_for_that_day(live_style, platform):
    sb, registry = live_style
    day = TODAY - dt.timedelta(days=12)
    accounts = api_accounts(platform, day, registry)
    config = sandbox_config(sb, platform, send_sandbox_as_of=False)  # a live client: no simulated time
    with build_client(platform, config) as c:
        result = c.fetch_day(accounts, day, history=True)
    assert {o.status for o in result.outcomes} == {"ok"} and len(result.rows) == len(accounts)
    for row in result.rows:
        expected = sb.expected_values(row["account_id"], day)
        for name, value in expected.items():
            assert row[name] == (None if name in result.not_backfilled else value), (row["account_id"], name)


def test_ingest_marks_history_rows_and_skips_platforms_without_history(live_style, data_dir):
    sb, registry = live_style
    day = TODAY - dt.timedelta(days=12)
    settings_accounts = api_accounts("instagram", day, registry)
    config = sandbox_config(sb, "instagram", send_sandbox_as_of=False)
    summary = ingest_platform_day("instagram", day, client_config=config, accounts=settings_accounts)
    assert summary.history and summary.rows_written == len(settings_accounts)
    log = pq.read_table(summary.paths["fetch_log"]).to_pylist()
    assert {(r["status"], r["error_code"]) for r in log} == {("ok", NOT_BACKFILLABLE)}
    assert "followers_count" in log[0]["error_message"]
    rows = pq.read_table(summary.paths["account_daily"]).to_pylist()
    assert all(r["followers_count"] is None and r["views"] is not None for r in rows)

    yt = sandbox_config(sb, "youtube", send_sandbox_as_of=False)
    skipped = ingest_platform_day(
        "youtube", day, client_config=yt, accounts=api_accounts("youtube", day, registry)
    )
    assert skipped.skipped and skipped.requests_made == 0 and skipped.paths == {}
    assert not lake.partition_path(data_dir / "lake", "youtube", "fetch_log", day).exists()


def test_sandbox_mode_replays_a_past_day_in_full(live_style):
    sb, registry = live_style
    day = TODAY - dt.timedelta(days=12)
    accounts = api_accounts("instagram", day, registry)
    with build_client("instagram", sandbox_config(sb, "instagram")) as c:
        result = c.fetch_day(accounts, day)
    assert result.not_backfilled == () and all(r["followers_count"] is not None for r in result.rows)


def test_facebook_history_backfill_asks_once_per_window(serve, clock):
    day1 = DAY - dt.timedelta(days=1)  # 2026-01-14: its values have end_time 2026-01-15T08:00+0000
    url: list = []
    srv = serve(graph(fb_answer(srv_url=url)))
    url.append(srv.url)
    c = client("facebook", srv.url, clock, account_tokens=TOKENS)
    results = c.fetch_days({day1: [PAGE], DAY: [PAGE]}, history=True)
    assert results[day1].rows[0]["page_follows"] == 48210 and results[DAY].rows[0]["page_follows"] == 48231
    assert results[day1].rows[0]["posts_published"] == 0 and results[DAY].rows[0]["posts_published"] == 3
    assert results[day1].requests_made + results[DAY].requests_made == 3  # one batch call, two paging GETs
    since, until = (int(v) for v in _window_of(srv.requests[0]))
    assert (until - since) == 3 * 86400  # the two Pacific days and the margin: within 90 days
    days = [DAY - dt.timedelta(days=k) for k in range(200)]
    assert [len(w) for w in c.windows(sorted(days))] == [89, 89, 22]  # "at most 90 days" with the margin


def _window_of(batch_request) -> tuple[str, str]:
    items = json.loads(batch_request.form()["batch"])
    relative = next(i["relative_url"] for i in items if "/insights" in i["relative_url"])
    query = dict(part.split("=", 1) for part in relative.split("?", 1)[1].split("&"))
    return query["since"], query["until"]


@pytest.mark.parametrize("platform", ["facebook", "tiktok"])
def test_history_windows_equal_the_days_one_by_one(live_style, platform):
    sb, registry = live_style
    days = [TODAY - dt.timedelta(days=k) for k in range(40, 10, -1)]
    by_day = {d: api_accounts(platform, d, registry) for d in days}
    config = sandbox_config(sb, platform, send_sandbox_as_of=False)
    with build_client(platform, config) as c:
        window = c.fetch_days(by_day, history=True)
        single = {d: c.fetch_day(by_day[d], d, history=True) for d in days[:3]}
    for d in days:
        assert {o.status for o in window[d].outcomes} == {"ok"}
        for row in window[d].rows:
            expected = sb.expected_values(row["account_id"], d)
            assert all(row[n] == v for n, v in expected.items() if n not in window[d].not_backfilled)
    for d, result in single.items():
        assert sorted(result.rows, key=str) == sorted(window[d].rows, key=str)
    total = sum(r.requests_made for r in window.values())
    per_day = sum(r.requests_made for r in single.values()) / len(single)
    assert total < per_day * len(days) / 2  # the window asks far less than a request set per day

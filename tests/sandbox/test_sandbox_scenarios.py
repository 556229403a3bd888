"""Injected scenarios: chosen once per account, visible in the series, over HTTP and in the ground truth."""

import csv
import datetime as dt
import json
from collections import Counter

import numpy as np
import pytest
import requests
from sandbox_calls import TODAY, as_of, batch, fetch_values, rel, tokens

from pipelines.sandbox.config import ACCOUNT_SCENARIOS

ONE_DAY = dt.timedelta(days=1)


def fetch_status(sb, account, day: dt.date) -> str:
    """What a client would record for the account-day, from one real call to the platform."""
    tok = tokens(sb)
    uid = account.platform_user_id
    if account.platform in ("instagram", "facebook"):
        token = tok["account_tokens"].get(account.account_id)
        if token is None:
            return "missing_token"
        (element,) = batch(sb, [rel(uid, token, fields="id")], day).json()
        status, body = element["code"], json.loads(element["body"])
        if status == 200:
            return "ok"
        err = body["error"]
        return (
            "auth_failed"
            if err["code"] == 190
            else "suspended"
            if err.get("error_subcode") == 33
            else "failed"
        )
    if account.platform == "youtube":
        params = {"part": "statistics", "id": uid, "key": tok["youtube_api_key"]}
        items = requests.get(
            f"{sb.url}/youtube/v3/channels", params=params, headers=as_of(day), timeout=10
        ).json()["items"]
        return "ok" if items else "not_found"
    if account.platform == "x":
        headers = {**as_of(day), "Authorization": f"Bearer {tok['x_bearer_token']}"}
        body = requests.get(f"{sb.url}/x/2/users", params={"ids": uid}, headers=headers, timeout=10).json()
        if "data" in body:
            return "ok"
        return "suspended" if body["errors"][0]["title"] == "Forbidden" else "not_found"
    token = tok["account_tokens"].get(account.account_id)
    if token is None:
        return "missing_token"
    headers = {**as_of(day), "Authorization": f"Bearer {token}"}
    resp = requests.get(
        f"{sb.url}/tiktok/v2/user/info/", params={"fields": "open_id"}, headers=headers, timeout=10
    )
    code = resp.json()["error"]["code"]
    return {"ok": "ok", "access_token_invalid": "auth_failed", "invalid_user": "suspended"}.get(
        code, "failed"
    )


def by_scenario(world) -> dict[str, list]:
    out: dict[str, list] = {}
    for s in world.scenarios:
        out.setdefault(s.scenario, []).append(s)
    return out


def test_every_scenario_is_injected_once_per_account_within_the_window(default_sb):
    w = default_sb.world
    groups = by_scenario(w)
    assert set(groups) == set(ACCOUNT_SCENARIOS)
    assert all(len(v) >= 10 for v in groups.values())
    ids = [s.account_id for s in w.scenarios]
    assert len(ids) == len(set(ids))
    for s in w.scenarios:
        if s.scenario not in ("never_connected", "inactive"):
            assert TODAY - dt.timedelta(days=85) <= s.start_date <= TODAY - dt.timedelta(days=2)
            assert s.end_date <= TODAY
    recent = [s for s in w.scenarios if s.start_date >= TODAY - dt.timedelta(days=28)]
    assert len(recent) > len(w.scenarios) // 4  # a 28-day window sees many of them too
    assert w.manual_skips and all(s.start_date.weekday() == 0 for s in w.manual_skips)


def test_anomalies_are_in_the_series(default_sb):
    w = default_sb.world
    a = w.series.arrays
    for s in w.scenarios:
        i, d, e = s.account_index, w.day_index(s.start_date), w.day_index(s.end_date)
        if s.scenario == "follower_jump":
            assert a["followers"][d, i] >= a["followers"][d - 1, i] * (1 + s.magnitude) * 0.98
        elif s.scenario == "follower_drop":
            assert a["followers"][d, i] <= a["followers"][d - 1, i] * (1 - s.magnitude) * 1.02
        elif s.scenario == "counter_decrease":
            assert a["posts_total"][d, i] == a["posts_total"][d - 1, i] - int(s.magnitude)
        elif s.scenario == "frozen":
            for name, arr in a.items():
                assert (arr[d : e + 1, i] == arr[d - 1, i]).all(), name
            assert not all((arr[e + 1, i] == arr[e, i]) for arr in a.values()) or e + 1 >= w.n_days
        elif s.scenario == "engagement_spike":
            same_weekday = np.median(a["views"][d - 28 : d : 7, i])
            assert a["views"][d, i] >= 4.9 * same_weekday and a["views"][d, i] > 0
            assert not w.calendar.is_campaign(w.province_rows[i], d)
        elif s.scenario == "posting_silence":
            assert a["new_posts"][d : e + 1, i].sum() == 0 and a["new_posts"][d - 40 : d, i].sum() > 0
        elif s.scenario == "inactive":
            assert a["new_posts"][:, i].sum() == 0
            assert a["posts_total"][-1, i] == a["posts_total"][w.series.start[i], i]


def test_missing_report_scenarios_fail_exactly_on_their_days(default_sb):
    w = default_sb.world
    groups = by_scenario(w)
    for name in ("stop_reporting", "suspended"):
        for s in groups[name][:12]:
            account = w.accounts[s.account_index]
            assert fetch_status(default_sb, account, s.start_date - ONE_DAY) == "ok"
            got = fetch_status(default_sb, account, s.start_date)
            assert got == w.expected_status(s.account_id, s.start_date) != "ok"
            if s.end_date < TODAY:
                assert fetch_status(default_sb, account, s.end_date + ONE_DAY) == "ok"
    for s in groups["never_connected"]:
        assert s.account_id not in tokens(default_sb)["account_tokens"]
        assert fetch_status(default_sb, w.accounts[s.account_index], TODAY - ONE_DAY) == "missing_token"


@pytest.mark.parametrize("platform", ["instagram", "facebook"])
def test_stop_reporting_on_meta_is_190_from_its_start(default_sb, platform):
    w = default_sb.world
    s = next(s for s in by_scenario(w)["stop_reporting"] if s.platform == platform)
    token = tokens(default_sb)["account_tokens"][s.account_id]
    uid = s.account_id.split(":", 1)[1]
    ((el,),) = [batch(default_sb, [rel(uid, token, fields="id")], s.start_date).json()]
    err = json.loads(el["body"])["error"]
    assert el["code"] == 400 and err["code"] == 190 and err["error_subcode"] in (460, 463)


def test_engagement_spike_and_frozen_visible_through_the_api(default_sb):
    w = default_sb.world
    groups = by_scenario(w)
    spike = next(
        s
        for s in groups["engagement_spike"]
        if s.platform == "instagram" and s.account_id in w.account_tokens
    )
    token = w.account_tokens[spike.account_id]
    uid = spike.account_id.split(":", 1)[1]

    def likes(day):
        since = int(
            dt.datetime.combine(day, dt.time(0), tzinfo=dt.timezone(dt.timedelta(hours=7))).timestamp()
        )
        item = rel(
            f"{uid}/insights",
            token,
            metric="likes",
            metric_type="total_value",
            period="day",
            since=since,
            until=since + 86400,
        )
        return json.loads(batch(default_sb, [item], day).json()[0]["body"])["data"][0]["total_value"]["value"]

    assert likes(spike.start_date) >= 3 * max(1, likes(spike.start_date - 7 * ONE_DAY))
    frozen = groups["frozen"][0]
    days = [frozen.start_date - ONE_DAY + k * ONE_DAY for k in range(int(frozen.magnitude) + 1)]
    values = [w.expected_values(frozen.account_id, d) for d in days]
    assert all(v == values[0] for v in values)


def test_ground_truth_files(default_sb):
    w = default_sb.world
    with default_sb.files["ground_truth"].open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == [
        "account_id",
        "platform",
        "unit_code",
        "scenario",
        "kind",
        "start_date",
        "end_date",
        "metric",
        "magnitude",
        "details",
    ]
    assert len(rows) == len(w.scenarios) + len(w.manual_skips)
    metric = {r["scenario"]: r["metric"] for r in rows}
    assert metric["follower_jump"] == metric["follower_drop"] == "followers_count"
    assert (
        metric["counter_decrease"] == "posts_total_count"
        and metric["engagement_spike"] == "engagements_count"
    )
    assert metric["posting_silence"] == "new_posts_count" and metric["frozen"] == "all"
    with default_sb.files["ground_truth_daily"].open(encoding="utf-8") as fh:
        daily = list(csv.DictReader(fh))
    counts = Counter(r["scenario"] for r in daily)
    for s in ("follower_jump", "follower_drop", "counter_decrease", "engagement_spike"):
        assert counts[s] == sum(1 for r in rows if r["scenario"] == s)
    frozen_days = sum(int(float(r["magnitude"])) for r in rows if r["scenario"] == "frozen")
    assert counts["frozen"] == frozen_days
    kinds = {r["scenario"]: r["kind"] for r in daily}
    assert kinds["stop_reporting"] == kinds["suspended"] == kinds["never_connected"] == "missing"
    assert kinds["manual_not_sent"] == "missing" and kinds["follower_jump"] == "anomaly"
    assert len({(r["account_id"], r["metric_date"]) for r in daily}) == len(
        daily
    )  # one scenario per account-day
    assert default_sb.files["campaign_days"].exists()


CONFORMED = {  # conformed metric -> platform-native field, for the metric each anomaly is on
    "followers_count": {
        "instagram": "followers_count",
        "facebook": "page_follows",
        "youtube": "subscriber_count",
        "x": "followers_count",
        "tiktok": "follower_count",
    },
    "posts_total_count": {
        "instagram": "media_count",
        "youtube": "video_count",
        "x": "tweet_count",
        "tiktok": "video_count",
    },
    "new_posts_count": {"facebook": "posts_published", "tiktok": "videos_published"},
}


@pytest.mark.parametrize(
    "scenario", ["follower_jump", "follower_drop", "counter_decrease", "posting_silence"]
)
def test_anomalies_are_visible_through_the_platform_apis(default_sb, scenario):
    w = default_sb.world
    candidates = [
        s
        for s in by_scenario(w)[scenario]
        if w.accounts[s.account_index].collection_method == "api"
        and s.platform in CONFORMED[s.metric]
        and not w.series.hidden[s.account_index]
    ]
    assert candidates
    for s in candidates[:4]:
        account = w.accounts[s.account_index]
        field = CONFORMED[s.metric][s.platform]
        before = fetch_values(default_sb, account, s.start_date - ONE_DAY)
        on = fetch_values(default_sb, account, s.start_date)
        assert on == w.expected_values(s.account_id, s.start_date)
        if scenario == "follower_jump":
            assert on[field] > before[field] * (1 + s.magnitude * 0.9)
        elif scenario == "follower_drop":
            assert on[field] < before[field] * (1 - s.magnitude * 0.9)
        elif scenario == "counter_decrease":
            assert on[field] == before[field] - int(s.magnitude)
        else:
            assert on[field] == 0 == fetch_values(default_sb, account, s.end_date)[field]

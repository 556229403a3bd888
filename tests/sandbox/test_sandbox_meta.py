"""Graph API over HTTP: batch shapes and limits, Instagram insights, Facebook insights/posts, as-of, errors."""

import datetime as dt
import json

import requests
from sandbox_calls import (
    FB_METRICS,
    TODAY,
    accounts,
    as_of,
    batch,
    bodies,
    fb_insights,
    ig_items,
    rel,
    tokens,
)

DAY = TODAY - dt.timedelta(days=3)


def test_instagram_batch_returns_exact_values(quiet_sb):
    tok = tokens(quiet_sb)["account_tokens"]
    igs = accounts(quiet_sb, "instagram")[:5]
    items = [it for a in igs for it in ig_items(a.platform_user_id, tok[a.account_id], DAY)]
    resp = batch(quiet_sb, items, DAY)
    assert resp.status_code == 200 and len(resp.json()) == len(items)
    assert json.loads(resp.headers["X-App-Usage"])["call_count"] >= 0
    assert set(json.loads(resp.headers["X-Business-Use-Case-Usage"])) == {a.platform_user_id for a in igs}
    got = bodies(resp)
    for k, a in enumerate(igs):
        expected = quiet_sb.expected_values(a.account_id, DAY)
        (s1, user), (s2, insights) = got[2 * k], got[2 * k + 1]
        assert s1 == s2 == 200
        assert user == {f: expected[f] for f in ("followers_count", "follows_count", "media_count")} | {
            "id": a.platform_user_id
        }
        values = {m["name"]: m["total_value"]["value"] for m in insights["data"]}
        assert values == {k: v for k, v in expected.items() if k in values} and len(values) == 8


def test_batch_over_50_items_fails_whole_with_code_100(quiet_sb):
    tok = tokens(quiet_sb)["account_tokens"]
    a = accounts(quiet_sb, "instagram")[0]
    items = [rel(a.platform_user_id, tok[a.account_id], fields="followers_count")] * 51
    resp = batch(quiet_sb, items, DAY)
    assert resp.status_code == 400 and resp.json()["error"]["code"] == 100


def test_removed_metrics_fail_the_whole_call_with_code_100(quiet_sb):
    tok = tokens(quiet_sb)["account_tokens"]
    ig, fb = accounts(quiet_sb, "instagram")[0], accounts(quiet_sb, "facebook")[0]
    items = [
        ig_items(ig.platform_user_id, tok[ig.account_id], DAY, metrics="impressions,reach")[1],
        fb_insights(fb.platform_user_id, tok[fb.account_id], DAY, DAY + dt.timedelta(days=1), "page_fans"),
        fb_insights(
            fb.platform_user_id, tok[fb.account_id], DAY, DAY + dt.timedelta(days=1), "page_impressions"
        ),
    ]
    for status, body in bodies(batch(quiet_sb, items, DAY)):
        assert status == 400 and body["error"]["code"] == 100 and "fbtrace_id" in body["error"]


def test_facebook_window_over_90_days_is_error_100(quiet_sb):
    tok = tokens(quiet_sb)["account_tokens"]
    fb = accounts(quiet_sb, "facebook")[0]
    long = fb_insights(fb.platform_user_id, tok[fb.account_id], DAY - dt.timedelta(days=91), DAY)
    ok = fb_insights(fb.platform_user_id, tok[fb.account_id], DAY - dt.timedelta(days=90), DAY)
    (s1, b1), (s2, b2) = bodies(batch(quiet_sb, [long, ok], DAY))
    assert s1 == 400 and b1["error"]["code"] == 100
    assert s2 == 200 and len(b2["data"][0]["values"]) == 90


def test_facebook_end_time_is_pacific_midnight_with_dst(quiet_sb):
    tok = tokens(quiet_sb)["account_tokens"]
    fb = accounts(quiet_sb, "facebook")[0]
    winter, summer = dt.date(2026, 1, 15), dt.date(2026, 7, 15)
    for day, hour in ((winter, "08"), (summer, "07")):
        item = fb_insights(
            fb.platform_user_id, tok[fb.account_id], day, day + dt.timedelta(days=1), FB_METRICS
        )
        ((status, body),) = bodies(batch(quiet_sb, [item], TODAY))
        assert status == 200
        expected = quiet_sb.expected_values(fb.account_id, day)
        for metric in body["data"]:
            (value,) = metric["values"]
            assert value["end_time"] == f"{day + dt.timedelta(days=1)}T{hour}:00:00+0000"
            assert value["value"] == expected[metric["name"]]


def test_published_posts_page_with_absolute_next_urls(quiet_sb):
    w = quiet_sb.world
    tok = tokens(quiet_sb)["account_tokens"]
    fb = accounts(quiet_sb, "facebook")[0]
    i = w.index_of[fb.account_id]
    day = next(
        d
        for d in (DAY - dt.timedelta(days=k) for k in range(60))
        if w.series["new_posts"][w.day_index(d), i] >= 3
    )
    item = rel(
        f"{fb.platform_user_id}/published_posts",
        tok[fb.account_id],
        since=day.isoformat(),
        until=(day + dt.timedelta(days=1)).isoformat(),
        fields="id,created_time",
        limit=1,
    )
    ((status, page),) = bodies(batch(quiet_sb, [item], day))
    seen = []
    while True:
        assert status == 200
        seen += page["data"]
        nxt = page.get("paging", {}).get("next")
        if not nxt:
            break
        assert nxt.startswith(quiet_sb.url + "/graph/v23.0/")
        resp = requests.get(nxt, headers=as_of(day), timeout=10)
        status, page = resp.status_code, resp.json()
    assert len(seen) == quiet_sb.expected_values(fb.account_id, day)["posts_published"]
    times = [p["created_time"] for p in seen]
    assert times == sorted(times, reverse=True) and len({p["id"] for p in seen}) == len(seen)


def test_as_of_header_selects_the_lifetime_snapshot(quiet_sb):
    tok = tokens(quiet_sb)["account_tokens"]
    a = accounts(quiet_sb, "instagram")[0]
    item = rel(a.platform_user_id, tok[a.account_id], fields="followers_count,media_count")
    old, new = TODAY - dt.timedelta(days=200), TODAY - dt.timedelta(days=1)
    ((_, at_old),) = bodies(batch(quiet_sb, [item], old))
    ((_, at_new),) = bodies(batch(quiet_sb, [item], new))
    data = {"batch": json.dumps([item]), "access_token": tokens(quiet_sb)["meta_app_token"]}
    resp = requests.post(f"{quiet_sb.url}/graph/v23.0/", data=data, timeout=10)
    now = json.loads(resp.json()[0]["body"])  # no header: today
    assert at_old["followers_count"] == quiet_sb.expected_values(a.account_id, old)["followers_count"]
    assert at_new["media_count"] == quiet_sb.expected_values(a.account_id, new)["media_count"]
    assert now["followers_count"] == quiet_sb.expected_values(a.account_id, TODAY)["followers_count"]
    future = TODAY + dt.timedelta(days=30)  # clamped to today
    ((_, at_future),) = bodies(batch(quiet_sb, [item], future))
    assert at_future == now


def test_tokens_are_per_account_and_wrong_tokens_are_190(quiet_sb):
    tok = tokens(quiet_sb)["account_tokens"]
    a, b = accounts(quiet_sb, "instagram")[:2]
    items = [
        rel(a.platform_user_id, tok[b.account_id], fields="followers_count"),
        rel(a.platform_user_id, "sbx_not_a_token", fields="followers_count"),
        rel("17841499999999999", tok[a.account_id], fields="followers_count"),
    ]
    (s1, e1), (s2, e2), (_, e3) = bodies(batch(quiet_sb, items, DAY))
    assert (s1, e1["error"]["code"]) == (400, 190) and (s2, e2["error"]["code"]) == (400, 190)
    assert (e3["error"]["code"], e3["error"]["error_subcode"]) == (100, 33)
    assert all(t.startswith("sbx_") and len(t) == 28 for t in tok.values())


def test_instagram_insights_need_metric_type_total_value(quiet_sb):
    tok = tokens(quiet_sb)["account_tokens"]
    a = accounts(quiet_sb, "instagram")[0]
    item = rel(f"{a.platform_user_id}/insights", tok[a.account_id], metric="likes", period="day")
    ((status, body),) = bodies(batch(quiet_sb, [item], DAY))
    assert status == 400 and "metric_type=total_value" in body["error"]["message"]

"""Shared helpers of the sandbox tests (a uniquely named module: every test folder has its own conftest):
the pinned day, a small registry, and platform calls built the way the clients build them."""

import datetime as dt
import json
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import requests

from pipelines.platform_spec import spec
from pipelines.registry import write_registry_subset
from pipelines.settings import PROJECT_ROOT

IG_FIELDS = ",".join(spec("instagram").wire_names("user"))
IG_METRICS = ",".join(spec("instagram").wire_names("insights"))
FB_METRICS = ",".join(spec("facebook").wire_names("insights"))
TODAY = dt.date(2026, 10, 15)  # pinned: tests do not depend on the wall clock
SMALL_UNITS = {"ID", "ID-35", "ID-35.78", "ID-35.07", "ID-35.01", "ID-51", "ID-51.71", "ID-91", "ID-91.01"}


def write_small_registry(target: Path) -> Path:
    return write_registry_subset(target, SMALL_UNITS, PROJECT_ROOT / "dbt_project" / "seeds")


def tokens(sb) -> dict:
    return json.loads(sb.files["tokens"].read_text(encoding="utf-8"))


def as_of(day: dt.date) -> dict:
    return {"X-Sandbox-As-Of": day.isoformat()}


def wib_start(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo("Asia/Jakarta")).timestamp())


def rel(path: str, token: str, **params) -> dict:
    return {"method": "GET", "relative_url": f"{path}?{urlencode({**params, 'access_token': token})}"}


def ig_items(uid: str, token: str, day: dt.date, metrics: str = IG_METRICS) -> list[dict]:
    since = wib_start(day)
    return [
        rel(uid, token, fields=IG_FIELDS),
        rel(
            f"{uid}/insights",
            token,
            metric=metrics,
            metric_type="total_value",
            period="day",
            since=since,
            until=since + 86400,
        ),
    ]


def fb_insights(uid: str, token: str, since: dt.date, until: dt.date, metrics: str = FB_METRICS) -> dict:
    return rel(
        f"{uid}/insights",
        token,
        metric=metrics,
        period="day",
        since=since.isoformat(),
        until=until.isoformat(),
    )


def batch(sb, items: list[dict], day: dt.date, session=requests) -> requests.Response:
    # The batch call carries its own token (Graph API "Batch Requests", "Using Multiple Access Tokens").
    data = {
        "batch": json.dumps(items),
        "include_headers": "false",
        "access_token": tokens(sb)["meta_app_token"],
    }
    return session.post(f"{sb.url}/graph/v23.0/", data=data, headers=as_of(day), timeout=10)


def bodies(resp: requests.Response) -> list[tuple[int, dict]]:
    return [(el["code"], json.loads(el["body"])) for el in resp.json()]


def accounts(sb, platform: str, method: str = "api") -> list:
    return [a for a in sb.world.accounts if a.platform == platform and a.collection_method == method]


def fetch_values(sb, account, day: dt.date) -> dict:
    """A minimal client: the account-day's platform-native values, fetched over HTTP as of `day`."""
    tok = json.loads(sb.files["tokens"].read_text(encoding="utf-8"))
    uid, platform = account.platform_user_id, account.platform
    if platform == "instagram":
        token = tok["account_tokens"][account.account_id]
        (_, user), (_, ins) = bodies(batch(sb, ig_items(uid, token, day), day))
        return {k: v for k, v in user.items() if k != "id"} | {
            m["name"]: m["total_value"]["value"] for m in ins["data"]
        }
    if platform == "facebook":
        token = tok["account_tokens"][account.account_id]
        nxt = day + dt.timedelta(days=1)
        posts = rel(f"{uid}/published_posts", token, since=day.isoformat(), until=nxt.isoformat(), limit=100)
        (_, ins), (_, page) = bodies(batch(sb, [fb_insights(uid, token, day, nxt), posts], day))
        return {m["name"]: m["values"][0]["value"] for m in ins["data"]} | {
            "posts_published": len(page["data"])
        }
    if platform == "youtube":
        params = {"part": "statistics", "id": uid, "key": tok["youtube_api_key"]}
        (item,) = requests.get(
            f"{sb.url}/youtube/v3/channels", params=params, headers=as_of(day), timeout=10
        ).json()["items"]
        st = item["statistics"]
        subs = st.get("subscriberCount")
        return {
            "subscriber_count": int(subs) if subs is not None else None,
            "view_count": int(st["viewCount"]),
            "video_count": int(st["videoCount"]),
            "hidden_subscriber_count": st["hiddenSubscriberCount"],
        }
    if platform == "x":
        headers = {**as_of(day), "Authorization": f"Bearer {tok['x_bearer_token']}"}
        params = {"ids": uid, "user.fields": "public_metrics"}
        (user,) = requests.get(f"{sb.url}/x/2/users", params=params, headers=headers, timeout=10).json()[
            "data"
        ]
        return user["public_metrics"]
    headers = {**as_of(day), "Authorization": f"Bearer {tok['account_tokens'][account.account_id]}"}
    fields = "follower_count,following_count,likes_count,video_count"
    info = requests.get(
        f"{sb.url}/tiktok/v2/user/info/", params={"fields": fields}, headers=headers, timeout=10
    )
    page = requests.post(
        f"{sb.url}/tiktok/v2/video/list/",
        params={"fields": "id,create_time"},
        json={"max_count": 20},
        headers=headers,
        timeout=10,
    ).json()["data"]
    start = wib_start(day)
    return info.json()["data"]["user"] | {
        "videos_published": sum(v["create_time"] >= start for v in page["videos"])
    }

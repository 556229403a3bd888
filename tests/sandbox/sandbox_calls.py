"""Request helpers for the sandbox tests: build platform calls the way the clients do."""

import datetime as dt
import json
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import requests

IG_FIELDS = "followers_count,follows_count,media_count"
IG_METRICS = "views,reach,accounts_engaged,total_interactions,likes,comments,shares,saves"
FB_METRICS = (
    "page_follows,page_daily_follows_unique,page_daily_unfollows_unique,page_media_view,page_post_engagements,"
    "page_posts_impressions_unique"
)


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
    data = {"batch": json.dumps(items), "include_headers": "false"}
    return session.post(f"{sb.url}/graph/v23.0/", data=data, headers=as_of(day), timeout=10)


def bodies(resp: requests.Response) -> list[tuple[int, dict]]:
    return [(el["code"], json.loads(el["body"])) for el in resp.json()]


def accounts(sb, platform: str, method: str = "api") -> list:
    return [a for a in sb.world.accounts if a.platform == platform and a.collection_method == method]

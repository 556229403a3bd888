"""Facebook Pages: the day's Page insights plus the number of posts published that day.

Metric meaning changes: `page_fans` is gone (`page_follows` replaces it) and `page_impressions` became
`page_media_view`; asking for a removed metric is error 100, so only current metrics are requested.
Insight values carry `end_time` at midnight US Pacific at the end of their day: a value belongs to the
Pacific calendar day before its `end_time`, and only values for the requested day make it into the row.
"""

import datetime as dt

from pipelines.clients.base import FetchContext
from pipelines.clients.meta import MAX_BATCH_ITEMS, MetaClient, combine, relative_url
from pipelines.clients.timeutil import pacific_end_time_to_day, parse_meta_time, wib_date
from pipelines.clients.types import FAILED, Fail, Ok, Resolved
from pipelines.registry import Account

INSIGHT_METRICS = (
    "page_follows",
    "page_daily_follows_unique",
    "page_daily_unfollows_unique",
    "page_media_view",
    "page_post_engagements",
    "page_posts_impressions_unique",
)
POSTS_PAGE_SIZE = 25
MAX_POST_PAGES = 200  # a guard against a paging loop; 5,000 posts in a day is far beyond any unit


class FacebookClient(MetaClient):
    platform = "facebook"
    batch_size = MAX_BATCH_ITEMS // 2  # two items (insights, first page of posts) per account

    def fetch_batch(self, batch: list[Account], ctx: FetchContext) -> dict[str, Resolved]:
        window = {"since": ctx.day.isoformat(), "until": (ctx.day + dt.timedelta(days=1)).isoformat()}
        items = {}
        for a in batch:
            token, pid = self.token_for(a), a.platform_user_id
            items[(a.account_id, "insights")] = relative_url(
                f"{pid}/insights", {"metric": ",".join(INSIGHT_METRICS), "period": "day", **window}, token
            )
            items[(a.account_id, "posts")] = relative_url(
                f"{pid}/published_posts",
                {**window, "fields": "id,created_time", "limit": POSTS_PAGE_SIZE},
                token,
            )
        got = self.batch_get(ctx, items)
        out = {}
        for a in batch:
            insights, first_posts = got[(a.account_id, "insights")], got[(a.account_id, "posts")]
            parts = [insights, first_posts]
            value: dict = {}
            if isinstance(insights.verdict, Ok) and isinstance(first_posts.verdict, Ok):
                posts = self._count_posts(ctx, first_posts.verdict.value)
                parts.append(posts)
                if isinstance(posts.verdict, Ok):
                    value = {
                        **_insight_values(insights.verdict.value, ctx.day),
                        "posts_published": posts.verdict.value,
                    }
            out[a.account_id] = combine(parts, value)
        return out

    def _count_posts(self, ctx: FetchContext, first_page: dict) -> Resolved:
        """Count posts created on the day (Asia/Jakarta), following `paging.next` to the last page."""
        count, attempts, page = 0, 1, first_page
        for _ in range(MAX_POST_PAGES):
            for post in page.get("data") or []:
                created = post.get("created_time")
                if created and wib_date(parse_meta_time(created)) == ctx.day:
                    count += 1
            next_url = (page.get("paging") or {}).get("next")
            if not next_url or not page.get("data"):
                return Resolved(Ok(count), attempts)
            got = self.get_url(ctx, next_url)
            attempts = max(attempts, got.attempts)
            if not isinstance(got.verdict, Ok):
                return Resolved(got.verdict, attempts)
            page = got.verdict.value
        return Resolved(Fail(FAILED, "paging_loop", f"more than {MAX_POST_PAGES} pages of posts"), attempts)


def _insight_values(body: dict, day: dt.date) -> dict:
    """metric name -> the value whose end_time maps to `day`; None when the API gave none for it."""
    values = dict.fromkeys(INSIGHT_METRICS)
    for entry in body.get("data") or []:
        name = entry.get("name")
        if name not in values:
            continue
        for v in entry.get("values") or []:
            end_time = v.get("end_time")
            if end_time and pacific_end_time_to_day(end_time) == day:
                values[name] = v.get("value")
    return values

"""Facebook Pages: the day's Page insights plus the number of posts published that day.

What is asked for comes from the specification (`pipelines.platform_spec.facebook`): removed metrics
(`page_fans`, `page_impressions`, `page_posts_impressions_unique`, ...) are never requested, and a metric the
API refuses later is dropped for the run (Meta's message names no metric: the client asks each alone, once).

`since`/`until` are Unix seconds (date strings have no documented time zone). Page insights are Meta's daily
values per US Pacific day, stamped with `end_time` at midnight Pacific at the end of their day: the request
spans that day with a margin and only the value whose `end_time` maps to the requested day is kept. Posts are
counted in the Asia/Jakarta day: `published_posts` is asked for exactly that window, and `paging.next` is
followed until it is absent (an empty page may still have one: Graph API "Paginated Results").
"""

import datetime as dt
from collections import Counter

from pipelines.clients.base import FetchContext, parse_item
from pipelines.clients.meta import MAX_BATCH_ITEMS, GraphItem, MetaClient, combine
from pipelines.clients.timeutil import (
    pacific_day_start_unix,
    pacific_end_time_to_day,
    parse_meta_time,
    wib_date,
    wib_day_start_unix,
)
from pipelines.clients.types import FAILED, Fail, Ok, Resolved
from pipelines.registry import Account

POSTS_PAGE_SIZE = 25
MAX_POST_PAGES = 200  # a guard against a paging loop; 5,000 posts in a day is far beyond any unit


class FacebookClient(MetaClient):
    platform = "facebook"
    batch_size = MAX_BATCH_ITEMS // 2  # two items (insights, first page of posts) per account
    window_fetch = True  # a history backfill asks Page insights and posts for up to 89 days at once
    window_margin_days = 1  # the insights request spans one Pacific day more than the window

    def fetch_batch(self, batch: list[Account], ctx: FetchContext) -> dict[str, Resolved]:
        first, last = ctx.days[0], ctx.days[-1]
        insights_window = {
            "since": pacific_day_start_unix(first),
            "until": pacific_day_start_unix(last + dt.timedelta(days=2)),
        }
        wib_start, wib_end = wib_day_start_unix(first), wib_day_start_unix(last) + 86400
        builders = {}
        if ctx.wants("insights"):
            builders["insights"] = lambda a, names: GraphItem(
                f"{a.platform_user_id}/insights",
                {"metric": ",".join(names), "period": "day", **insights_window},
                self.token_for(a),
            )
        if ctx.wants("published_posts"):
            posts_query = {
                "since": wib_start,
                "until": wib_end,
                "fields": "id,created_time",
                "limit": POSTS_PAGE_SIZE,
            }
            builders["published_posts"] = lambda a, names: GraphItem(
                f"{a.platform_user_id}/published_posts", posts_query, self.token_for(a)
            )
        got = self.batch_fields(ctx, batch, builders, fixed=frozenset({"published_posts"}))
        out = {}
        for a in batch:
            parts = [got[(a.account_id, req)] for req in builders]
            by_day: dict = {day: {} for day in ctx.days}
            if all(isinstance(p.verdict, Ok) for p in parts):
                if "insights" in builders:
                    insights = got[(a.account_id, "insights")].verdict.value
                    parsed = parse_item(self._insight_values, insights, ctx.days)
                    parts.append(Resolved(parsed, 1))
                    for day, values in (parsed.value if isinstance(parsed, Ok) else {}).items():
                        by_day[day] |= values
                if "published_posts" in builders:
                    posts = self._count_posts(ctx, got[(a.account_id, "published_posts")].verdict.value)
                    parts.append(posts)
                    if isinstance(posts.verdict, Ok):
                        for day in ctx.days:
                            by_day[day]["posts_published"] = posts.verdict.value.get(day, 0)
            out[a.account_id] = combine(parts, by_day if ctx.window else by_day[ctx.day])
        return out

    def _count_posts(self, ctx: FetchContext, first_page: dict) -> Resolved:
        """Posts created on each day (Asia/Jakarta) of the fetch, following `paging.next` until it is absent."""
        count: Counter = Counter()
        attempts, page = 1, first_page
        for _ in range(MAX_POST_PAGES * len(ctx.days)):
            counted = parse_item(_posts_by_day, page, set(ctx.days))
            if not isinstance(counted, Ok):
                return Resolved(counted, attempts)
            count.update(counted.value)
            next_url = (page.get("paging") or {}).get("next")
            if not next_url:
                return Resolved(Ok(dict(count)), attempts)
            got = self.get_url(ctx, next_url)
            attempts = max(attempts, got.attempts)
            if not isinstance(got.verdict, Ok):
                return Resolved(got.verdict, attempts)
            page = got.verdict.value
        return Resolved(Fail(FAILED, "paging_loop", f"more than {MAX_POST_PAGES} pages of posts"), attempts)

    def _insight_values(self, body: dict, days: tuple[dt.date, ...]) -> dict:
        """day -> field name -> the value whose end_time maps to that day; None when the API gave none."""
        fields = {f.wire_name: f.name for f in self.spec.fields_of("insights")}
        values = {day: dict.fromkeys(fields.values()) for day in days}
        for entry in body.get("data") or []:
            name = fields.get(entry.get("name"))
            if name is None:
                continue
            for v in entry.get("values") or []:
                end_time = v.get("end_time")
                day = pacific_end_time_to_day(end_time) if end_time else None
                if day in values:
                    values[day][name] = v.get("value")
        return values


def _posts_by_day(page: dict, days: set[dt.date]) -> Counter:
    count: Counter = Counter()
    for post in page.get("data") or []:
        created = post.get("created_time")
        day = wib_date(parse_meta_time(created)) if created else None
        if day in days:
            count[day] += 1
    return count

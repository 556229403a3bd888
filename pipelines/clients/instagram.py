"""Instagram Graph API: lifetime user fields plus the day's account insights, two batch items per account.

Metric meaning changes (2025): `impressions` is gone, `views` replaces it; asking for a removed metric fails
the whole insights call with error 100, so only current metrics are requested.
"""

from pipelines.clients.base import FetchContext
from pipelines.clients.meta import MAX_BATCH_ITEMS, MetaClient, combine, relative_url
from pipelines.clients.timeutil import wib_day_start_unix
from pipelines.clients.types import Ok, Resolved
from pipelines.registry import Account

USER_FIELDS = ("followers_count", "follows_count", "media_count")
INSIGHT_METRICS = (
    "views",
    "reach",
    "accounts_engaged",
    "total_interactions",
    "likes",
    "comments",
    "shares",
    "saves",
)


class InstagramClient(MetaClient):
    platform = "instagram"
    batch_size = MAX_BATCH_ITEMS // 2  # two items (user fields, insights) per account

    def fetch_batch(self, batch: list[Account], ctx: FetchContext) -> dict[str, Resolved]:
        since = wib_day_start_unix(ctx.day)
        items = {}
        for a in batch:
            token = self.token_for(a)
            uid = a.platform_user_id
            items[(a.account_id, "user")] = relative_url(uid, {"fields": ",".join(USER_FIELDS)}, token)
            items[(a.account_id, "insights")] = relative_url(
                f"{uid}/insights",
                {
                    "metric": ",".join(INSIGHT_METRICS),
                    "metric_type": "total_value",
                    "period": "day",
                    "since": since,
                    "until": since + 86400,
                },
                token,
            )
        got = self.batch_get(ctx, items)
        out = {}
        for a in batch:
            user, insights = got[(a.account_id, "user")], got[(a.account_id, "insights")]
            value = {}
            if isinstance(user.verdict, Ok) and isinstance(insights.verdict, Ok):
                value = {f: user.verdict.value.get(f) for f in USER_FIELDS}
                value.update(_insight_values(insights.verdict.value))
            out[a.account_id] = combine([user, insights], value)
        return out


def _insight_values(body: dict) -> dict:
    """metric name -> total_value.value; metrics the API left out stay None."""
    values = dict.fromkeys(INSIGHT_METRICS)
    for entry in body.get("data") or []:
        name = entry.get("name")
        if name in values:
            total = entry.get("total_value")
            values[name] = total.get("value") if isinstance(total, dict) else None
    return values

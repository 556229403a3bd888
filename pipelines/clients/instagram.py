"""Instagram Graph API: lifetime user fields plus the day's account insights, two batch items per account.

What is asked for comes from the specification (`pipelines.platform_spec.instagram`): `impressions` is gone
(`views` replaces it), and a metric the API refuses later is dropped for the run (see `meta.batch_fields`).
"""

from pipelines.clients.base import FetchContext, parse_item
from pipelines.clients.meta import MAX_BATCH_ITEMS, GraphItem, MetaClient, combine
from pipelines.clients.timeutil import wib_day_start_unix
from pipelines.clients.types import Ok, Resolved
from pipelines.registry import Account


class InstagramClient(MetaClient):
    platform = "instagram"
    batch_size = MAX_BATCH_ITEMS // 2  # two items (user fields, insights) per account

    def fetch_batch(self, batch: list[Account], ctx: FetchContext) -> dict[str, Resolved]:
        since = wib_day_start_unix(ctx.day)
        builders = {}
        if ctx.wants("user"):
            builders["user"] = lambda a, names: GraphItem(
                a.platform_user_id, {"fields": ",".join(names)}, self.token_for(a)
            )
        if ctx.wants("insights"):
            window = {"metric_type": "total_value", "period": "day", "since": since, "until": since + 86400}
            builders["insights"] = lambda a, names: GraphItem(
                f"{a.platform_user_id}/insights", {"metric": ",".join(names), **window}, self.token_for(a)
            )
        got = self.batch_fields(ctx, batch, builders)
        out = {}
        for a in batch:
            parts = [got[(a.account_id, req)] for req in builders]
            value: dict = {}
            if all(isinstance(p.verdict, Ok) for p in parts):
                bodies = {req: got[(a.account_id, req)].verdict.value for req in builders}
                parsed = parse_item(self._values, bodies)
                parts.append(Resolved(parsed, 1))
                value = parsed.value if isinstance(parsed, Ok) else {}
            out[a.account_id] = combine(parts, value)
        return out

    def _values(self, bodies: dict[str, dict]) -> dict:
        user = bodies.get("user") or {}
        value = {f.name: user.get(f.wire_name) for f in self.spec.fields_of("user")}
        return value | _insight_values(self.spec.fields_of("insights"), bodies.get("insights") or {})


def _insight_values(fields, body: dict) -> dict:
    """field name -> total_value.value; metrics the API left out (or that were refused) stay None."""
    by_wire = {f.wire_name: f.name for f in fields}
    values = dict.fromkeys(by_wire.values())
    for entry in body.get("data") or []:
        name = by_wire.get(entry.get("name"))
        if name is not None:
            total = entry.get("total_value")
            values[name] = total.get("value") if isinstance(total, dict) else None
    return values

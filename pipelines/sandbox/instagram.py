"""Instagram Graph API nodes: the IG user's lifetime fields and its account insights (total_value).

Fields and metrics, their titles and what simulates them come from the specification
(`pipelines.platform_spec.instagram`); a retired metric (`impressions`) or one configured as refused today
fails the whole insights call with `(#100) metric[i] must be one of the following values: ...`, as Instagram
answers it.
"""

from pipelines.platform_spec import spec
from pipelines.sandbox import post_api
from pipelines.sandbox.meta_errors import error
from pipelines.sandbox.posts import day_start_unix
from pipelines.sandbox.protocol import SandboxApp

SPEC = spec("instagram")
USER_FIELDS = {f.wire_name: f for f in SPEC.fields_of("user")}
INSIGHTS = {f.wire_name: f for f in SPEC.fields_of("insights")}
TIME_SERIES_OK = {"reach"}  # every other metric here exists only as metric_type=total_value
MAX_RANGE_S = 30 * 86400


def _error(message: str) -> tuple[int, dict]:
    return error(100, message)


def handle(app: SandboxApp, i: int, edge: str | None, query: dict, as_of: int, root: str) -> tuple[int, dict]:
    if edge is None:
        return _user(app, i, query, as_of)
    if edge == "insights":
        return _insights(app, i, query, as_of)
    if edge == "media":
        return post_api.ig_media(app, i, query, as_of, root)
    return _error(f"(#100) Tried accessing nonexisting field ({edge}) on node type (IGUser)")


def _user(app: SandboxApp, i: int, query: dict, as_of: int) -> tuple[int, dict]:
    w = app.world
    a = w.accounts[i]
    fields = [f for f in (query.get("fields") or "id").split(",") if f]
    body: dict = {}
    for f in fields:
        if f in USER_FIELDS and not w.refuses("instagram", f):
            body[f] = w.simulated(USER_FIELDS[f].simulated_by, as_of, i)
        elif f == "username":
            body[f] = a.handle
        elif f == "name":
            body[f] = w.units[a.unit_code].unit_name
        elif f != "id":
            return _error(f"(#100) Tried accessing nonexisting field ({f}) on node type (IGUser)")
    body["id"] = a.platform_user_id
    return 200, body


def _insights(app: SandboxApp, i: int, query: dict, as_of: int) -> tuple[int, dict]:
    w = app.world
    names = [m for m in (query.get("metric") or "").split(",") if m]
    if not names:
        return _error("(#100) The parameter metric is required")
    served = [m for m in INSIGHTS if not w.refuses("instagram", m)]
    for k, m in enumerate(names):
        if m not in served:
            return _error(f"(#100) metric[{k}] must be one of the following values: {', '.join(served)}")
    if query.get("period", "day") != "day":
        return _error("(#100) For the requested metrics, period must be one of the following values: day")
    if query.get("metric_type") != "total_value":
        needing = [m for m in names if m not in TIME_SERIES_OK]
        if needing:
            return _error(
                f"(#100) The following metrics ({', '.join(needing)}) should be specified with parameter "
                "metric_type=total_value"
            )
    epoch_unix = day_start_unix(w.epoch)
    try:
        since = int(query.get("since") or day_start_unix(w.date_of(as_of)))
        until = int(query.get("until") or since + 86400)
    except ValueError:
        return _error("(#100) since and until must be Unix timestamps")
    if until <= since:
        return _error("(#100) The since timestamp must be before the until timestamp")
    if until - since > MAX_RANGE_S:
        return _error("(#100) The time range between since and until cannot exceed 30 days")
    first = max(0, (since - epoch_unix) // 86400)
    last = min(as_of, (until - 1 - epoch_unix) // 86400)  # days after the as-of day have no data yet
    if last < first:
        return 200, {"data": []}
    uid = w.accounts[i].platform_user_id
    data = []
    for m in names:
        field = INSIGHTS[m]
        value = sum(w.simulated(field.simulated_by, d, i) for d in range(first, last + 1))
        data.append(
            {
                "name": m,
                "period": "day",
                "title": field.title,
                "description": f"The number of {field.title.lower()}.",
                "total_value": {"value": value},
                "id": f"{uid}/insights/{m}/day",
            }
        )
    return 200, {"data": data}

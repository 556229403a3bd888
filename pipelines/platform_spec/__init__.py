"""The platform specification: one declarative record per platform, from which the rest is derived.

Each platform module (`instagram.py`, ...) holds a `PlatformSpec`: endpoints, the requests the client makes,
the fields it stores (with their kind, the conformed column they feed, the request that provides them, how far
back that request reaches), retired fields with their dates and replacements, and plausible bounds.

Derived from it: the clients' field and metric lists (`pipelines.clients`), the sandbox's answers
(`pipelines.sandbox`), the lake schemas (`pipelines.lake`), the ingestion gate's bounds
(`data_quality.raw_partition_rules`), and the generated files (`python -m pipelines.platform_spec.generate`):
the metric catalogue seed, the dbt platform macro and the dbt sources/staging models of the five platforms.
"""

from pipelines.platform_spec import facebook, instagram, tiktok, x, youtube
from pipelines.platform_spec.model import (
    Absent,
    Credential,
    Derived,
    Doc,
    Field,
    Kind,
    PlatformSpec,
    Request,
    Retired,
)

SPECS: dict[str, PlatformSpec] = {
    s.name: s for s in (instagram.SPEC, facebook.SPEC, youtube.SPEC, x.SPEC, tiktok.SPEC)
}
PLATFORMS: tuple[str, ...] = tuple(SPECS)

# The conformed account-day metrics every platform staging model returns (dbt: account_day_metric_columns()).
CONFORMED_METRICS: tuple[str, ...] = (
    "followers_count",
    "following_count",
    "posts_total_count",
    "new_posts_count",
    "views_count",
    "reach_count",
    "likes_count",
    "comments_count",
    "shares_count",
    "saves_count",
    "engagements_count",
    "views_lifetime_count",
    "likes_lifetime_count",
)


def spec(platform: str) -> PlatformSpec:
    try:
        return SPECS[platform]
    except KeyError:
        raise ValueError(f"unknown platform {platform!r}; expected one of {list(PLATFORMS)}") from None


def availability(s: PlatformSpec, metric: str) -> tuple[str, str, str]:
    """(provided | derived | absent, source field(s), note) of one conformed metric on one platform."""
    field = s.feeding(metric)
    if field is not None:
        return "provided", field.name, field.catalogue_note
    for d in s.derived:
        if d.metric == metric:
            return "derived", ", ".join(d.sources), d.note
    for a in s.absent:
        if a.metric == metric:
            return "absent", "", a.note
    raise ValueError(f"{s.name}: conformed metric {metric} is neither provided, derived nor absent")


def validate(s: PlatformSpec) -> None:
    """Consistency rules a record must keep (checked at import: a broken spec never loads)."""
    names = [f.name for f in s.fields]
    if len(set(names)) != len(names):
        raise ValueError(f"{s.name}: duplicate field names")
    requests = {r.name for r in s.requests}
    for f in s.fields:
        if f.request not in requests:
            raise ValueError(f"{s.name}.{f.name}: unknown request {f.request!r}")
        if f.feeds is not None and f.feeds not in CONFORMED_METRICS:
            raise ValueError(f"{s.name}.{f.name}: feeds unknown conformed column {f.feeds!r}")
        if f.null_when is not None and not s.field(f.null_when).is_flag:
            raise ValueError(f"{s.name}.{f.name}: null_when must name a flag field")
        if not f.is_flag and f.upper is None:
            raise ValueError(f"{s.name}.{f.name}: a count needs a plausible upper bound")
    for metric in CONFORMED_METRICS:
        covered = [f.name for f in s.fields if f.feeds == metric]
        covered += [d.metric for d in s.derived if d.metric == metric]
        covered += [a.metric for a in s.absent if a.metric == metric]
        if len(covered) != 1:
            raise ValueError(
                f"{s.name}: {metric} must be provided, derived or absent exactly once: {covered}"
            )
    for r in s.retired:
        if r.name in names:
            raise ValueError(f"{s.name}: {r.name} is retired but still a field")


for _s in SPECS.values():
    validate(_s)

__all__ = [
    "CONFORMED_METRICS",
    "PLATFORMS",
    "SPECS",
    "Absent",
    "Credential",
    "Derived",
    "Doc",
    "Field",
    "Kind",
    "PlatformSpec",
    "Request",
    "Retired",
    "availability",
    "spec",
    "validate",
]

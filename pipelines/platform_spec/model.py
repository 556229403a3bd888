"""The vocabulary of the platform specification: what a platform is, which requests it answers, which fields
those requests provide and what each field means in the warehouse.

Plain frozen dataclasses with no behaviour beyond lookups: the clients, the sandbox, the lake schemas, the
Great Expectations gate, the metric catalogue and the dbt staging models read them (see `__init__`).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What a field measures, which decides how it may be fetched for a past day and how it is bounded."""

    AUDIENCE = "audience"  # people following the account, as of the fetch (a snapshot)
    LIFETIME = (
        "lifetime"  # a running total since the account began (posts, views, likes received), as of the fetch
    )
    DAILY = "daily"  # what happened on one reporting day (views, reach, interactions, posts published)
    FLAG = "flag"  # a state, true or false (a hidden subscriber count)


class Credential(StrEnum):
    ACCOUNT_TOKEN = "account_token"  # each unit grants a token for its own account (secrets file)
    API_KEY = "api_key"  # the project's own key (`key=` query parameter)
    BEARER_TOKEN = "bearer_token"  # the project's own app-only bearer token


@dataclass(frozen=True)
class Doc:
    """The platform documentation page a statement comes from."""

    title: str
    url: str


@dataclass(frozen=True)
class Request:
    """One kind of API call the client makes, and how far back it can answer.

    `history_days` is the documented reach into the past for a day's values (None: the endpoint only tells
    the current state, so a past day cannot be fetched); `window_days` the longest range one call may ask for.
    """

    name: str
    endpoint: str
    doc: Doc
    history_days: int | None = None
    window_days: int | None = None
    note: str = ""

    @property
    def has_history(self) -> bool:
        return self.history_days is not None


@dataclass(frozen=True)
class Field:
    """One platform-native value stored in the lake (`<lake>/<platform>/account_daily`).

    `name` is the lake column (the API's name, flattened); `api_name` the name in the request or response when
    it differs (a nested path like `public_metrics.followers_count`). `feeds` is the conformed account-day
    column the value provides as it is (`null_when` names a flag that hides it). `upper` is the plausible
    bound of the ingestion gate; `vs_audience` also bounds it by a multiple of the account's audience.
    `simulated_by` tells the sandbox which simulated series answer for it (names joined by " + ").
    """

    name: str
    kind: Kind
    request: str
    description: str
    upper: int | None = None
    api_name: str | None = None
    feeds: str | None = None
    null_when: str | None = None
    vs_audience: bool = False
    title: str | None = None
    catalogue_note: str = ""
    introduced: dt.date | None = None
    doc: Doc | None = None
    simulated_by: str = ""

    @property
    def wire_name(self) -> str:
        """The name the API uses (the last part of a nested path)."""
        return (self.api_name or self.name).rsplit(".", 1)[-1]

    @property
    def is_flag(self) -> bool:
        return self.kind is Kind.FLAG


def fields_from(request: str, doc: Doc, **defaults) -> Callable[..., Field]:
    """A maker of the fields one request provides: `make(name, kind, description, **kw)` fills in the request,
    its documentation page and `defaults` (keywords given to `make` win)."""

    def make(name: str, kind: Kind, description: str, **kw) -> Field:
        return Field(name, kind, request, description, **{"doc": doc, **defaults, **kw})

    return make


@dataclass(frozen=True)
class Retired:
    """A field the platform took away: never requested again; the sandbox refuses it as the platform does."""

    name: str
    request: str
    deprecated: dt.date
    replaced_by: str | None
    doc: Doc
    meaning_change: str = ""


@dataclass(frozen=True)
class Derived:
    """A conformed metric the warehouse computes from fields (downstream of staging)."""

    metric: str
    sources: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Absent:
    """A conformed metric the platform cannot give: it stays null."""

    metric: str
    note: str = ""


@dataclass(frozen=True)
class PlatformSpec:
    name: str
    title: str
    client: str  # "module:Class" of the platform client
    production_base_url: str
    sandbox_path: str  # below the sandbox's URL
    credential: Credential
    requests: tuple[Request, ...]
    fields: tuple[Field, ...]
    derived: tuple[Derived, ...] = ()
    absent: tuple[Absent, ...] = ()
    retired: tuple[Retired, ...] = ()
    note: str = ""  # what a reader of the staging model should know about this platform's figures

    @property
    def per_account_token(self) -> bool:
        return self.credential is Credential.ACCOUNT_TOKEN

    def request(self, name: str) -> Request:
        for r in self.requests:
            if r.name == name:
                return r
        raise KeyError(f"{self.name} has no request {name!r}")

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")

    def fields_of(self, request: str) -> tuple[Field, ...]:
        """The fields one request provides, in specification order."""
        return tuple(f for f in self.fields if f.request == request)

    def wire_names(self, request: str) -> tuple[str, ...]:
        """What the client asks the request for (metric= / fields= lists)."""
        return tuple(f.wire_name for f in self.fields_of(request))

    def history_requests(self, age_days: int) -> frozenset[str]:
        """The requests that still answer for a day `age_days` before today (documented history)."""
        return frozenset(r.name for r in self.requests if r.has_history and age_days <= r.history_days)

    def feeding(self, metric: str) -> Field | None:
        return next((f for f in self.fields if f.feeds == metric), None)

"""What the HTTP layer hands to a platform handler, and what it gets back."""

import datetime as dt
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pipelines.sandbox.config import SandboxConfig
from pipelines.sandbox.faults import FaultRoller
from pipelines.sandbox.limits import DailyQuota, WindowLimiter
from pipelines.sandbox.stats import Stats
from pipelines.sandbox.world import World


@dataclass
class Request:
    method: str
    path: str  # below the platform prefix, e.g. "/users" or "/17841400000000000/insights"
    query: dict[str, str]  # last value wins, as the platforms treat repeated parameters
    headers: Any  # case-insensitive mapping (http.server's message object)
    body: bytes
    as_of: int  # day index selected by X-Sandbox-As-Of (clamped), else today
    base_url: str  # scheme://host:port the client used, for absolute paging URLs


@dataclass
class Response:
    status: int
    payload: Any  # JSON-serialisable, or bytes sent as they are
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=UTF-8"

    def body(self) -> bytes:
        if isinstance(self.payload, bytes):
            return self.payload
        return json.dumps(self.payload, separators=(",", ":")).encode()


@dataclass
class SandboxApp:
    """Everything a handler may touch: the read-only world plus the shared, locked counters.

    `rollover` (a `rollover.Rollover`, on the real clock only) replaces `world` after midnight WIB; a request
    takes `for_request(day)`: this app with the world pinned, so one request never mixes two worlds."""

    world: World
    config: SandboxConfig
    limiter: WindowLimiter
    quota: DailyQuota
    faults: FaultRoller
    stats: Stats
    write_files: Callable[[], dict] | None = (
        None  # rewrites ground truth and tokens (POST /_sandbox/ground_truth)
    )
    rollover: Any = None

    @classmethod
    def build(cls, world: World, clock: Callable[[], float] = time.time) -> "SandboxApp":
        """`clock` (Unix seconds) is the calendar: YouTube's Pacific quota day. Rate-limit windows stay
        on the real clock: clients sleep real seconds for them."""
        config = world.config
        return cls(
            world=world,
            config=config,
            limiter=WindowLimiter(),
            quota=DailyQuota(config.youtube_quota_per_day, clock=clock),
            faults=FaultRoller(config, world.seed),
            stats=Stats(),
        )

    def for_request(self, day: dt.date | None = None) -> "SandboxApp":
        """This app with the current world pinned for one request asking for `day` (None = today)."""
        if self.rollover is None:
            return self  # a fixed world is never replaced
        pinned = object.__new__(SandboxApp)  # a shallow copy: 0.5 us, copy.copy takes 2.5 us
        pinned.__dict__.update(self.__dict__)
        pinned.world = self.rollover.current(day)
        return pinned


def trace_id() -> str:
    """fbtrace_id / log_id look-alike (random: real ones are unique per call)."""
    return secrets.token_urlsafe(8)


def html_error(status: int, reason: str) -> Response:
    """What a gateway in front of an API sends on 502/503: not JSON at all."""
    body = (
        f"<html><head><title>{status} {reason}</title></head><body><h1>{status} {reason}</h1></body></html>"
    )
    return Response(status, body.encode(), content_type="text/html; charset=UTF-8")

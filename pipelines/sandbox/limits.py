"""Real rate limits, scaled down to short windows, and YouTube's daily quota.

Fixed windows keyed by (limit name, key): a key is an access token, an API key or the whole app. A call that
would pass the limit is refused and not counted, so a client that waits for the reset gets through.
"""

import datetime as dt
import math
import threading
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from pipelines.sandbox.config import RateLimit

PACIFIC = ZoneInfo("America/Los_Angeles")


@dataclass(frozen=True)
class Usage:
    allowed: bool
    used: int
    limit: int
    reset_at: float  # Unix seconds when the window resets

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    @property
    def percent(self) -> int:
        return min(100, math.ceil(100 * self.used / self.limit)) if self.limit else 100

    def retry_after(self, now: float | None = None) -> int:
        return max(1, math.ceil(self.reset_at - (time.time() if now is None else now)))


class WindowLimiter:
    def __init__(self, clock=time.time):
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, str], tuple[float, int]] = {}

    def hit(self, name: str, key: str, limit: RateLimit, cost: int = 1) -> Usage:
        now = self._clock()
        start = math.floor(now / limit.window_s) * limit.window_s
        with self._lock:
            window, used = self._windows.get((name, key), (start, 0))
            if window != start:
                used = 0
            allowed = used + cost <= limit.limit
            if allowed:
                used += cost
            self._windows[(name, key)] = (start, used)
        return Usage(allowed, used, limit.limit, start + limit.window_s)

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()


class DailyQuota:
    """Units per key per Pacific calendar day (YouTube resets its quota at midnight Pacific)."""

    def __init__(self, per_day: int, clock=time.time):
        self.per_day = per_day
        self._clock = clock
        self._lock = threading.Lock()
        self._used: dict[tuple[str, dt.date], int] = {}

    def spend(self, key: str, cost: int = 1) -> bool:
        day = dt.datetime.fromtimestamp(self._clock(), PACIFIC).date()
        with self._lock:
            used = self._used.get((key, day), 0)
            if used + cost > self.per_day:
                return False
            self._used[(key, day)] = used + cost
            return True

    def used(self) -> dict[str, int]:
        with self._lock:
            out: dict[str, int] = {}
            for (key, _day), n in self._used.items():
                out[key] = out.get(key, 0) + n
            return out

    def reset(self) -> None:
        with self._lock:
            self._used.clear()

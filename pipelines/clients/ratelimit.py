"""Client-side rate limiting: a token bucket per platform that response headers can pause.

The bucket keeps a steady request rate across all worker threads of one platform; a pause (from
`x-rate-limit-remaining: 0`, Meta's `estimated_time_to_regain_access`, a `Retry-After`) holds every thread
of the platform, not only the one that saw the header. Every pause is capped by the caller so a hostile or
broken header cannot hang a run.
"""

import email.utils
import threading
import time


class Clock:
    """Wall time (for Unix reset headers), monotonic time (for waits) and sleep; injectable in tests."""

    def time(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class TokenBucket:
    def __init__(self, rate_per_s: float, burst: int, clock: Clock):
        self.rate = float(rate_per_s)
        self.capacity = float(burst)
        self.clock = clock
        self._tokens = float(burst)
        self._last = clock.monotonic()
        self._paused_until = 0.0
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Take one token, sleeping as long as needed; returns the seconds waited."""
        with self._lock:
            now = self.clock.monotonic()
            self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate)
            self._last = now
            # Reserve the token now (the balance may go negative): later callers queue behind us.
            self._tokens -= 1.0
            wait = max(-self._tokens / self.rate if self._tokens < 0 else 0.0, self._paused_until - now)
        self.clock.sleep(wait)
        return max(wait, 0.0)

    def pause_for(self, seconds: float) -> None:
        """Hold every caller for `seconds` from now (extends, never shortens, a running pause)."""
        if seconds <= 0:
            return
        with self._lock:
            self._paused_until = max(self._paused_until, self.clock.monotonic() + seconds)


def parse_retry_after(value: str | None, now_unix: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now_unix)

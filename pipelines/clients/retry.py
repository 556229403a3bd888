"""Retries with capped exponential backoff and full jitter, over a set of keys sharing one request.

A batched request answers for many accounts at once, and each can come back differently (a Meta batch item
throttled while its neighbours succeed; an X lookup where one id is suspended). So the retry loop runs over
keys: every round sends one request for the keys still pending, settles the keys that got a final answer
(Ok or Fail) and retries the rest, each key counting its own attempts. A single request is the one-key case.
"""

import datetime as dt
import logging
import random
import threading
from collections.abc import Callable, Hashable, Sequence

from pipelines.clients.http import Counters
from pipelines.clients.ratelimit import Clock, TokenBucket
from pipelines.clients.types import FAILED, RATE_LIMITED, Fail, Ok, Resolved, Retry, Verdict

log = logging.getLogger("pipelines.clients")


# A retry_at further ahead than this is not believed (a broken or hostile header): the account is offered
# again a day later at the latest.
MAX_RETRY_AT_S = 86_400.0


class RetryPolicy:
    def __init__(
        self,
        max_retries: int,
        base_s: float,
        cap_s: float,
        rng: random.Random | None = None,
        max_server_wait_s: float | None = None,
    ):
        self.max_attempts = max(1, max_retries + 1)
        self.base_s = base_s
        self.cap_s = cap_s
        # Server-directed waits up to this are waited out; longer ones are not waited at all (rate_limited).
        self.max_server_wait_s = cap_s if max_server_wait_s is None else max_server_wait_s
        self.rng = rng or random.Random()
        self._lock = threading.Lock()  # random.Random is not documented as thread-safe

    def backoff(self, attempt: int) -> float:
        """Full jitter (AWS architecture blog): uniform in [0, min(cap, base * 2^(attempt-1))]."""
        ceiling = min(self.cap_s, self.base_s * (2 ** max(0, attempt - 1)))
        with self._lock:
            return self.rng.uniform(0.0, ceiling)

    def wait(self, attempt: int, server_wait_s: float | None) -> float:
        """Seconds before the next attempt: our jittered backoff, or what the server asked for if longer
        (never more than max_server_wait_s: a longer server wait is not waited but reported)."""
        return max(self.backoff(attempt), min(server_wait_s or 0.0, self.max_server_wait_s))

    def too_long(self, v: Retry) -> bool:
        return v.wait_s is not None and v.wait_s > self.max_server_wait_s


class StopFlag:
    """Trips once for the whole platform (quota gone, project credential rejected); first reason wins."""

    def __init__(self) -> None:
        self._fail: Fail | None = None
        self._lock = threading.Lock()

    def trip(self, fail: Fail) -> None:
        with self._lock:
            if self._fail is None:
                self._fail = fail

    @property
    def fail(self) -> Fail | None:
        return self._fail


AttemptFn = Callable[[list[Hashable]], Verdict | dict[Hashable, Verdict]]


class Retrier:
    def __init__(
        self,
        platform: str,
        policy: RetryPolicy,
        clock: Clock,
        limiter: TokenBucket,
        counters: Counters,
        stop: StopFlag,
    ):
        self.platform = platform
        self.policy = policy
        self.clock = clock
        self.limiter = limiter
        self.counters = counters
        self.stop = stop

    def run(self, keys: Sequence[Hashable], attempt: AttemptFn) -> dict[Hashable, Resolved]:
        """`attempt(pending)` sends one request and returns one verdict for all keys or one per key."""
        attempts = {k: 0 for k in keys}
        done: dict[Hashable, Resolved] = {}
        pending = list(dict.fromkeys(keys))
        while pending:
            if self.stop.fail is not None:  # another request found the platform closed for today
                done.update({k: Resolved(self.stop.fail, attempts[k]) for k in pending})
                break
            for k in pending:
                attempts[k] += 1
            answer = attempt(pending)
            verdicts = answer if isinstance(answer, dict) else dict.fromkeys(pending, answer)
            retry: list[Hashable] = []
            last: list[Retry] = []
            for k in pending:
                v = verdicts.get(k) or Retry("no_answer", code="no_answer", message="key missing from reply")
                if isinstance(v, Ok | Fail):
                    done[k] = Resolved(v, attempts[k])
                    if isinstance(v, Fail) and v.stop_platform:
                        self.stop.trip(v)
                elif self.policy.too_long(v):  # never re-send into a window the server said is closed
                    fail = rate_limited(v, self.clock.time())
                    done[k] = Resolved(fail, attempts[k])
                    if v.platform_wide:
                        self.stop.trip(fail)
                elif attempts[k] >= self.policy.max_attempts:
                    done[k] = Resolved(_exhausted(v), attempts[k])
                else:
                    retry.append(k)
                    last.append(v)
            if any(isinstance(v, Retry) and v.throttled for v in verdicts.values()):
                self.counters.add(throttled=1)  # one round is one request: count the response once
            if retry:
                self._back_off(retry, last, attempts)
            pending = retry
        return done

    def run_one(self, attempt: Callable[[], Verdict]) -> Resolved:
        return self.run(["_"], lambda _pending: attempt())["_"]

    def _back_off(self, retry: list[Hashable], last: list[Retry], attempts: dict) -> None:
        server_wait = max((v.wait_s or 0.0) for v in last)
        platform_wait = max((v.wait_s or 0.0 for v in last if v.throttled and v.platform_wide), default=0.0)
        if platform_wait > 0:
            # The server said the whole platform must wait: hold the other threads as well.
            self.limiter.pause_for(platform_wait)
        attempt_no = max(attempts[k] for k in retry)
        wait = self.policy.wait(attempt_no, server_wait)
        first = last[0]
        log.info(
            "%s: retrying %d key(s) after %s (%s, HTTP %s), attempt %d/%d, waiting %.2fs",
            self.platform,
            len(retry),
            first.reason,
            first.code,
            first.http_status,
            attempt_no + 1,
            self.policy.max_attempts,
            wait,
        )
        self.counters.add(retries=1)
        self.clock.sleep(wait)


def rate_limited(v: Retry, now_unix: float) -> Fail:
    """The verdict for keys whose server-directed wait is longer than the client waits."""
    wait = min(v.wait_s or 0.0, MAX_RETRY_AT_S)
    return Fail(
        RATE_LIMITED,
        code=v.code or v.reason,
        message=f"the platform asked to wait {v.wait_s:.0f} s ({v.message or v.reason}); not re-sent before then",
        http_status=v.http_status,
        retry_at=dt.datetime.fromtimestamp(round(now_unix + wait), dt.UTC),  # to the second, as headers say
    )


def _exhausted(v: Retry) -> Fail:
    return Fail(
        FAILED,
        code=v.code or v.reason,
        message=f"retries exhausted; last error: {v.message or v.reason}",
        http_status=v.http_status,
    )

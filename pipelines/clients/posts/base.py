"""The platform-independent half of post fetching: observation window, concurrency, outcomes, rows.

A platform's post client subclasses its account-day client (same transport, limiter, retries, error
classifiers) and `PostFetcher`, and declares only `fetch_posts_batch`: the requests for one batch of
accounts and how their answers become `PostRow`s and `CommentRow`s. A post is re-observed every day for
`observe_days` days after its publication (lifetime metrics grow, then settle), not every day for ever.
"""

import datetime as dt
import logging
import time
import traceback
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from pipelines.clients.base import FetchContext, chunks
from pipelines.clients.http import Counters
from pipelines.clients.retry import Retrier, StopFlag
from pipelines.clients.timeutil import WIB, wib_day_start_unix
from pipelines.clients.types import FAILED, MISSING_TOKEN, AccountOutcome, Fail, Ok, Resolved
from pipelines.platform_spec.posts import POST_METRICS, PostSpec, post_spec
from pipelines.registry import Account

log = logging.getLogger("pipelines.clients")
DEFAULT_OBSERVE_DAYS = 7


@dataclass(frozen=True)
class ObservationWindow:
    """Posts published from 00:00 WIB of `first_day` up to the end of `day` (the observed day)."""

    day: dt.date
    observe_days: int

    @property
    def first_day(self) -> dt.date:
        return self.day - dt.timedelta(days=self.observe_days - 1)

    @property
    def since(self) -> int:
        return wib_day_start_unix(self.first_day)

    @property
    def until(self) -> int:
        return wib_day_start_unix(self.day) + 86400

    def holds(self, published: dt.datetime) -> bool:
        return self.since <= published.timestamp() < self.until


@dataclass
class PostValues:
    """One post as the platform module read it: conformed metrics (None: the platform does not give it)."""

    post_id: str
    published_at: dt.datetime
    native_type: str
    duration_s: int | None = None
    metrics: dict[str, int | None] = field(default_factory=dict)


@dataclass
class CommentValues:
    """One top-level comment: only what the reply-rate needs (no commenter, no text)."""

    post_id: str
    comment_id: str
    commented_at: dt.datetime
    first_account_reply_at: dt.datetime | None
    reply_count: int | None


@dataclass
class AccountPosts:
    posts: list[PostValues]
    comments: list[CommentValues] | None  # None: comments were not fetched (platform or setting)


@dataclass
class PostFetchResult:
    platform: str
    day: dt.date
    observe_days: int
    posts: list[dict]
    comments: list[dict]
    outcomes: list[AccountOutcome]
    requests_made: int
    retries: int
    throttled: int
    comments_fetched: bool
    not_backfilled: tuple[str, ...] = ()  # the account-day fetch log's field: posts are never backfilled

    def status_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for o in self.outcomes:
            counts[o.status] = counts.get(o.status, 0) + 1
        return counts


def parse_time(value: str) -> dt.datetime:
    """ISO 8601 timestamps as the platforms write them (Meta's +0000, Google's / X's Z, fractions)."""
    text = value.strip().replace("Z", "+00:00")
    if len(text) >= 5 and text[-5] in "+-" and text[-3] != ":":
        text = text[:-2] + ":" + text[-2:]
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"timestamp without a zone: {value!r}")
    return moment.astimezone(dt.UTC)


def first_reply_by(replies: list[tuple[str | None, str | None]], own_id: str) -> dt.datetime | None:
    """The earliest reply whose author is the account itself, from (author id, timestamp) pairs."""
    own = [parse_time(at) for who, at in replies if who == own_id and at]
    return min(own) if own else None


class PostFetcher:
    """Mixin for a `PlatformClient` subclass: `fetch_posts(accounts, day)` observes recent posts."""

    post_batch_size: int = 50

    @property
    def posts_spec(self) -> PostSpec:
        return post_spec(self.platform)

    def fetch_posts_batch(
        self, batch: list[Account], ctx: FetchContext, window: ObservationWindow, comments: bool
    ) -> dict[str, Resolved]:
        """account_id -> Resolved(Ok(AccountPosts) | Fail)."""
        raise NotImplementedError

    def fetch_posts(
        self,
        accounts: Sequence[Account],
        day: dt.date,
        *,
        observe_days: int = DEFAULT_OBSERVE_DAYS,
        comments: bool = True,
    ) -> PostFetchResult:
        """Recent posts (published in the `observe_days` days ending on `day`, WIB) and their lifetime metrics
        as observed on `day`; with `comments`, their comments and the account's replies where the API has them."""
        if observe_days < 1:
            raise ValueError("observe_days must be at least 1")
        started = time.monotonic()
        self._check_input(accounts)
        comments = comments and self.posts_spec.comments
        counters = Counters()
        retrier = Retrier(self.platform, self.policy, self.clock, self.limiter, counters, StopFlag())
        ctx = FetchContext((day,), counters, retrier, frozenset(r.name for r in self.posts_spec.requests))
        window = ObservationWindow(day, observe_days)
        resolved: dict[str, Resolved] = {}
        runnable: list[Account] = []
        no_credential = self.missing_credential()
        for a in accounts:
            if no_credential is not None:
                resolved[a.account_id] = Resolved(no_credential, 0)
            elif self.per_account_token and not self.token_for(a):
                why = Fail(
                    MISSING_TOKEN, "missing_token", "no access token for this account in the secrets store"
                )
                resolved[a.account_id] = Resolved(why, 0)
            else:
                runnable.append(a)
        batches = list(chunks(runnable, self.post_batch_size))
        if batches:
            workers = max(1, min(self.config.max_concurrency, len(batches)))
            with ThreadPoolExecutor(workers, thread_name_prefix=f"{self.platform}-posts") as pool:
                for answer in pool.map(lambda b: self._run_posts_batch(b, ctx, window, comments), batches):
                    resolved.update(answer)
        result = self._assemble_posts(accounts, window, resolved, counters, comments)
        log.info(
            "%s posts %s (%d days): %d accounts -> %s; %d posts, %d comments; %d requests, %.2fs",
            self.platform,
            day,
            observe_days,
            len(accounts),
            result.status_counts(),
            len(result.posts),
            len(result.comments),
            counters.requests_made,
            time.monotonic() - started,
        )
        return result

    def _run_posts_batch(self, batch, ctx, window, comments) -> dict[str, Resolved]:
        try:
            answer = self.fetch_posts_batch(batch, ctx, window, comments)
        except Exception as exc:  # an unexpected shape must not sink the other batches
            detail = self.redact("".join(traceback.format_exception(exc)))
            log.error(
                "%s posts: unexpected error in a batch of %d accounts:\n%s", self.platform, len(batch), detail
            )
            fail = Fail(FAILED, "client_error", f"{type(exc).__name__}: {exc}")
            return {a.account_id: Resolved(fail, 1) for a in batch}
        missing = Fail(FAILED, "no_result", "the client produced no result for this account")
        return {a.account_id: answer.get(a.account_id) or Resolved(missing, 1) for a in batch}

    def _assemble_posts(self, accounts, window, resolved, counters, comments) -> PostFetchResult:
        posts, comment_rows, outcomes = [], [], []
        for a in accounts:
            r = resolved[a.account_id]
            v = r.verdict
            if isinstance(v, Ok):
                try:
                    got_posts, got_comments = self._post_rows(a, window, v.value)
                except (TypeError, ValueError) as exc:
                    v = Fail(FAILED, "bad_value", f"{type(exc).__name__}: {exc}")
                else:
                    posts += got_posts
                    comment_rows += got_comments
            outcomes.append(self.outcome(a.account_id, v, r.attempts))
        return PostFetchResult(
            self.platform,
            window.day,
            window.observe_days,
            posts,
            comment_rows,
            outcomes,
            counters.requests_made,
            counters.retries,
            counters.throttled,
            comments,
        )

    def _post_rows(self, a: Account, window: ObservationWindow, got: AccountPosts) -> tuple[list, list]:
        spec = self.posts_spec
        base = {
            "account_id": a.account_id,
            "platform_user_id": a.platform_user_id,
            "unit_code": a.unit_code,
            "metric_date": window.day,
        }
        seen: set[str] = set()
        rows = []
        for p in got.posts:
            if not window.holds(p.published_at) or p.post_id in seen:
                continue  # outside the window (a list page reaching further back) or listed twice
            seen.add(p.post_id)
            values = {m: _count(p.metrics.get(m)) if m in spec.metrics else None for m in POST_METRICS}
            rows.append(
                {
                    **base,
                    "post_id": p.post_id,
                    "published_at": p.published_at,
                    "published_date": p.published_at.astimezone(WIB).date(),
                    "age_days": (window.day - p.published_at.astimezone(WIB).date()).days,
                    "content_type": spec.content_type(p.native_type),
                    "native_type": p.native_type,
                    "duration_s": p.duration_s,
                    **values,
                }
            )
        comment_rows = []
        for c in got.comments or []:
            if c.post_id not in seen:
                continue  # a comment on an older post: outside the observation window
            reply = c.first_account_reply_at
            comment_rows.append(
                {
                    **base,
                    "post_id": c.post_id,
                    "comment_id": c.comment_id,
                    "commented_at": c.commented_at,
                    "has_account_reply": reply is not None,
                    "first_account_reply_at": reply,
                    "reply_count": c.reply_count,
                }
            )
        return rows, comment_rows


def _count(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"boolean {value!r} where a count was expected")
    number = int(value)  # ints and numeric strings (YouTube statistics)
    if number < 0:
        raise ValueError(f"negative count {number}")
    return number

"""Benchmark: the daily request budget of posts and comments, measured on the sandbox and scaled to a nation.

    python -m pipelines.clients.post_budget [--accounts 20000] [--observe-days 7] [--registry-dir DIR]

Starts the quiet sandbox on the registry and runs, per platform, yesterday's account-day fetch and post fetch
(with comments where the API has them), counting HTTP requests, the Graph batch items Meta counts against its
limits, and YouTube quota units. It then scales the per-account figures to `--accounts` accounts spread over the
platforms as in the registry, and compares each platform's daily need with its production limit:

- Meta (Instagram, Facebook Pages): Business Use Case limit per token = 4,800 calls x engaged users (Pages) or
  x impressions (Instagram) per 24 h; with one token per account the floor (one engaged user) is 4,800 calls per
  account and day. Each Graph batch item is one call. The client sends batch calls at MetaClient.rate_per_s.
- YouTube Data API: 10,000 quota units per project and day; every call used here costs 1 unit.
- X: 300 requests per 15 minutes per app (the issue's figure for the app-only timeline; users lookup the same).
- TikTok: 600 requests per minute per endpoint.

A worst case is printed too: every account at the comment-page caps of the clients (Instagram/Facebook
MAX_COMMENT_PAGES per post, YouTube MAX_THREAD_PAGES per channel), since the sandbox caps comments per post.
"""

import argparse
import dataclasses
import datetime as dt
import math
import os
import tempfile
import time
from pathlib import Path

from pipelines.clients import build_client
from pipelines.clients.meta import MAX_BATCH_ITEMS, MetaClient
from pipelines.clients.posts import build_post_client
from pipelines.clients.posts import meta as meta_posts
from pipelines.clients.posts import platforms as post_platforms
from pipelines.ingest import api_accounts, client_config_for
from pipelines.platform_spec import PLATFORMS
from pipelines.registry import load_accounts
from pipelines.settings import get_settings

DAY_S = 86400
META_CALLS_PER_TOKEN_DAY = 4800
YOUTUBE_UNITS_PER_DAY = 10_000
X_PER_15_MIN = 300
TIKTOK_PER_MIN = 600


@dataclasses.dataclass
class Measured:
    platform: str
    accounts: int
    account_day_requests: int
    post_requests: int
    graph_items: int  # Graph batch items (Meta counts each as a call)
    posts: int
    comments: int
    seconds: float

    def per_account(self, value: int) -> float:
        return value / self.accounts if self.accounts else 0.0


def _graph_items(sandbox) -> int:
    return sum(sandbox.stats()["graph_batch_items"].values())


def measure(sandbox, platform: str, accounts, day: dt.date, observe_days: int) -> Measured:
    config = client_config_for(platform, get_settings(), sandbox_url=sandbox.url)
    targets = api_accounts(platform, day, accounts)
    started, items_before = time.monotonic(), _graph_items(sandbox)
    with build_client(platform, config) as client:
        daily = client.fetch_day(targets, day)
    with build_post_client(platform, config) as client:
        posts = client.fetch_posts(targets, day, observe_days=observe_days)
    ok = sum(o.status == "ok" for o in posts.outcomes)
    return Measured(
        platform,
        ok,
        daily.requests_made,
        posts.requests_made,
        _graph_items(sandbox) - items_before,
        len(posts.posts),
        len(posts.comments),
        time.monotonic() - started,
    )


def budget(m: Measured, n_accounts: int, observe_days: int) -> dict:
    """Daily need and fit at production limits for `n_accounts` accounts of the platform."""
    per_acct_requests = m.per_account(m.account_day_requests + m.post_requests)
    posts_per_acct = m.per_account(m.posts)  # post observations per account and day
    p = m.platform
    out = {"requests_per_account_day": per_acct_requests, "daily_requests": per_acct_requests * n_accounts}
    if p in ("instagram", "facebook"):
        items = m.per_account(m.graph_items)
        # worst case: every post at the comment-page cap (one list item + insights + comment pages per post)
        worst_items = 2 + posts_per_acct * (1 + meta_posts.MAX_COMMENT_PAGES)
        calls = items * n_accounts / MAX_BATCH_ITEMS
        out |= {
            "limit": f"{META_CALLS_PER_TOKEN_DAY} calls/token/day (BUC floor)",
            "need_per_token": items,
            "worst_per_token": worst_items,
            "fits": worst_items <= META_CALLS_PER_TOKEN_DAY,
            "wall_s": calls / MetaClient.rate_per_s,
        }
    elif p == "youtube":
        units = per_acct_requests * n_accounts
        # worst: uploads + every thread page per channel, videos.list for twice the measured videos, channels.list
        videos = max(posts_per_acct, 1.0) * 2 * n_accounts
        worst = (
            n_accounts * (1 + post_platforms.MAX_THREAD_PAGES)
            + math.ceil(videos / 50)
            + math.ceil(n_accounts / 50)
        )
        out |= {
            "limit": f"{YOUTUBE_UNITS_PER_DAY} units/day",
            "units": units,
            "worst_units": worst,
            "fits": units <= YOUTUBE_UNITS_PER_DAY,
            "worst_fits": worst <= YOUTUBE_UNITS_PER_DAY,
            "wall_s": units / post_platforms.YouTubePostClient.rate_per_s,
        }
    elif p == "x":
        need = per_acct_requests * n_accounts
        capacity = X_PER_15_MIN * DAY_S / 900
        out |= {
            "limit": f"{X_PER_15_MIN}/15 min = {capacity:.0f}/day",
            "fits": need <= capacity,
            "wall_s": need / (X_PER_15_MIN / 900),
        }
    else:
        need = per_acct_requests * n_accounts
        capacity = TIKTOK_PER_MIN * 60 * 24 * 2  # two endpoints, each 600/min
        out |= {
            "limit": f"{TIKTOK_PER_MIN}/min per endpoint",
            "fits": need <= capacity,
            "wall_s": need / (TIKTOK_PER_MIN / 60),  # one endpoint's rate: the conservative figure
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=20_000, help="national accounts to budget for")
    parser.add_argument("--observe-days", type=int, default=7)
    parser.add_argument("--registry-dir", type=Path, default=None)
    args = parser.parse_args(argv)

    from pipelines.sandbox import SandboxConfig, start_sandbox

    data_dir = Path(tempfile.mkdtemp(prefix="medsos-post-budget-"))
    os.environ["MEDSOS_DATA_DIR"] = str(data_dir)
    os.environ.pop("MEDSOS_API_MODE", None)
    with start_sandbox(
        port=0, seed=42, data_dir=data_dir, config=SandboxConfig.quiet(), registry_dir=args.registry_dir
    ) as sandbox:
        accounts = load_accounts(args.registry_dir / "registry_accounts.csv" if args.registry_dir else None)
        day = sandbox.world.today - dt.timedelta(days=1)
        measured = [measure(sandbox, p, accounts, day, args.observe_days) for p in PLATFORMS]
    total = sum(m.accounts for m in measured)
    print(f"Measured on the sandbox, {day}, observe {args.observe_days} days, {total} accounts fetched:")
    print(
        f"{'platform':<10} {'accounts':>8} {'acct-day req':>12} {'post req':>9} {'req/acct':>9} "
        f"{'graph items/acct':>16} {'posts/acct':>10} {'comments/acct':>13} {'s':>6}"
    )
    for m in measured:
        items = f"{m.per_account(m.graph_items):.2f}" if m.graph_items else "-"
        print(
            f"{m.platform:<10} {m.accounts:>8} {m.account_day_requests:>12} {m.post_requests:>9} "
            f"{m.per_account(m.account_day_requests + m.post_requests):>9.3f} {items:>16} "
            f"{m.per_account(m.posts):>10.2f} {m.per_account(m.comments):>13.2f} {m.seconds:>6.1f}"
        )
    print(f"\nScaled to {args.accounts} accounts (platform shares as in the registry), per day:")
    all_fit = True
    for m in measured:
        n = round(args.accounts * m.accounts / total) if total else 0
        b = budget(m, n, args.observe_days)
        fits = b["fits"] and b.get("worst_fits", True)
        all_fit &= fits
        extra = ""
        if "need_per_token" in b:
            extra = f"calls/token {b['need_per_token']:.1f} (worst {b['worst_per_token']:.0f})"
        elif "units" in b:
            extra = f"units {b['units']:.0f} (worst {b['worst_units']:.0f})"
        print(
            f"  {m.platform:<10} {n:>6} accounts: {b['daily_requests']:>9.0f} requests, {extra:<34} "
            f"limit {b['limit']:<38} wall {b['wall_s'] / 3600:>5.2f} h  fits={'yes' if fits else 'NO'}"
        )
    print(f"\nnational daily schedule fits: {'yes' if all_fit else 'NO'}")
    return 0 if all_fit else 1


if __name__ == "__main__":
    raise SystemExit(main())

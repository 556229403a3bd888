"""Platform API clients: one shared core (pooled HTTP, rate limiting, batching, retries) and one small
module per platform. The ingestion assets call `build_client(platform, config).fetch_day(accounts, day)`."""

import random

from pipelines.clients.base import PlatformClient
from pipelines.clients.facebook import FacebookClient
from pipelines.clients.instagram import InstagramClient
from pipelines.clients.ratelimit import Clock
from pipelines.clients.tiktok import TikTokClient
from pipelines.clients.types import STATUSES, AccountOutcome, ClientConfig, FetchResult
from pipelines.clients.x import XClient
from pipelines.clients.youtube import YouTubeClient

CLIENTS: dict[str, type[PlatformClient]] = {
    "instagram": InstagramClient,
    "facebook": FacebookClient,
    "youtube": YouTubeClient,
    "x": XClient,
    "tiktok": TikTokClient,
}


def build_client(
    platform: str, config: ClientConfig, *, clock: Clock | None = None, rng: random.Random | None = None
) -> PlatformClient:
    """A client for one platform. `clock` and `rng` exist for tests (virtual time, seeded jitter)."""
    try:
        cls = CLIENTS[platform]
    except KeyError:
        raise ValueError(f"unknown platform {platform!r}; expected one of {sorted(CLIENTS)}") from None
    return cls(config, clock=clock, rng=rng)


__all__ = [
    "CLIENTS",
    "STATUSES",
    "AccountOutcome",
    "ClientConfig",
    "FetchResult",
    "PlatformClient",
    "build_client",
]

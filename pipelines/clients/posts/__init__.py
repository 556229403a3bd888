"""Post and comment fetching: `build_post_client(platform, config).fetch_posts(accounts, day)`.

Each post client is its platform's account-day client (one shared HTTP, batching and retry core) plus the
post requests of `pipelines.platform_spec.posts`."""

import random

from pipelines.clients.drift import RefusedFields
from pipelines.clients.posts.base import DEFAULT_OBSERVE_DAYS, ObservationWindow, PostFetchResult
from pipelines.clients.posts.platforms import POST_CLIENTS
from pipelines.clients.ratelimit import Clock
from pipelines.clients.types import ClientConfig


def build_post_client(
    platform: str,
    config: ClientConfig,
    *,
    clock: Clock | None = None,
    rng: random.Random | None = None,
    refused: RefusedFields | None = None,
):
    return POST_CLIENTS[platform](config, clock=clock, rng=rng, refused=refused)


__all__ = [
    "DEFAULT_OBSERVE_DAYS",
    "POST_CLIENTS",
    "ObservationWindow",
    "PostFetchResult",
    "build_post_client",
]

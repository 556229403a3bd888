"""Platform API clients: one shared core (pooled HTTP, rate limiting, batching, retries) and one small
module per platform. The ingestion assets call `build_client(platform, config).fetch_day(accounts, day)`.
Which module serves a platform is part of its specification (`PlatformSpec.client`)."""

import importlib
import random

from pipelines.clients.base import PlatformClient
from pipelines.clients.drift import RefusedFields
from pipelines.clients.ratelimit import Clock
from pipelines.clients.types import STATUSES, AccountOutcome, ClientConfig, FetchResult
from pipelines.platform_spec import SPECS, spec


def client_class(platform: str) -> type[PlatformClient]:
    module, _, name = spec(platform).client.partition(":")
    return getattr(importlib.import_module(module), name)


CLIENTS: dict[str, type[PlatformClient]] = {name: client_class(name) for name in SPECS}


def build_client(
    platform: str,
    config: ClientConfig,
    *,
    clock: Clock | None = None,
    rng: random.Random | None = None,
    refused: RefusedFields | None = None,
) -> PlatformClient:
    """A client for one platform. `refused` carries the fields the platform refused earlier in the run (so a
    backfill asks for a deprecated metric once, not once a day); `clock` and `rng` exist for tests."""
    return client_class(platform)(config, clock=clock, rng=rng, refused=refused)


__all__ = [
    "CLIENTS",
    "STATUSES",
    "AccountOutcome",
    "ClientConfig",
    "FetchResult",
    "PlatformClient",
    "RefusedFields",
    "build_client",
    "client_class",
]

"""Request-level transient faults, drawn at the configured rates (seeded, shared by handler threads).

Kinds: `throttle` (the platform's throttling answer with its headers), `server_error` (HTTP 500/502/503),
`timeout` (the real answer, held past the client's timeout), `malformed` (HTTP 200, JSON cut in half).
Graph batch items have their own draw: a throttled item, an item with HTTP 500, or a null item.
"""

import random
import threading

from pipelines.sandbox.config import FAULT_KINDS, SandboxConfig

ITEM_FAULTS = ("throttle", "server_error", "null")


class FaultRoller:
    def __init__(self, config: SandboxConfig, seed: int):
        self.config = config
        self._rng = random.Random(seed * 7919 + 17)
        self._lock = threading.Lock()

    def roll(self) -> str | None:
        with self._lock:
            u = self._rng.random()
        edge = 0.0
        for kind in FAULT_KINDS:
            edge += self.config.fault_rate(kind)
            if u < edge:
                return kind
        return None

    def roll_item(self) -> str | None:
        with self._lock:
            hit = self._rng.random() < self.config.meta_item_fault_rate
            return self._rng.choice(ITEM_FAULTS) if hit else None

    def choice(self, options):
        with self._lock:
            return self._rng.choice(options)


def truncate(body: bytes) -> bytes:
    """A malformed body: the first half of the real JSON (never valid JSON)."""
    cut = max(1, len(body) // 2)
    return body[:cut] if len(body) > 1 else b"{"

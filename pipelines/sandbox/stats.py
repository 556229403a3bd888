"""Counters behind `/_sandbox/stats`: requests per platform and status, injected faults per kind."""

import threading
import time
from collections import Counter, defaultdict


class Stats:
    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.started = time.time()
            self.requests: Counter = Counter()
            self.statuses: defaultdict = defaultdict(Counter)
            self.faults: Counter = Counter()
            self.rate_limited: Counter = Counter()
            self.batch_items: Counter = Counter()

    def request(self, platform: str, status: int) -> None:
        with self._lock:
            self.requests[platform] += 1
            self.statuses[platform][str(status)] += 1

    def fault(self, kind: str) -> None:
        with self._lock:
            self.faults[kind] += 1

    def limited(self, platform: str) -> None:
        with self._lock:
            self.rate_limited[platform] += 1

    def items(self, platform: str, n: int = 1) -> None:
        with self._lock:
            self.batch_items[platform] += n

    def snapshot(self) -> dict:
        with self._lock:
            return {
                "since": round(self.started, 3),
                "requests": dict(self.requests),
                "requests_total": sum(self.requests.values()),
                "statuses": {p: dict(c) for p, c in self.statuses.items()},
                "faults": dict(self.faults),
                "rate_limited": dict(self.rate_limited),
                "graph_batch_items": dict(self.batch_items),
            }

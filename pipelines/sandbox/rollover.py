"""Following the WIB calendar while the sandbox runs: a new World after each midnight (Asia/Jakarta).

`make run` keeps one sandbox up for days while the daily schedule asks for "yesterday (WIB)" every morning.
A world fixed at start-up would clamp those days to its start day and answer the wrong day's figures, so a
sandbox on the real clock (`SandboxConfig.today` is None) rebuilds its world for the new today once the
clock passes the next midnight. The per-request check is one clock call and one float comparison against
a cached timestamp. The rebuild (1.5-5 s) runs in the first request past midnight, under a lock; requests
meanwhile keep the old world, which answers every day up to its today exactly as the new one will. Only a
request for a day the old world does not have yet (a later `X-Sandbox-As-Of`, or none: "now") waits for
the new world instead of being clamped to the old today. The swap is one attribute assignment.
"""

import datetime as dt
import sys
import threading
import traceback
from collections.abc import Callable

from pipelines.sandbox.world import WIB, World, today_wib

RETRY_S = 60.0


def next_midnight(day: dt.date) -> float:
    """Unix time of 00:00 WIB after `day` (WIB has no daylight saving)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=WIB).timestamp()


class Rollover:
    """Owns `app.world` for a sandbox on the real clock. `on_new_world(world)` runs after each swap
    (rewrites the ground-truth files and tokens.json); stats, limiters and quota stay as they are."""

    def __init__(
        self, app, clock: Callable[[], float], on_new_world: Callable[[World], object] | None = None
    ):
        self.app = app
        self.clock = clock
        self.on_new_world = on_new_world
        self.rollovers = 0
        self._lock = threading.Lock()
        self._next = next_midnight(app.world.today)

    def due(self) -> bool:
        return self.clock() >= self._next

    def current(self, need: dt.date | None = None) -> World:
        """The world to answer a request with. `need` is the day the request asks for (None = today):
        while another thread rebuilds, the old world serves unless it does not have that day yet."""
        if self.clock() < self._next:  # the hot path: no lock, no date arithmetic
            return self.app.world
        if self._lock.acquire(blocking=False):
            try:
                self._roll()
            finally:
                self._lock.release()
        elif need is None or need > self.app.world.today:
            with self._lock:  # wait for the rebuild in progress
                pass
        return self.app.world

    def _roll(self) -> None:
        today = today_wib(self.clock())
        old = self.app.world
        if today > old.today:  # a clock set back never moves the world back
            try:
                world = old.for_day(today)
            except Exception:  # keep serving the old world; try again in a minute
                traceback.print_exc(file=sys.stderr)
                self._next = self.clock() + RETRY_S
                return
            self.app.world = world
            self.rollovers += 1
            print(
                f"sandbox: new day {today} (WIB), world rebuilt in {world.build_seconds:.1f} s",
                file=sys.stderr,
            )
            if self.on_new_world is not None:
                try:
                    self.on_new_world(world)
                except OSError:  # a full disk must not stop the API; the next rollover rewrites them
                    traceback.print_exc(file=sys.stderr)
        self._next = next_midnight(self.app.world.today)

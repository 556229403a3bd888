"""A sandbox on the real clock follows the WIB calendar: after midnight it serves the new day, past days keep
their values, and a sandbox with a fixed `today` never moves. The clock is injected, so no test waits."""

import csv
import datetime as dt
import threading
import time
from types import SimpleNamespace

import numpy as np
import pytest
import requests
from sandbox_calls import TODAY, accounts, as_of, fetch_values, tokens, wib_start

from pipelines.sandbox import SandboxConfig, World, start_sandbox
from pipelines.sandbox.rollover import Rollover, next_midnight

NEXT = TODAY + dt.timedelta(days=1)
NO_FAULTS = dict(
    throttle_rate=0.0, server_error_rate=0.0, timeout_rate=0.0, malformed_rate=0.0, meta_item_fault_rate=0.0
)


class FakeClock:
    def __init__(self, t: float):
        self.t = t

    def __call__(self) -> float:
        return self.t


def health(sb) -> dict:
    return requests.get(f"{sb.url}/_sandbox/health", timeout=10).json()


def x_now(sb, uid: str, headers: dict | None = None) -> dict:
    headers = {**(headers or {}), "Authorization": f"Bearer {tokens(sb)['x_bearer_token']}"}
    params = {"ids": uid, "user.fields": "public_metrics"}
    (user,) = requests.get(f"{sb.url}/x/2/users", params=params, headers=headers, timeout=10).json()["data"]
    return user["public_metrics"]


def test_a_rollover_keeps_every_past_day_scenario_and_token(small_registry):
    # Default scenarios (never_connected raised so there surely are open-ended ones): a rebuild for a later
    # today must leave every day up to the old today, every scenario date and every token as they were.
    config = SandboxConfig(never_connected_rate=0.3, stop_reporting_rate=0.2, frozen_rate=0.2)
    old = World(seed=7, config=config, registry_dir=small_registry, today=TODAY)
    for later in (NEXT, TODAY + dt.timedelta(days=40)):  # the next day, and past a 32-day block boundary
        new = old.for_day(later)
        assert new.today == later and new.anchor == old.anchor == TODAY
        for name, arr in old.series.arrays.items():
            assert np.array_equal(arr, new.series[name][: old.n_days]), name
        assert [(s.account_id, s.scenario, s.start_date) for s in old.scenarios] == [
            (s.account_id, s.scenario, s.start_date) for s in new.scenarios
        ]
        assert old.manual_skips == new.manual_skips and old.account_tokens == new.account_tokens
        for a in old.accounts:
            for day in (TODAY, TODAY - dt.timedelta(days=20)):
                assert old.expected_status(a.account_id, day) == new.expected_status(a.account_id, day)
        open_ended = [s for s in new.scenarios if s.scenario == "never_connected"]
        assert open_ended and all(s.end_date == later for s in open_ended)


def test_a_world_started_on_another_day_draws_other_scenario_dates(small_registry):
    # Why the anchor matters: scenario dates count back from it, so without it a rebuild would move them.
    config = SandboxConfig(frozen_rate=0.3)
    a = World(seed=7, config=config, registry_dir=small_registry, today=TODAY)
    b = World(seed=7, config=config, registry_dir=small_registry, today=NEXT)
    assert [s.start_date for s in a.scenarios] != [s.start_date for s in b.scenarios]
    with pytest.raises(ValueError, match="anchor"):
        World(seed=7, config=config, registry_dir=small_registry, today=TODAY, anchor=NEXT)


def test_after_midnight_requests_get_the_new_day(small_registry, tmp_path):
    clock = FakeClock(next_midnight(TODAY) - 60)  # 23:59 WIB
    config = SandboxConfig(never_connected_rate=0.3, **NO_FAULTS)
    with start_sandbox(
        port=0, seed=5, data_dir=tmp_path, config=config, registry_dir=small_registry, clock=clock
    ) as sb:
        x = accounts(sb, "x")[0]
        before = x_now(sb, x.platform_user_id)
        assert health(sb)["today"] == TODAY.isoformat()
        assert x_now(sb, x.platform_user_id, as_of(NEXT)) == before  # a future day clamps to today
        requests_before = sb.stats()["requests_total"]
        old_world = sb.app.world

        clock.t = next_midnight(TODAY) + 1  # 00:00:01 WIB of the next day
        after = x_now(sb, x.platform_user_id)
        expected = sb.expected_values(x.account_id, NEXT)
        assert after == {k: expected[k] for k in after} and after != before
        assert sb.world is not old_world and sb.world.today == NEXT
        assert health(sb)["today"] == NEXT.isoformat()
        assert x_now(sb, x.platform_user_id, as_of(TODAY)) == before  # the old today keeps its values
        for platform in ("instagram", "facebook", "youtube", "tiktok"):
            account = next(
                a for a in accounts(sb, platform) if sb.expected_status(a.account_id, NEXT) == "ok"
            )
            assert fetch_values(sb, account, NEXT) == sb.expected_values(account.account_id, NEXT), platform
        assert sb.stats()["requests_total"] > requests_before  # counters carry over
        assert sb.app.rollover.rollovers == 1

        # The files follow: open-ended scenarios now run through the new today.
        with sb.files["ground_truth_daily"].open(encoding="utf-8") as fh:
            never = [r for r in csv.DictReader(fh) if r["scenario"] == "never_connected"]
        assert never and {r["metric_date"] for r in never} >= {NEXT.isoformat()}
        assert set(tokens(sb)["account_tokens"]) == set(sb.world.account_tokens)


def test_a_fixed_today_never_rolls_over(small_registry, tmp_path):
    clock = FakeClock(wib_start(TODAY) + 3600)
    config = SandboxConfig.quiet(today=TODAY.isoformat())
    with start_sandbox(
        port=0, seed=5, data_dir=tmp_path, config=config, registry_dir=small_registry, clock=clock
    ) as sb:
        x = accounts(sb, "x")[0]
        before = x_now(sb, x.platform_user_id)
        clock.t += 3 * 86400
        assert sb.app.rollover is None
        assert x_now(sb, x.platform_user_id) == before
        assert x_now(sb, x.platform_user_id, as_of(NEXT)) == before
        assert health(sb)["today"] == TODAY.isoformat()


def fake_app(today: dt.date, build: threading.Event, calls: list):
    """An app whose world rebuild blocks until `build` is set (counts the rebuilds in `calls`)."""

    def for_day(day):
        calls.append(day)
        build.wait(10)
        return SimpleNamespace(today=day, for_day=for_day, build_seconds=0.0)

    return SimpleNamespace(world=SimpleNamespace(today=today, for_day=for_day, build_seconds=0.0))


def test_one_rebuild_while_old_days_keep_the_old_world_and_new_days_wait():
    build, calls = threading.Event(), []
    app = fake_app(TODAY, build, calls)
    old = app.world
    clock = FakeClock(next_midnight(TODAY) + 5)
    rollover = Rollover(app, clock)
    results: dict = {}
    rebuilder = threading.Thread(target=lambda: results.update(first=rollover.current(None)))
    rebuilder.start()
    deadline = time.monotonic() + 120  # generous: a busy machine may not schedule the thread at once
    while not calls and time.monotonic() < deadline:
        time.sleep(0.001)
    assert calls == [NEXT]  # the rebuild is under way
    assert rollover.current(TODAY) is old  # a day the old world has: served at once, no waiting
    waiter = threading.Thread(target=lambda: results.update(waited=rollover.current(NEXT)))
    waiter.start()
    time.sleep(0.05)
    assert waiter.is_alive()  # the new day waits for the new world instead of being clamped
    build.set()
    rebuilder.join(5)
    waiter.join(5)
    assert results["first"].today == NEXT and results["waited"] is results["first"] is app.world
    assert calls == [NEXT]  # one rebuild only
    assert rollover.current(None) is app.world and not rollover.due()

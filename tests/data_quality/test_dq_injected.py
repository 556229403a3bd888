"""Every shape of the injection benchmark through a small real build: a clean sandbox lake (no scenarios, no
faults), shapes injected by the benchmark's own harness (not the sandbox's scenario code), the real dbt build.

Registry: the national unit and three provinces (75 accounts, all platforms, API and manual), nine weeks. One
or two events of each account shape and a national season, a campaign, a platform outage and a platform-wide
duplicated load. (A few minutes; the full benchmark with its figures is `python -m data_quality.benchmark_harness`.)
"""

import datetime as dt
import json

import duckdb
import pandas as pd
import pytest

from data_quality.benchmark_events import events_from_days
from data_quality.benchmark_inject import inject, read_truth, write_truth
from data_quality.benchmark_lake import land_manual_reports, window
from data_quality.benchmark_shapes import ACCOUNT_SHAPES
from pipelines.settings import get_settings
from tests.data_quality.test_dq_scenario import _write_registry

pytestmark = pytest.mark.xdist_group("dq_injected")

SEED, INJECTION_SEED = 5, 3
TODAY = "2026-03-02"
SYSTEM_SHAPES = ["seasonal_shift", "campaign_surge", "platform_outage", "platform_duplicated_load"]
SLACK = dt.timedelta(days=1)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(settings, truth events, truth days) of a clean small lake with every shape injected, built by dbt."""
    from data_quality.benchmark_data import ingest_days, sandbox_config
    from pipelines.sandbox import start_sandbox
    from pipelines.warehouse import run_dbt_build

    root = tmp_path_factory.mktemp("dq_injected")
    _write_registry(root / "registry")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MEDSOS_DATA_DIR", str(root / "clean"))
        mp.setenv("MEDSOS_REGISTRY_DIR", str(root / "registry"))
        mp.delenv("MEDSOS_API_MODE", raising=False)
        clean = get_settings()
        clean.data_dir.mkdir(parents=True)
        config = sandbox_config(today=TODAY, quiet=True)
        days = window(dt.date.fromisoformat(TODAY), 63)
        with start_sandbox(port=0, seed=SEED, data_dir=clean.data_dir, config=config) as sandbox:
            ingest_days(clean, sandbox.url, days, workers=4, use_gate=False)  # the gate has its own tests
        land_manual_reports(clean, days, SEED, config)
        plan = inject(
            clean.lake_dir,
            root / "data" / "lake",
            INJECTION_SEED,
            list(ACCOUNT_SHAPES),
            SYSTEM_SHAPES,
            per_shape=2,
        )
        write_truth(plan, root / "truth")
        mp.setenv("MEDSOS_DATA_DIR", str(root / "data"))
        settings = get_settings()
        run_dbt_build(settings)
        truth, truth_days = read_truth(root / "truth")
        yield settings, truth, truth_days


def _query(settings, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(settings.build_db_path), read_only=True) as con:
        return con.execute(sql).df()


def _dates(frame: pd.DataFrame, *columns) -> pd.DataFrame:
    for column in columns:
        frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame


def _events(settings) -> pd.DataFrame:
    return _dates(_query(settings, "select * from dq.dq_anomaly_events"), "start_date", "end_date")


def _overlaps(a, b) -> bool:
    return a.start_date <= b.end_date + SLACK and a.end_date >= b.start_date - SLACK


# A spike is told from an account's day-to-day noise (a robust spread of ~0.3 in log units) only from about
# five times its expected audience (dq_spike_z spreads); smaller injected spikes (the harness draws x3 to x10)
# may be missed, which the benchmark counts in the spike shapes' recall. Found, they must still be one event.
CERTAIN_SPIKE_FACTOR = 5


def _must_be_found(t) -> bool:
    factor = json.loads(t.params).get("factor")
    return t.shape not in ("engagement_spike", "views_spike") or factor >= CERTAIN_SPIKE_FACTOR


def test_each_injected_account_shape_is_one_event_of_its_type(built):
    settings, truth, _ = built
    events = _events(settings)
    injected = truth[truth["scope"] == "account"]
    assert set(injected["shape"]) == set(ACCOUNT_SHAPES)
    for t in injected.itertuples(index=False):
        mine = [
            e for e in events[events["account_id"] == t.account_id].itertuples(index=False) if _overlaps(e, t)
        ]
        if not mine and not _must_be_found(t):
            continue
        assert len(mine) == 1, (t.shape, t.params, mine)  # found, once: its aftermath is not another event
        assert mine[0].anomaly_type in t.accepted_types.split(), (t.shape, t.params, mine)


def test_no_account_is_flagged_without_a_cause(built):
    settings, truth, _ = built
    events = _events(settings)
    injected = set(truth.loc[truth["scope"] == "account", "account_id"])
    assert events[~events["account_id"].isin(injected)].empty, "flags on accounts nothing was injected into"


def test_every_flagged_day_lies_in_its_event(built):
    settings, _, _ = built
    flags = _dates(_query(settings, "select * from dq.dq_anomalies"), "metric_date")
    events = _events(settings).set_index("event_id")
    assert len(events) == flags["event_id"].nunique() > 0
    joined = flags.join(events[["start_date", "end_date"]], on="event_id")
    assert (
        (joined["metric_date"] >= joined["start_date"]) & (joined["metric_date"] <= joined["end_date"])
    ).all()
    # Grouping the day flags by adjacency, as a detector without events is scored, finds the same events.
    assert len(events_from_days(flags)) == len(events)


EXPECTED_SYSTEM_TYPE = {
    "seasonal_shift": "activity_drop",
    "campaign_surge": "activity_surge",
    "platform_outage": "platform_outage",
    "platform_duplicated_load": "platform_data_fault",
}


def _inside_a_season(s, truth) -> bool:
    """A campaign day inside a national season: a surge against the season's level, not the usual one."""
    seasons = truth[truth["shape"] == "seasonal_shift"]
    return s.shape == "campaign_surge" and any(_overlaps(s, o) for o in seasons.itertuples(index=False))


def _system_hits(settings, s) -> list:
    system = _dates(_query(settings, "select * from dq.dq_system_events"), "start_date", "end_date")
    same = system[(system["scope"] == s.scope) & (system["scope_code"] == s.scope_code)]
    return [e for e in same.itertuples(index=False) if _overlaps(e, s)]


def test_system_shapes_are_reported_once_as_system_events(built):
    settings, truth, _ = built
    for s in truth[truth["scope"] != "account"].itertuples(index=False):
        if _inside_a_season(s, truth):
            continue  # the next test
        hits = _system_hits(settings, s)
        assert len(hits) == 1, (s.shape, s.scope_code, s.start_date, hits)
        assert hits[0].event_type == EXPECTED_SYSTEM_TYPE[s.shape]
        assert hits[0].explanation and hits[0].accounts_affected_count > 0


@pytest.mark.xfail(
    reason="known gap: a scope's movement is judged against its usual weekday level, so a "
    "campaign inside a season (up against the season, level against the usual) goes unreported"
)
def test_a_campaign_inside_a_season_is_reported_as_a_surge(built):
    settings, truth, _ = built
    inside = [s for s in truth.itertuples(index=False) if _inside_a_season(s, truth)]
    if not inside:
        pytest.skip("no campaign fell inside the season in this world")
    for s in inside:
        assert [e.event_type for e in _system_hits(settings, s)].count("activity_surge") == 1


def test_an_outage_keeps_its_missing_rows(built):
    settings, truth, _ = built
    outage = truth[truth["shape"] == "platform_outage"].iloc[0]
    missing = _dates(
        _query(settings, f"select * from dq.dq_missing_reports where platform = '{outage.scope_code}'"),
        "metric_date",
    )
    during = missing[
        (missing["metric_date"] >= outage.start_date) & (missing["metric_date"] <= outage.end_date)
    ]
    api_accounts = _query(
        settings,
        f"select count(*) as n from marts.dim_accounts where platform = '{outage.scope_code}' "
        "and collection_method = 'api'",
    )["n"][0]
    days = (outage.end_date - outage.start_date).days + 1
    assert len(during) == api_accounts * days
    assert during["is_platform_wide"].all() and set(during["reason_detail"]) == {"platform_error"}
    assert during["explanation"].str.contains("gangguan platform").all()


def test_explanations_name_what_the_account_was_judged_against(built):
    settings, _, _ = built
    flags = _query(settings, "select anomaly_type, explanation, explanation_en from dq.dq_anomalies")
    peers = flags["anomaly_type"].isin(["engagement_spike", "views_spike", "posting_silence"])
    assert flags.loc[peers, "explanation"].str.contains("akun sejenis").all()
    counters = flags["anomaly_type"].isin(["value_glitch", "duplicated_load", "counter_decrease", "frozen"])
    assert flags.loc[counters, "explanation"].str.contains(r"\d+ dari \d+ akun").all()
    assert flags["explanation_en"].str.len().gt(20).all()

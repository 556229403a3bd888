"""The injection benchmark: clean lakes of other seeds, anomaly shapes injected by this harness (not by the
sandbox), the real dbt build, scored by event and by account-day per shape, on a tuning set and a held-back set.

    python -m data_quality.benchmark_harness [--set tune|held-back|both] [--per-shape 30]
        [--cache DIR] [--dbt-project DIR] [--label NAME]

Worlds: the sandbox with every scenario and fault off (benchmark_lake; built once, then cached), a different
seed and simulated today per world. The tuning set's worlds, injection seeds and shapes were used while the
detector's thresholds were chosen; the held-back set's never were, and it adds shapes the tuning set lacks.
Targets (held-back set): event precision and recall >= 0.90 per shape, no account flag from a system-wide
shape, 1 - F1 at most half the z-score baseline's. `--dbt-project` scores another version of the dbt project
(e.g. `git archive main dbt_project | tar -x -C /tmp/before`) on the same injected lakes.
"""

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from data_quality.baseline import SERIES, baseline_flags
from data_quality.benchmark_events import events_from_days, score_days, score_events, shift_flags
from data_quality.benchmark_inject import account_stats, inject, read_truth, write_truth
from data_quality.benchmark_lake import DEFAULT_CACHE, build_clean_lake
from data_quality.benchmark_lakeframes import API_SOURCES, load_lake, read_folder
from data_quality.benchmark_report_events import print_set
from data_quality.benchmark_scoring import Score
from data_quality.benchmark_shapes import ACCOUNT_SHAPES
from data_quality.benchmark_system_scoring import score_system
from data_quality.benchmark_system_shapes import SYSTEM_SHAPES


@dataclass(frozen=True)
class World:
    seed: int  # sandbox seed of the clean lake
    today: str  # its simulated today (a Monday)
    injection_seed: int


SETS = {
    "tune": [World(11, "2026-08-31", 1), World(12, "2026-04-27", 2)],
    "held-back": [World(21, "2026-11-30", 101), World(22, "2026-06-29", 102)],
}
DAYS = 91


def shapes_for(set_name: str) -> tuple[list[str], list[str]]:
    system = [s for s, shape in SYSTEM_SHAPES.items() if set_name == "held-back" or not shape.held_back_only]
    system = [*system[:1], "campaign_surge", *system[1:]]  # two campaigns per world
    return list(ACCOUNT_SHAPES), system


def run_dbt(data_dir: Path, project_dir: Path, select: str | None = None) -> float:
    import os

    from pipelines.warehouse import dbt_executable

    (data_dir / "warehouse").mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    env = {**os.environ, "MEDSOS_DATA_DIR": str(data_dir), "DO_NOT_TRACK": "1"}
    env.pop("MEDSOS_REGISTRY_DIR", None)
    args = [dbt_executable(), "build", "--project-dir", str(project_dir), "--profiles-dir", str(project_dir)]
    args += [
        "--target-path",
        str(data_dir / "warehouse" / "dbt_target"),
        "--exclude",
        "resource_type:test",
        "resource_type:unit_test",
    ]
    if select:  # rebuild only these models over the last build's upstream tables (while tuning)
        args += ["--select", *select.split()]
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"dbt build failed:\n{result.stdout[-4000:]}")
    return time.monotonic() - started


def _table_exists(con, schema: str, table: str) -> bool:
    sql = "select count(*) from information_schema.tables where table_schema = ? and table_name = ?"
    return con.execute(sql, [schema, table]).fetchone()[0] > 0


def read_detector(build_db: Path) -> dict[str, pd.DataFrame]:
    with duckdb.connect(str(build_db), read_only=True) as con:
        out = {
            "flags": con.execute("select account_id, metric_date, anomaly_type from dq.dq_anomalies").df(),
            "missing": con.execute("select account_id, metric_date from dq.dq_missing_reports").df(),
            "facts": con.execute(
                f"select account_id, metric_date, {', '.join(SERIES)} from marts.fct_account_daily"
            ).df(),
        }
        if _table_exists(con, "dq", "dq_anomaly_events"):
            out["events"] = con.execute(
                "select account_id, anomaly_type, start_date, end_date from dq.dq_anomaly_events"
            ).df()
        else:
            out["events"] = events_from_days(out["flags"])
        if _table_exists(con, "dq", "dq_system_events"):
            out["system"] = con.execute("select * from dq.dq_system_events").df()
        else:
            out["system"] = pd.DataFrame(
                columns=["scope", "scope_code", "start_date", "end_date", "event_type"]
            )
    for frame in (out["events"], out["system"]):
        for column in ("start_date", "end_date"):
            frame[column] = pd.to_datetime(frame[column]).dt.date
    return out


def score_world(work: Path, data_dir: Path, truth, truth_days, stats, account_shapes) -> dict:
    tables = read_detector(data_dir / "warehouse" / "build.duckdb")
    base_flags = baseline_flags(tables["facts"])
    scope_of = {a: {"platform": s.source, "province": s.province_code} for a, s in stats.items()}
    base_events = events_from_days(base_flags)
    missing_truth = _failed_fetches(work / "lake")
    missing = {
        (a, pd.Timestamp(d).date())
        for a, d in tables["missing"].itertuples(index=False)
        if a.split(":")[0] in API_SOURCES  # manual accounts' missing reports are not fetches
    }
    return {
        "events": score_events(tables["events"], truth, account_shapes),
        "days": score_days(tables["flags"], truth, truth_days, account_shapes),
        "base_events": score_events(base_events, truth, account_shapes),
        "base_days": score_days(base_flags, truth, truth_days, account_shapes),
        "shift_flags": shift_flags(tables["events"], truth, scope_of),
        "system": score_system(tables["system"], truth, work / "clean_sandbox" / "campaign_days.csv"),
        "missing": Score(
            len(missing), len(missing_truth), len(missing & missing_truth), len(missing & missing_truth)
        ),
    }


def _failed_fetches(lake_dir: Path) -> set:
    """Every API account-day the fetch log says failed: the outages' and the clean world's own failures."""
    out = set()
    for source in API_SOURCES:
        log, _ = read_folder(lake_dir / source / "fetch_log")
        if log.empty:
            continue
        failed = log[log["status"] != "ok"]
        out |= {
            (a, pd.Timestamp(d).date())
            for a, d in failed[["account_id", "metric_date"]].itertuples(index=False)
        }
    return out


def run_set(set_name: str, args) -> list[dict]:
    """Inject each world once (kept in `<cache>/run-<set>-s<seed>-i<injection>/`) and build it per --label."""
    account_shapes, system_shapes = shapes_for(set_name)
    results = []
    for world in SETS[set_name]:
        if args.seeds and world.seed not in args.seeds:
            continue
        clean = build_clean_lake(args.cache, world.seed, world.today, DAYS)
        work = args.cache / f"run-{set_name}-s{world.seed}-i{world.injection_seed}"
        started = time.monotonic()
        if args.reinject or not (work / "truth" / "truth_days.csv").exists():
            shutil.rmtree(work, ignore_errors=True)
            plan = inject(
                clean / "lake",
                work / "lake",
                world.injection_seed,
                account_shapes,
                system_shapes,
                args.per_shape,
            )
            write_truth(plan, work / "truth")
        _link(clean / "sandbox", work / "clean_sandbox")
        injected = time.monotonic() - started
        data_dir = work / args.label
        data_dir.mkdir(parents=True, exist_ok=True)
        _link(work / "lake", data_dir / "lake")
        build = 0.0 if args.no_build else run_dbt(data_dir, args.dbt_project, args.dbt_select)
        truth, truth_days = read_truth(work / "truth")
        stats = account_stats(load_lake(clean / "lake"))
        scores = score_world(work, data_dir, truth, truth_days, stats, account_shapes)
        scores.update(world=world, seconds={"inject": injected, "dbt build": build})
        results.append(scores)
        print(
            f"  world seed {world.seed} today {world.today} injection {world.injection_seed}: "
            f"{len(truth)} injected events; inject {injected:.0f} s, dbt build {build:.0f} s",
            flush=True,
        )
    return results


def _link(source: Path, target: Path) -> None:
    if not target.exists():
        target.symlink_to(source.resolve(), target_is_directory=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m data_quality.benchmark_harness", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--set", choices=["tune", "held-back", "both"], default="both")
    parser.add_argument(
        "--per-shape", type=int, default=30, help="injected events per account shape and world"
    )
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="clean lakes and runs")
    parser.add_argument(
        "--dbt-project", type=Path, default=None, help="dbt project to score (default: this one)"
    )
    parser.add_argument("--label", default="current", help="names the run folders (e.g. before, after)")
    parser.add_argument("--seeds", type=int, nargs="*", help="only these worlds (sandbox seeds) of the set")
    parser.add_argument(
        "--reinject", action="store_true", help="inject again even if the world's lake exists"
    )
    parser.add_argument("--no-build", action="store_true", help="score the last build of each world as it is")
    parser.add_argument(
        "--dbt-select", help="rebuild only these dbt models over the last build (e.g. 'path:models/dq+')"
    )
    args = parser.parse_args(argv)
    from pipelines.warehouse import DBT_PROJECT_DIR

    args.dbt_project = (args.dbt_project or DBT_PROJECT_DIR).resolve()
    args.cache = args.cache.resolve()
    met = True
    for set_name in ["tune", "held-back"] if args.set == "both" else [args.set]:
        print(f"\n=== {set_name} set ({args.label}: {args.dbt_project}) ===", flush=True)
        results = run_set(set_name, args)
        met &= print_set(set_name, results, shapes_for(set_name)[0], enforce=set_name == "held-back")
    print(f"\nfinished {dt.datetime.now():%Y-%m-%d %H:%M}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())

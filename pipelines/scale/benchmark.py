"""Scale benchmark: full build, daily update, peak RSS, file sizes and dashboard-query latency vs history length.

    python -m pipelines.scale.benchmark --source DIR [--histories 365,730,1095] [--work DIR] [--compact] [--updates N]
    python -m pipelines.scale.benchmark --accounts 20000 --histories 365      # generates DIR first

DIR is a synthetic lake from `python -m pipelines.scale.generate` covering the longest history. For each history
H, a view of its last H days is laid out (hard links: no copy) and measured:
  full build    `dbt build` on an empty warehouse (what the first run or a full refresh costs), then publish;
  daily update  the next day lands (its platform partitions and the manual files that arrive that day), then
                the build the pipeline runs (`dbt build`, the same command Dagster's warehouse asset runs);
  peak RSS      of the dbt process tree (sampled VmHWM), GB;
  sizes         build and published DuckDB files after the full build and after each update, MB (and the
                build file as dbt left it, before publish replaced it with the compact copy);
  queries       p50/p95 ms of the dashboard queries (`pipelines.scale.queries`) on the published file.
`--compact` compacts every settled month of the view first (`pipelines.lake_compaction`): the small-files layout.
Figures depend on the machine's load: compare ratios. Results are also appended as JSON lines to --results.
"""

import argparse
import datetime as dt
import json
import os
import shutil
import time
from pathlib import Path

import duckdb

from pipelines.scale.generate import META_FILE, generate, land_day
from pipelines.scale.measure import count_files, database_mb, percentiles, timed
from pipelines.scale.queries import QUERIES, query_parameters, run_query


def make_view(source: Path, view: Path, history_days: int) -> dict:
    """`view` = the last `history_days` days of the synthetic lake `source` (files hard-linked, registry copied)."""
    meta = json.loads((source / META_FILE).read_text())
    end = dt.date.fromisoformat(meta["end"])
    first = end - dt.timedelta(days=history_days - 1)
    if first < dt.date.fromisoformat(meta["start"]):
        raise ValueError(f"{source} holds {meta['days']} days; cannot lay out {history_days}")
    if view.exists():
        shutil.rmtree(view)
    shutil.copytree(source / "registry", view / "registry")
    linked = 0
    for path in (source / "lake").rglob("*.parquet"):
        day = next((p.split("=", 1)[1] for p in path.parts if p.startswith("date=")), None)
        if day is not None and dt.date.fromisoformat(day) < first:
            continue
        target = view / "lake" / path.relative_to(source / "lake")
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, target)
        linked += 1
    # The view's world is the source's (same start, seed): landing the next day writes the same figures.
    (view / META_FILE).write_text(json.dumps(meta, indent=2))
    return {"first_day": first.isoformat(), "end": end.isoformat(), "files": linked}


def _use(view: Path) -> None:
    os.environ["MEDSOS_DATA_DIR"] = str(view)
    os.environ["MEDSOS_REGISTRY_DIR"] = str(view / "registry")


def _build_and_publish(settings) -> tuple[float, float, dict]:
    from pipelines.warehouse import publish, run_dbt_build

    seconds, rss, _ = timed(run_dbt_build, settings)
    published = publish(settings)
    sizes = {
        "dbt_left_mb": published.build_bytes_before / 1e6,  # the build file as dbt left it (checkpointed)
        "build_mb": database_mb(settings.build_db_path),
        "published_mb": published.bytes / 1e6,
        "slowest_nodes": slowest_nodes(settings.warehouse_dir / "dbt_target" / "run_results.json"),
    }
    return seconds, rss, sizes


def slowest_nodes(run_results: Path, top: int = 6) -> dict[str, float]:
    """The build's slowest dbt nodes (model or test name → seconds), from dbt's run_results.json."""
    results = json.loads(run_results.read_text())["results"]
    ordered = sorted(results, key=lambda r: r["execution_time"], reverse=True)[:top]
    return {r["unique_id"].split(".")[-1]: round(r["execution_time"], 1) for r in ordered}


def time_queries(db_path: Path, repeat: int) -> dict[str, tuple[float, float]]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        parameters = query_parameters(con)
        out = {}
        for name in QUERIES:
            run_query(con, name, parameters)  # warm-up: a dashboard's connection is already open and warm
            samples = []
            for _ in range(repeat):
                started = time.perf_counter()
                run_query(con, name, parameters)
                samples.append((time.perf_counter() - started) * 1000)
            out[name] = percentiles(samples)
    return out


def measure_history(
    source: Path, work: Path, history_days: int, compact: bool, repeat: int, updates: int = 1
) -> dict:
    from pipelines.settings import get_settings

    view = work / f"h{history_days}"
    layout = make_view(source, view, history_days)
    _use(view)
    settings = get_settings()
    result = {
        "accounts": json.loads((source / META_FILE).read_text())["accounts"],
        "history_days": history_days,
    }
    if compact:
        from pipelines.lake_compaction import compact_lake

        seconds, _, report = timed(
            compact_lake, settings.lake_dir, today=dt.date.fromisoformat(layout["end"])
        )
        result["compaction_s"] = round(seconds, 1)
        result["months_compacted"] = len(report)
    result["lake_files"] = count_files(settings.lake_dir)
    full_s, full_rss, full_sizes = _build_and_publish(settings)
    # Daily updates one after another: the first one's time is the figure; the sizes show whether files grow.
    dailies = []
    for _ in range(updates):
        landed = land_day(view)
        dailies.append((*_build_and_publish(settings), landed["partitions"] + landed["manual_files"]))
    daily_s, daily_rss, daily_sizes, landed_files = dailies[0]
    sizes = [full_sizes] + [d[2] for d in dailies]
    result.update(
        full_build_s=round(full_s, 1),
        daily_update_s=round(daily_s, 1),
        daily_updates_s=[round(d[0], 1) for d in dailies],
        daily_over_full=round(daily_s / full_s, 3),
        peak_rss_gb=round(max(full_rss, *(d[1] for d in dailies)), 2),
        full_rss_gb=round(full_rss, 2),
        daily_rss_gb=round(daily_rss, 2),
        # full build, then each daily update: as dbt left the build file / after publish compacted it.
        dbt_left_mb=[round(s["dbt_left_mb"]) for s in sizes],
        build_mb=[round(s["build_mb"]) for s in sizes],
        published_mb=[round(s["published_mb"]) for s in sizes],
        landed_files=landed_files,
        slowest_nodes_full=full_sizes["slowest_nodes"],
        slowest_nodes_daily=daily_sizes["slowest_nodes"],
        queries_ms={
            k: [round(v, 1) for v in pq] for k, pq in time_queries(settings.serving_db_path, repeat).items()
        },
    )
    return result


def print_table(results: list[dict]) -> None:
    print(
        f"\n{'accounts':>8} {'history':>7} {'files':>7} {'full s':>7} {'daily s':>7} {'d/f':>5} {'RSS GB':>6} "
        f"{'build MB':>15} {'publ. MB':>15} {'q p50 max':>9} {'q p95 max':>9}"
    )

    def arrow(sizes):
        return "→".join(str(s) for s in sizes)

    for r in results:
        p50 = max(v[0] for v in r["queries_ms"].values())
        p95 = max(v[1] for v in r["queries_ms"].values())
        print(
            f"{r['accounts']:>8} {r['history_days']:>7} {r['lake_files']:>7} {r['full_build_s']:>7} "
            f"{r['daily_update_s']:>7} {r['daily_over_full']:>5} {r['peak_rss_gb']:>6} "
            f"{arrow(r['build_mb']):>15} {arrow(r['published_mb']):>15} {p50:>9.1f} {p95:>9.1f}"
        )
    print("\nbuild file as dbt left it (before publish compacts it), MB, full build → each daily update:")
    for r in results:
        print(f"  {r['accounts']} × {r['history_days']} d: {arrow(r['dbt_left_mb'])}")
    print("\nslowest nodes of the first daily update, s:")
    for r in results:
        print(f"  {r['accounts']} × {r['history_days']} d: {r['slowest_nodes_daily']}")
    print("\nquery p50/p95 ms:")
    for r in results:
        cells = ", ".join(f"{k} {v[0]:.1f}/{v[1]:.1f}" for k, v in r["queries_ms"].items())
        print(f"  {r['accounts']} × {r['history_days']} d: {cells}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="synthetic lake (python -m pipelines.scale.generate)")
    parser.add_argument("--accounts", type=int, default=2249, help="with no --source: generate this many")
    parser.add_argument("--histories", default="365,730,1095", help="days of history, comma-separated")
    parser.add_argument("--work", type=Path, default=None, help="where the views are laid out")
    parser.add_argument("--compact", action="store_true", help="compact settled months before building")
    parser.add_argument("--repeat", type=int, default=30, help="runs of each query")
    parser.add_argument("--updates", type=int, default=1, help="daily updates after the full build")
    parser.add_argument("--results", type=Path, default=None, help="append results as JSON lines")
    args = parser.parse_args(argv)
    histories = sorted(int(h) for h in args.histories.split(","))
    work = args.work or Path(os.environ.get("TMPDIR", "/tmp")) / f"medsos-scale-{os.getpid()}"
    source = args.source or work / f"lake-{args.accounts}"
    if not (source / META_FILE).exists():
        print(f"generating {args.accounts} accounts × {max(histories)} days into {source} ...", flush=True)
        generate(source, args.accounts, max(histories), end=dt.date.today() - dt.timedelta(days=2))
    results = []
    for history in histories:
        print(f"measuring {history} days of history ...", flush=True)
        result = measure_history(source, work, history, args.compact, args.repeat, args.updates)
        result["compacted"] = args.compact
        print(json.dumps(result), flush=True)
        if args.results:
            with args.results.open("a") as fh:
                fh.write(json.dumps(result) + "\n")
        results.append(result)
    print_table(results)


if __name__ == "__main__":
    main()

"""Score a built warehouse against the sandbox's ground truth and print the benchmark tables."""

import datetime as dt

import duckdb
import pandas as pd

from data_quality.baseline import SERIES, baseline_flags
from data_quality.benchmark_scoring import (
    MISSING_SCENARIOS,
    STEP_TOLERANCE_DAYS,
    STEP_TYPES,
    Score,
    load_ground_truth,
    score_anomalies,
    score_missing,
)


def load_tables(build_db, start: dt.date, end: dt.date) -> dict[str, pd.DataFrame]:
    columns = ", ".join(SERIES)
    with duckdb.connect(str(build_db), read_only=True) as con:
        return {
            "missing": con.execute("select account_id, metric_date, reason from dq.dq_missing_reports").df(),
            "anomalies": con.execute(
                "select account_id, metric_date, anomaly_type from dq.dq_anomalies"
            ).df(),
            "facts": con.execute(
                f"select account_id, metric_date, {columns} from marts.fct_account_daily "
                "where metric_date between ? and ?",
                [start, end],
            ).df(),
        }


def _row(name: str, truth: int, scores: list[Score]) -> str:
    cells = "".join(f" | {s.flags:6d} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}" for s in scores)
    return f"{name:<18} {truth:6d}{cells}"


def score_and_print(settings, start: dt.date, end: dt.date, targets: dict) -> bool:
    """Print every figure; True when all targets are met."""
    truth = load_ground_truth(settings.sandbox_dir / "ground_truth_daily.csv", start, end)
    tables = load_tables(settings.build_db_path, start, end)

    missing = score_missing(tables["missing"], truth)
    print(f"\nMissing reports: dq_missing_reports against {', '.join(MISSING_SCENARIOS)} (unit: account-day)")
    print(
        f"  truth {missing.truths}, flagged {missing.flags}, matched {missing.matched_flags} -> "
        f"precision {missing.precision:.4f}, recall {missing.recall:.4f}"
    )
    reasons = tables["missing"]["reason"].value_counts().to_dict()
    print(f"  flagged by reason: {reasons}")

    method = score_anomalies(tables["anomalies"], truth)
    base = score_anomalies(baseline_flags(tables["facts"]), truth)
    print(
        "\nAnomalies (unit: account-day; a flag matches a ground-truth row of the same account and type on "
        f"the same day, +-{STEP_TOLERANCE_DAYS} day for {', '.join(STEP_TYPES)})"
    )
    print(f"{'':26}| {'dq_anomalies':^27} | {'baseline (14-day z, |z|>3)':^27}")
    columns = f"| {'flags':>6} {'P':>6} {'R':>6} {'F1':>6} "
    print(f"{'type':<18} {'truth':>6} {columns}{columns}")
    empty = Score(0, 0, 0, 0)
    for name in [t for t in method if t != "overall"] + [t for t in base if t not in method]:
        truths = method.get(name, base.get(name, empty)).truths
        print(_row(name, truths, [method.get(name, empty), base.get(name, empty)]))
    print(_row("overall", method["overall"].truths, [method["overall"], base["overall"]]))

    ours, theirs = 1 - method["overall"].f1, 1 - base["overall"].f1
    ratio = ours / theirs if theirs else float("inf")
    print(f"\n1 - F1: dq_anomalies {ours:.3f}, baseline {theirs:.3f} (ratio {ratio:.3f})")
    checks = {
        f"missing precision = {targets['missing_precision']}": missing.precision
        >= targets["missing_precision"],
        f"missing recall = {targets['missing_recall']}": missing.recall >= targets["missing_recall"],
        f"anomaly precision >= {targets['precision']}": method["overall"].precision >= targets["precision"],
        f"anomaly recall >= {targets['recall']}": method["overall"].recall >= targets["recall"],
        f"1 - F1 <= {targets['f1_gap']} x baseline": ratio <= targets["f1_gap"],
    }
    print("targets: " + "; ".join(f"{k}: {'met' if ok else 'MISSED'}" for k, ok in checks.items()))
    return all(checks.values())

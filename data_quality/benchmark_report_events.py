"""Printing the injection benchmark's tables (one set of worlds: per shape, events and account-days)."""

from data_quality.benchmark_scoring import Score

EMPTY = Score(0, 0, 0, 0)
TARGETS = {"event_precision": 0.90, "event_recall": 0.90, "shift_flags": 0, "f1_gap": 0.5}


def _sum(results: list[dict], key: str) -> dict:
    out: dict = {}
    for r in results:
        for name, value in r[key].items():
            out[name] = out.get(name, EMPTY if isinstance(value, Score) else 0) + value
    return out


def _cells(s: Score) -> str:
    return f" | {s.flags:6d} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}"


def _overall(scores: dict) -> Score:
    return sum(scores.values(), EMPTY)


def print_set(set_name: str, results: list[dict], shapes: list[str], enforce: bool) -> bool:
    events, base_events = _sum(results, "events"), _sum(results, "base_events")
    days, base_days = _sum(results, "days"), _sum(results, "base_days")
    header = f"{'':28}| {'detector':^27} | {'baseline (14-day z, |z|>3)':^27}"
    columns = f"| {'flags':>6} {'P':>6} {'R':>6} {'F1':>6} "
    for title, ours, theirs, unit in (
        ("Events", events, base_events, "injected"),
        ("Account-days", days, base_days, "days"),
    ):
        print(f"\n{title} per shape ({set_name} set, {len(results)} worlds)")
        print(header)
        print(f"{'shape':<20} {unit:>7} {columns}{columns}")
        for name in [*shapes, "other"]:
            a, b = ours.get(name, EMPTY), theirs.get(name, EMPTY)
            print(f"{name:<20} {a.truths:7d}{_cells(a)}{_cells(b)}")
        a, b = _overall(ours), _overall(theirs)
        print(f"{'overall':<20} {a.truths:7d}{_cells(a)}{_cells(b)}")
        ratio = (1 - a.f1) / (1 - b.f1) if b.f1 < 1 else float("inf")
        print(f"1 - F1: detector {1 - a.f1:.3f}, baseline {1 - b.f1:.3f} (ratio {ratio:.3f})")

    shifts = _sum(results, "shift_flags")
    print("\nAccount flags inside system-wide shapes (false-positive account events, shape window + 7 days):")
    for name, count in sorted(shifts.items()):
        print(f"  {name:<60} {count:5d}")
    system = _sum(results, "system")
    print("\nSystem events (dq_system_events) per injected system-wide shape")
    print(f"{'shape':<26} {'injected':>8} {'reported':>8} {'P':>6} {'R':>6}")
    for name, s in sorted(system.items()):
        if isinstance(s, Score):
            print(f"{name:<26} {s.truths:8d} {s.flags:8d} {s.precision:6.3f} {s.recall:6.3f}")
    print(
        f"  also reported: {system.get('known_calendar', 0)} on the clean world's own campaign days, "
        f"{system.get('other', 0)} unexplained"
    )
    missing = sum((r["missing"] for r in results), EMPTY)
    print(
        f"\nMissing reports on outage days: truth {missing.truths}, reported {missing.flags}, "
        f"precision {missing.precision:.4f}, recall {missing.recall:.4f}"
    )

    overall, base = _overall(events), _overall(base_events)
    ratio = (1 - overall.f1) / (1 - base.f1) if base.f1 < 1 else float("inf")
    weak = [
        n
        for n in shapes
        if events.get(n, EMPTY).truths
        and (events[n].precision < TARGETS["event_precision"] or events[n].recall < TARGETS["event_recall"])
    ]
    checks = {
        "event P and R >= 0.90 per shape": not weak,
        "no account flag from system-wide shapes": sum(shifts.values()) == TARGETS["shift_flags"],
        "1 - F1 (events) <= 0.5 x baseline": ratio <= TARGETS["f1_gap"],
    }
    print(
        ("targets: " if enforce else "targets (tuning set, for information): ")
        + "; ".join(f"{k}: {'met' if ok else 'MISSED'}" for k, ok in checks.items())
        + (f" (below target: {', '.join(weak)})" if weak else "")
    )
    return all(checks.values()) or not enforce

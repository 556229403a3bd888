"""Measuring helpers for the scale benchmark: peak RSS of a process tree, file sizes, query latency."""

import os
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path


def _children(pid: int) -> list[int]:
    kids = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid:
            kids.append(int(entry.name))
    return kids


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        kids = _children(todo.pop())
        found += kids
        todo += kids
    return found


def _peak_kb(pid: int) -> int:
    """VmHWM: the process's own peak resident set so far (catches spikes between samples)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreePeakRss:
    """Samples the peak RSS summed over this process's descendants (the dbt subprocess and anything it starts)."""

    def __init__(self, interval: float = 0.1):
        self.interval, self.peak_kb = interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            total = sum(_peak_kb(pid) for pid in _descendants(me))
            self.peak_kb = max(self.peak_kb, total)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def peak_gb(self) -> float:
        return self.peak_kb / 1024 / 1024


def timed(fn: Callable, *args, **kwargs) -> tuple[float, float, object]:
    """(seconds, peak RSS GB of the process tree, result) of `fn(*args, **kwargs)`."""
    with TreePeakRss() as rss:
        started = time.monotonic()
        result = fn(*args, **kwargs)
        seconds = time.monotonic() - started
    return seconds, rss.peak_gb, result


def database_mb(path: Path) -> float:
    """A DuckDB file and its write-ahead log, in MB."""
    path = Path(path)
    wal = path.with_name(path.name + ".wal")
    return sum(p.stat().st_size for p in (path, wal) if p.exists()) / 1e6


def percentiles(samples_ms: list[float]) -> tuple[float, float]:
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def count_files(folder: Path, pattern: str = "*.parquet") -> int:
    return sum(1 for _ in Path(folder).rglob(pattern))

"""The inbox sensor: one run per new manual report file, keyed by the file's content hash.

Each tick lists the files directly in the inbox (not processed/ or quarantine/; editor lock files and
unfinished downloads are ignored). A file is ready once it has settled: not modified in the last
MEDSOS_MANUAL_SETTLE_SECONDS and, if it was seen on the previous tick, with the same size and mtime. A ready
file gets a RunRequest with run_key = SHA-256 of its content, so the same content is taken in once; a copy of
content already taken in (or quarantined) is filed straight away as a duplicate with a receipt.

The cursor remembers, for the files still in the inbox only, their size, mtime, hash and the attempt last
requested: hashes are not recomputed every tick. A file still in the inbox after its run ended (the run crashed
or the process died) is requested again under a new run key, and quarantined as unreadable after
MAX_ATTEMPTS ended runs (pipelines.manual_reports.retries), so every file gets an answer.
"""

import json
import os
import time
from pathlib import Path

import dagster as dg

from assets.manual_reports import run_config_for
from pipelines.jobs import manual_report_job
from pipelines.manual_reports.config import get_intake_config, sensor_interval_seconds
from pipelines.manual_reports.filenames import is_ignored, safe_name
from pipelines.manual_reports.intake import content_sha256, give_up, take_duplicate
from pipelines.manual_reports.receipts import ledger_lookup
from pipelines.manual_reports.retries import MAX_ATTEMPTS, SHA_TAG, run_key


def scan_inbox(inbox: Path) -> list[tuple[str, int, int]]:
    """(name, size, mtime_ns) of candidate files directly in the inbox, oldest first. Links are not followed."""
    found = []
    with os.scandir(inbox) as entries:
        for entry in entries:
            if is_ignored(entry.name) or not (entry.is_file(follow_symlinks=False) or entry.is_symlink()):
                continue
            info = entry.stat(follow_symlinks=False)
            found.append((entry.name, info.st_size, info.st_mtime_ns))
    return sorted(found, key=lambda item: (item[2], item[0]))


def past_runs(instance: dg.DagsterInstance, sha256: str) -> tuple[int, bool]:
    """(runs of this content that ended, whether one is still queued or running)."""
    records = instance.get_run_records(filters=dg.RunsFilter(tags={SHA_TAG: sha256}), limit=50)
    ended = sum(1 for r in records if r.dagster_run.is_finished)
    return ended, ended < len(records)


def evaluate_inbox(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    config = get_intake_config()
    config.inbox_dir.mkdir(parents=True, exist_ok=True)  # the folder units drop files into
    seen: dict[str, dict] = json.loads(context.cursor).get("files", {}) if context.cursor else {}
    now_ns = time.time_ns()
    files: dict[str, dict] = {}
    requests, waiting, duplicates = [], [], []
    # One run per content: a second copy waits until the first is taken in, then is filed as a duplicate.
    in_flight = {e["sha256"]: n for n, e in seen.items() if e.get("attempt") and e.get("sha256")}
    for name, size, mtime_ns in scan_inbox(config.inbox_dir):
        before = seen.get(name, {})
        entry = {"size": size, "mtime_ns": mtime_ns}
        unchanged = before.get("size") == size and before.get("mtime_ns") == mtime_ns
        if (before and not unchanged) or now_ns - mtime_ns < config.settle_seconds * 1e9:
            files[name] = entry  # still being written: look again next tick
            waiting.append(name)
            continue
        path = config.inbox_dir / name
        sha = entry["sha256"] = (
            before.get("sha256") if unchanged and before.get("sha256") else content_sha256(path)
        )
        if ledger_lookup(config.ledger_path, sha) is not None:
            result = take_duplicate(path, sha, run_id="sensor:manual_report_sensor", config=config)
            if result is not None:
                duplicates.append(name)
                context.log.info(f"{safe_name(name)}: {result.detail}")
                continue
        files[name] = entry
        if in_flight.get(sha, name) != name:
            continue  # another copy's run is on its way
        attempt = int(before.get("attempt", 1 if before.get("requested") else 0)) if unchanged else 0
        ended, running = past_runs(context.instance, sha)
        if running or ended < attempt:  # the requested run is queued, running or about to be created
            entry["attempt"] = attempt
        elif ended >= MAX_ATTEMPTS:
            if give_up(path, sha, ended, config) is not None:
                files.pop(name)
                context.log.warning(f"{safe_name(name)}: {ended} runs ended without an answer; quarantined")
        else:
            entry["attempt"] = ended + 1
            requests.append(
                dg.RunRequest(
                    run_key=run_key(sha, ended + 1),
                    run_config=run_config_for(str(path), sha),
                    tags={"manual_report/file": safe_name(name), SHA_TAG: sha},
                )
            )
        in_flight[sha] = name
        entry["requested"] = bool(entry.get("attempt"))
    cursor = json.dumps({"files": files}, sort_keys=True)
    if requests:
        return dg.SensorResult(run_requests=requests, cursor=cursor)
    parts = [f"{len(waiting)} file(s) still being written"] if waiting else []
    parts += [f"{len(duplicates)} duplicate(s) filed"] if duplicates else []
    return dg.SensorResult(skip_reason="; ".join(parts) or "no new files in the inbox", cursor=cursor)


def build_manual_report_sensor(minimum_interval_seconds: int | None = None) -> dg.SensorDefinition:
    interval = minimum_interval_seconds if minimum_interval_seconds is not None else sensor_interval_seconds()

    @dg.sensor(
        name="manual_report_sensor",
        job=manual_report_job,
        minimum_interval_seconds=interval,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Watches the manual-report inbox (MEDSOS_INBOX_DIR) and launches one run per new file.",
    )
    def manual_report_sensor(context: dg.SensorEvaluationContext):
        return evaluate_inbox(context)

    return manual_report_sensor


# The interval is fixed when the code location loads (MEDSOS_MANUAL_SENSOR_INTERVAL, default 2 s: a tick only
# lists the inbox).
manual_report_sensor = build_manual_report_sensor()

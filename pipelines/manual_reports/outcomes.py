"""The three endings of an intake: processed (with receipt), quarantined (with reasons), duplicate."""

from pathlib import Path

from pipelines.manual_reports.config import IntakeConfig
from pipelines.manual_reports.filenames import safe_name
from pipelines.manual_reports.issues import Issue
from pipelines.manual_reports.lake_writer import LakeWrite
from pipelines.manual_reports.receipts import (
    append_jsonl,
    errors_csv_text,
    move_into,
    reason_text,
    write_json,
    write_text_atomic,
)
from pipelines.manual_reports.result import IntakeResult, destination

MAX_REPLACEMENTS_IN_RECEIPT = 500  # the replacements log keeps all of them


def _ledger(config: IntakeConfig, sha: str, outcome: str, name: str, stored: Path, now, run_id: str, **extra):
    entry = {"sha256": sha, "outcome": outcome, "file": name, "stored_as": str(stored)}
    append_jsonl(config.ledger_path, [{**entry, "at": now.isoformat(), "run_id": run_id, **extra}])


def processed(
    path: Path, sha: str, resolved: list, written: LakeWrite, config: IntakeConfig, now, run_id: str, how: str
) -> IntakeResult:
    name = safe_name(path.name)
    dest = destination(config.processed_dir, path, sha, now)
    superseded = sorted({f"{r.previous_file} ({r.previous_sha256[:8]})" for r in written.replacements})
    replacements = [r.as_dict() for r in written.replacements]
    receipt = {
        "outcome": "processed",
        "file": name,
        "original_name": path.name,
        "sha256": sha,
        "stored_as": dest.name,
        "received_at": now.isoformat(),
        "run_id": run_id,
        "read_as": how,
        "rows": len(resolved),
        "weekly_rows": sum(1 for row, _ in resolved if row.period == "week"),
        "accounts": len({account.account_id for _, account in resolved}),
        "unit_days": [f"{unit}@{day.isoformat()}" for unit, day in written.unit_days],
        "partitions": [str(p) for p in written.partitions],
        "rows_kept_from_earlier_files": written.rows_kept,
        "replaced_count": len(written.replacements),
        "superseded_files": superseded,
        "replaced": replacements[:MAX_REPLACEMENTS_IN_RECEIPT],
    }
    append_jsonl(
        config.replacements_path,
        [
            {**r, "replaced_by_file": name, "replaced_by_sha256": sha, "at": now.isoformat()}
            for r in replacements
        ],
    )
    move_into(path, dest)
    receipt_path = write_json(dest.with_name(dest.name + ".receipt.json"), receipt)
    _ledger(config, sha, "processed", name, dest, now, run_id)
    return IntakeResult(
        "processed",
        name,
        sha,
        str(dest),
        str(receipt_path),
        rows=len(resolved),
        unit_days=len(written.unit_days),
        replaced=len(written.replacements),
        partitions=receipt["partitions"],
        superseded_files=superseded,
    )


def quarantine(
    path: Path,
    sha: str,
    issues: list[Issue],
    config: IntakeConfig,
    now,
    run_id: str,
    unreadable: bool = False,
) -> IntakeResult:
    """Set the file aside with its reasons. An 'unreadable' file (our fault) is not recorded as a final answer
    in the ledger, so the same content sent again is read again rather than filed as a duplicate."""
    name = safe_name(path.name)
    dest = destination(config.quarantine_dir, path, sha, now)
    move_into(path, dest)
    errors_csv = dest.with_name(dest.name + ".errors.csv")
    header = [
        ("Berkas / File", name),
        ("Disimpan sebagai / Stored as", dest.name),
        ("Diterima / Received (UTC)", f"{now:%Y-%m-%d %H:%M:%S}"),
        ("SHA-256", sha),
    ]
    write_text_atomic(errors_csv, errors_csv_text(issues))
    reason = write_text_atomic(
        dest.with_name(dest.name + ".reason.txt"), reason_text(header, issues, errors_csv.name)
    )
    outcome = "unreadable" if unreadable else "quarantined"
    _ledger(config, sha, outcome, name, dest, now, run_id, problems=len(issues))
    rendered = [i.render() for i in issues]
    detail = "unreadable: see the log for the traceback" if unreadable else ""
    return IntakeResult("quarantined", name, sha, str(dest), str(reason), issues=rendered, detail=detail)


def duplicate(path: Path, sha: str, previous: dict, config: IntakeConfig, now, run_id: str) -> IntakeResult:
    """Same content as a file already handled: file it beside that one's outcome, do not take it in again."""
    name = safe_name(path.name)
    folder = config.processed_dir if previous["outcome"] == "processed" else config.quarantine_dir
    dest = destination(folder, path, sha, now)
    move_into(path, dest)
    earlier = Path(previous["stored_as"]).name
    detail = (
        f"duplicate of {previous['file']} taken in at {previous['at']} (stored as {earlier}); not re-ingested"
    )
    receipt = {
        "outcome": "duplicate",
        "file": name,
        "sha256": sha,
        "stored_as": dest.name,
        "received_at": now.isoformat(),
        "run_id": run_id,
        "duplicate_of": {**previous, "stored_as": earlier},
        "note": "Isi berkas sama persis dengan berkas sebelumnya; tidak dimasukkan lagi. / "
        "Same content as an earlier file; not taken in again.",
    }
    receipt_path = write_json(dest.with_name(dest.name + ".receipt.json"), receipt)
    _ledger(config, sha, "duplicate", name, dest, now, run_id, duplicate_of=earlier)
    return IntakeResult("duplicate", name, sha, str(dest), str(receipt_path), detail=detail)

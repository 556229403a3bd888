"""Taking in one inbox file: read → check → validate → lake + processed/, or quarantine/ with reasons.

The whole file is the unit of decision: one bad row quarantines the file (the unit corrects and resends it),
so a half-taken-in report can never mix with its correction. Problems in the unit's file never raise: they
end in quarantine. Our own failures (disk full, a bug) do raise, leaving the file in the inbox untouched.
"""

import datetime as dt
import hashlib
import os
from pathlib import Path

from pipelines.manual_reports import outcomes
from pipelines.manual_reports.config import IntakeConfig, get_intake_config
from pipelines.manual_reports.filenames import OutsideInbox, inbox_file, safe_name, unsafe_name_reason
from pipelines.manual_reports.header import map_header
from pipelines.manual_reports.issues import FileRejected, Issue, file_issue
from pipelines.manual_reports.lake_writer import FileStamp, write_report
from pipelines.manual_reports.reader import read_table, unsupported_type
from pipelines.manual_reports.receipts import intake_lock, ledger_lookup
from pipelines.manual_reports.registry_index import load_registry_index
from pipelines.manual_reports.result import IntakeResult
from pipelines.manual_reports.rows import parse_rows
from pipelines.manual_reports.validation import validate_report
from pipelines.settings import today_wib

SUPPORTED_SUFFIXES = (".csv", ".xlsx")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def content_sha256(path: Path) -> str:
    """The file's content hash; for a symbolic link, the hash of the link's text (never read its target)."""
    path = Path(path)
    return hashlib.sha256(os.readlink(path).encode()).hexdigest() if path.is_symlink() else file_sha256(path)


def _check_file(path: Path, config: IntakeConfig) -> None:
    """Whole-file checks that need no parsing. Raises FileRejected."""
    if path.is_symlink():
        raise file_issue(
            "Tautan simbolik tidak diterima; kirim berkasnya sendiri", "Symbolic links are not accepted"
        )
    if hazard := unsafe_name_reason(path.name):
        raise file_issue(
            f"Nama berkas tidak aman (berisi {hazard[0]}); ganti nama berkas lalu kirim ulang",
            f"Unsafe file name (it contains {hazard[1]}); rename the file and send it again",
        )
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise unsupported_type(path.name)
    size = path.stat().st_size
    if size == 0:
        raise file_issue("Berkas kosong (0 byte)", "The file is empty (0 bytes)")
    if size > config.max_bytes:
        mb, limit = size / 2**20, config.max_bytes / 2**20
        raise file_issue(
            f"Berkas terlalu besar ({mb:.1f} MB; batas {limit:.1f} MB); bagi menjadi beberapa berkas",
            f"File too large ({mb:.1f} MB; limit {limit:.1f} MB); split it into several files",
        )


def read_and_validate(path: Path, config: IntakeConfig, today: dt.date) -> tuple[list, list[Issue], str]:
    """(resolved (row, account) pairs, issues, how it was read). Never raises for the file's content."""
    try:
        _check_file(path, config)
        table = read_table(path, config.max_rows, config.max_bytes)
        columns = map_header(table)
    except FileRejected as rejected:
        return [], rejected.issues, ""
    rows, issues = parse_rows(table, columns)
    if not rows:
        return [], [Issue("Tidak ada baris data di bawah judul kolom", "No data rows below the header")], ""
    registry = load_registry_index(config.registry_dir)
    issues += validate_report(rows, registry, today, config.horizon_days)
    issues.sort(key=Issue.sort_key)
    resolved = [(r, registry.lookup(r.unit_code, r.platform, r.handle)) for r in rows]
    return resolved, issues, table.source_detail


def process_file(
    path: str | Path,
    run_id: str,
    expected_sha256: str = "",
    config: IntakeConfig | None = None,
    today: dt.date | None = None,
) -> IntakeResult:
    config = config or get_intake_config()
    try:
        path = inbox_file(path, config.inbox_dir)
    except OutsideInbox as exc:
        return IntakeResult("rejected", safe_name(str(path)), detail=f"{exc}; nothing was read or moved")
    name = safe_name(path.name)
    if not os.path.lexists(path):
        return IntakeResult("skipped", name, expected_sha256, detail="file is no longer in the inbox")
    if not (path.is_file() or path.is_symlink()):
        return IntakeResult("rejected", name, detail="not a regular file; nothing was read or moved")
    now = dt.datetime.now(dt.UTC)
    sha = content_sha256(path)
    note = (
        f"content changed since the sensor saw it ({expected_sha256[:8]} → {sha[:8]})"
        if (expected_sha256 and expected_sha256 != sha)
        else ""
    )
    previous = ledger_lookup(config.ledger_path, sha)
    resolved, issues, how = [], [], ""
    if previous is None:  # a known duplicate needs no reading
        resolved, issues, how = read_and_validate(path, config, today or today_wib())
    with intake_lock(config.lock_path):
        previous = previous or ledger_lookup(config.ledger_path, sha)  # again: a parallel run may have won
        if previous is not None:
            result = outcomes.duplicate(path, sha, previous, config, now, run_id)
        elif issues:
            result = outcomes.quarantine(path, sha, issues, config, now, run_id)
        else:
            stamp = FileStamp(name, sha, run_id, now)
            written = write_report(resolved, config.lake_dir, stamp)
            result = outcomes.processed(path, sha, resolved, written, config, now, run_id, how)
    result.detail = "; ".join(d for d in (result.detail, note) if d)
    return result


def take_duplicate(
    path: Path, sha: str, run_id: str, config: IntakeConfig | None = None
) -> IntakeResult | None:
    """File an inbox copy of already-handled content as a duplicate (for the sensor). None if not one."""
    config = config or get_intake_config()
    with intake_lock(config.lock_path):
        previous = ledger_lookup(config.ledger_path, sha)
        if previous is None or not os.path.lexists(path) or content_sha256(path) != sha:
            return None
        return outcomes.duplicate(path, sha, previous, config, dt.datetime.now(dt.UTC), run_id)

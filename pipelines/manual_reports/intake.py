"""Taking in one inbox file: read → check → validate → lake + processed/, or quarantine/ with reasons.

The whole file is the unit of decision: one bad row quarantines the file (the unit corrects and resends it),
so a half-taken-in report can never mix with its correction. Problems in the unit's file never raise: they
end in quarantine. Reading is guarded at the file boundary: an exception of ours while reading a unit's file
(a bug met by some odd content) quarantines it as 'unreadable', with the traceback in the log and a reference
in the unit's reason, never the traceback itself. Failures while writing (disk full) do raise, leaving the file
in the inbox for the sensor to try again (see `give_up` for the last attempt).
"""

import datetime as dt
import hashlib
import logging
import os
from pathlib import Path

from pipelines.manual_reports import outcomes
from pipelines.manual_reports.config import IntakeConfig, get_intake_config
from pipelines.manual_reports.dates import check_dates
from pipelines.manual_reports.filenames import OutsideInbox, inbox_file, safe_name, unsafe_name_reason
from pipelines.manual_reports.header import map_header
from pipelines.manual_reports.issues import FileRejected, Issue, file_issue
from pipelines.manual_reports.lake_writer import FileStamp, write_report
from pipelines.manual_reports.reader import READABLE_SUFFIXES, read_table, unsupported_type
from pipelines.manual_reports.receipts import intake_lock, ledger_lookup
from pipelines.manual_reports.registry_index import load_registry_index
from pipelines.manual_reports.result import IntakeResult
from pipelines.manual_reports.rows import parse_rows
from pipelines.manual_reports.validation import validate_report
from pipelines.settings import today_wib

log = logging.getLogger(__name__)


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
    if path.suffix.lower() not in READABLE_SUFFIXES:
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
        table = read_table(path, config.max_rows, config.max_bytes, config.limits)
        columns = map_header(table)
    except FileRejected as rejected:
        return [], rejected.issues, ""
    rows, issues = parse_rows(table, columns)
    issues += table.issues
    if not rows and not issues:
        return [], [Issue("Tidak ada baris data di bawah judul kolom", "No data rows below the header")], ""
    date_column = columns.get("report_date")
    raw_dates = {
        n: cells[date_column]
        for n, cells in table.rows
        if date_column is not None and date_column < len(cells)
    }
    issues += check_dates(rows, raw_dates, table.kind, table.saved_on)
    registry = load_registry_index(config.registry_dir)
    if rows:
        issues += validate_report(rows, registry, today, config.horizon_days)
    resolved = [(r, registry.lookup(r.unit_code, r.platform, r.handle)) for r in rows]
    if not issues:  # every row read cleanly must name a registered account; say so rather than fail later
        issues += [
            Issue(
                "baris ini tidak menunjuk akun terdaftar",
                "this row names no registered account",
                r.row_number,
            )
            for r, account in resolved
            if account is None or r.metric_date is None
        ]
    issues.sort(key=Issue.sort_key)
    return resolved, issues, table.source_detail


def unreadable_issue(reference: str) -> Issue:
    return Issue(
        "Berkas tidak dapat dibaca karena kesalahan di sistem penerima, bukan karena isi yang bisa Anda "
        f"perbaiki. Operator sudah diberi tahu (rujukan {reference}). Simpan ulang berkas dari Excel sebagai "
        ".xlsx lalu kirim lagi; bila tetap ditolak, hubungi operator dengan menyebut rujukan itu",
        "The file could not be read because of an error in the receiving system, not because of anything you "
        f"can fix in it. The operators have been told (reference {reference}). Save the file again from Excel "
        "as .xlsx and send it again; if it is refused again, contact the operators quoting that reference",
    )


def _guarded_read(path: Path, config: IntakeConfig, today: dt.date, sha: str, run_id: str):
    """read_and_validate, with any exception of ours turned into an 'unreadable' answer for the unit."""
    try:
        return (*read_and_validate(path, config, today), False)
    except Exception:
        reference = f"{sha[:8]}/{run_id[:8]}"
        log.exception("manual report %s (sha256 %s) is unreadable: reference %s", path.name, sha, reference)
        return [], [unreadable_issue(reference)], "", True


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
    resolved, issues, how, unreadable = [], [], "", False
    if previous is None:  # a known duplicate needs no reading
        resolved, issues, how, unreadable = _guarded_read(path, config, today or today_wib(), sha, run_id)
    with intake_lock(config.lock_path):
        previous = previous or ledger_lookup(config.ledger_path, sha)  # again: a parallel run may have won
        if previous is not None:
            result = outcomes.duplicate(path, sha, previous, config, now, run_id)
        elif issues:
            result = outcomes.quarantine(path, sha, issues, config, now, run_id, unreadable=unreadable)
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


def give_up(path: Path, sha: str, attempts: int, config: IntakeConfig | None = None) -> IntakeResult | None:
    """Quarantine an inbox file whose runs kept failing (the sensor's last resort), so it still gets an answer.

    None if the file is gone or has changed since (then it is simply a new file)."""
    config = config or get_intake_config()
    with intake_lock(config.lock_path):
        if not os.path.lexists(path) or content_sha256(path) != sha:
            return None
        reference = f"{sha[:8]}/{attempts}x"
        log.error(
            "manual report %s (sha256 %s): %d runs failed; quarantined as unreadable",
            path.name,
            sha,
            attempts,
        )
        now = dt.datetime.now(dt.UTC)
        run_id = f"sensor:gave-up-after-{attempts}-runs"
        return outcomes.quarantine(
            path, sha, [unreadable_issue(reference)], config, now, run_id, unreadable=True
        )

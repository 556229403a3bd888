"""What the intake leaves behind: moved files, receipts, reason files, the ledger and the replacements log.

Files are only ever renamed (inbox → processed/ or quarantine/), never deleted or overwritten. The ledger
(one JSON line per file taken in, keyed by content SHA-256) is how a second copy of the same content is
recognised; the replacements log keeps every superseded lake row's old vs new values.
"""

import contextlib
import csv
import io
import json
import os
import uuid
from pathlib import Path

from pipelines.manual_reports.issues import Issue, neutralise_for_csv

MAX_REASONS_IN_TXT = 1000  # the .errors.csv beside it always lists every problem


@contextlib.contextmanager
def intake_lock(lock_path: Path):
    """Serialise read-merge-write of lake partitions and ledger updates across runs and the sensor."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as handle:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory lock, runs should not overlap there
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8") -> Path:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(text, encoding=encoding, newline="")
    os.replace(tmp, path)
    return path


def write_json(path: Path, payload: dict) -> Path:
    return write_text_atomic(path, json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")


def append_jsonl(path: Path, records: list[dict]) -> None:
    if not records:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def ledger_lookup(ledger_path: Path, sha256: str) -> dict | None:
    """The first ledger entry for this content that was taken in or quarantined (not a duplicate)."""
    if not ledger_path.exists():
        return None
    with open(ledger_path, encoding="utf-8") as fh:
        for line in fh:
            if sha256 in line:
                entry = json.loads(line)
                if entry.get("sha256") == sha256 and entry.get("outcome") in ("processed", "quarantined"):
                    return entry
    return None


def move_into(src: Path, dest: Path) -> Path:
    """Rename `src` to `dest` (same file system: both live in the inbox). `dest` must not exist."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists() or dest.is_symlink():
        raise FileExistsError(dest)
    os.rename(src, dest)
    return dest


def reason_text(header: list[tuple[str, str]], issues: list[Issue], errors_csv: str | None) -> str:
    lines = [f"{k}: {v}" for k, v in header]
    lines += [
        "",
        "Status: KARANTINA — berkas TIDAK dimasukkan. Perbaiki semua masalah di bawah lalu kirim ulang SELURUH berkas.",
        "Status: QUARANTINED — the file was NOT taken in. Fix every problem below and send the WHOLE file again.",
        "",
        f"Masalah / Problems ({len(issues)}):",
    ]
    lines += [f"- {issue.render()}" for issue in issues[:MAX_REASONS_IN_TXT]]
    if len(issues) > MAX_REASONS_IN_TXT:
        rest = len(issues) - MAX_REASONS_IN_TXT
        lines.append(f"- ... dan {rest} masalah lain / and {rest} more problems (lihat / see {errors_csv})")
    return "\n".join(lines) + "\n"


def errors_csv_text(issues: list[Issue]) -> str:
    """Every problem as a table a unit can open in Excel (';', BOM); text that Excel would run is quoted."""
    from pipelines.manual_reports.columns import label

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["baris", "kolom", "nilai", "masalah", "problem"])
    for issue in issues:
        column = label(issue.field)[0] if issue.field else ""
        cells = [str(issue.row or ""), column, issue.value or "", issue.id_text, issue.en_text]
        writer.writerow([neutralise_for_csv(c) for c in cells])
    return "\ufeff" + buffer.getvalue()

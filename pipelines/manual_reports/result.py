"""The outcome of taking in one file, as the asset reports it."""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.manual_reports.filenames import stamped_name, unique_path


@dataclass
class IntakeResult:
    outcome: str  # processed | quarantined | duplicate | skipped | rejected
    file: str  # the name as it arrived (sanitised)
    sha256: str = ""
    stored_as: str | None = None  # where the file now is
    receipt: str | None = None  # receipt JSON (processed, duplicate) or reason file (quarantined)
    issues: list[str] = field(default_factory=list)
    rows: int = 0
    unit_days: int = 0
    replaced: int = 0
    partitions: list[str] = field(default_factory=list)
    superseded_files: list[str] = field(default_factory=list)
    detail: str = ""


def destination(folder: Path, path: Path, sha: str, now: dt.datetime) -> Path:
    return unique_path(folder, stamped_name(path.name, sha, now))

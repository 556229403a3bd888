"""Safe names and paths: what a unit calls its file never decides where we read or write."""

import datetime as dt
import re
import unicodedata
from pathlib import Path

_UNSAFE = re.compile(r"[^A-Za-z0-9._()+-]+")
MAX_NAME = 120
# Not reports: hidden files (.DS_Store, LibreOffice '.~lock.x#'), Excel '~$x.xlsx' lock files and downloads
# still in progress. They are left alone in the inbox. ('..\\x.csv' is not hidden: it is a hostile name.)
IGNORED_PREFIXES = ("~$",)
IGNORED_SUFFIXES = (".tmp", ".part", ".crdownload", ".partial", ".download")


class OutsideInbox(ValueError):
    """A path that is not a file directly inside the inbox."""


def safe_name(name: str) -> str:
    """'../../etc/passwd' → 'passwd'; 'Laporan Nov; $(rm).CSV' → 'Laporan_Nov_(rm).csv'."""
    base = re.split(r"[/\\]", str(name))[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = _UNSAFE.sub("_", stem).strip("._- ")
    stem = re.sub(r"\.{2,}", ".", stem) or "file"
    suffix = _UNSAFE.sub("", suffix).lower()[:10]
    stem = stem[: MAX_NAME - len(suffix) - 1]
    return f"{stem}.{suffix}" if suffix else stem


def unsafe_name_reason(name: str) -> tuple[str, str] | None:
    """Why a name is a hazard in itself (path tricks, hidden characters), in (Indonesian, English), or None.

    Odd but harmless characters (spaces, ';', '$', accents) are not a hazard: the stored copy gets a safe name.
    """
    if re.search(r"\.\.[\\/]|[\\/]\.\.", name):
        return "jalur folder ('../' atau '..\\')", "a path ('../' or '..\\')"
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        return "karakter kendali atau pembalik arah tersembunyi", "hidden control or direction characters"
    return None


def is_ignored(name: str) -> bool:
    hidden = name.startswith(".") and not name.startswith("..")
    return hidden or name.startswith(IGNORED_PREFIXES) or name.lower().endswith(IGNORED_SUFFIXES)


def inbox_file(path: str | Path, inbox: Path) -> Path:
    """The inbox file `path` names (absolute, or relative to the inbox). Raises OutsideInbox otherwise.

    Only files directly in the inbox qualify: no '..', no sub-folders (processed/, quarantine/), and the
    folder is compared after resolving symbolic links, so a link cannot lead us outside.
    """
    inbox = Path(inbox).resolve()
    candidate = Path(path) if Path(path).is_absolute() else inbox / path
    name = candidate.name
    if name in ("", ".", "..") or ".." in Path(path).parts:
        raise OutsideInbox(f"not a file inside the inbox: {path!s}")
    if candidate.parent.resolve() != inbox:
        raise OutsideInbox(f"not a file directly inside the inbox: {path!s}")
    return inbox / name


def stamped_name(name: str, sha256: str, when: dt.datetime) -> str:
    """'<UTC timestamp>_<sha8>_<safe name>', the name a file gets in processed/ or quarantine/."""
    return f"{when.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}_{sha256[:8]}_{safe_name(name)}"


def unique_path(folder: Path, name: str) -> Path:
    """`folder/name`, or `folder/name` with '-2', '-3', ... before the suffix if taken (never overwrite)."""
    path = Path(folder) / name
    stem, suffix, n = path.stem, path.suffix, 2
    while path.exists() or path.is_symlink():
        path = Path(folder) / f"{stem}-{n}{suffix}"
        n += 1
    return path

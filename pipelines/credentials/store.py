"""The secrets store: one JSON file outside the repo, per-account tokens plus what renewing them needs.

```
{
  "account_tokens": {"<account_id>": "<access token>"},          # what the platform clients get, as before
  "token_details": {"<account_id>": {"token_type": "page", "expires_at": "never", "scopes": [...], ...}},
  "meta_app": {"app_id": "...", "app_secret": "..."},              # optional: debug_token, token exchange
  "tiktok_app": {"client_key": "...", "client_secret": "..."}      # optional: refresh grant
}
```
A file of the old shape (`account_tokens` only) reads as it is; `token_details` is filled in by renewal (and by
people, when they paste what a platform returned). Unknown top-level keys are kept untouched.

Writes are atomic: the whole document goes to a temporary file in the same folder (mode 0600), is flushed and
fsynced, then renamed over the old file and the folder fsynced. A reader sees the old file or the new one, never
half of one; a failed write leaves the old file as it was. A lock file beside it serialises writers.
"""

import contextlib
import datetime as dt
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

NEVER = "never"  # expires_at of a token that does not expire (e.g. a Page token from a long-lived user token)
FILE_MODE = 0o600
DIR_MODE = 0o700


def _parse_time(value, key: str, account_id: str) -> dt.datetime | str | None:
    if value in (None, ""):
        return None
    if value == NEVER:
        return NEVER
    try:
        if isinstance(value, int | float):  # Unix seconds, as the platforms give them
            return dt.datetime.fromtimestamp(value, dt.UTC)
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError) as exc:
        raise ValueError(f"token_details[{account_id!r}].{key}: not a time ({exc})") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _format_time(value: dt.datetime | str | None) -> str | None:
    if value is None or value == NEVER:
        return value
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class TokenDetails:
    """What is known about one account's access token. Times are aware datetimes (UTC), NEVER, or None
    (unknown). `refresh_token` is a secret like the access token: it is never printed (see `__repr__`)."""

    token_type: str | None = None  # "user" | "page" (Meta), "bearer" (TikTok)
    expires_at: dt.datetime | str | None = None
    refresh_token: str | None = None
    refresh_expires_at: dt.datetime | str | None = None
    data_access_expires_at: dt.datetime | str | None = None  # Meta: when the person must use the app again
    scopes: tuple[str, ...] | None = None
    obtained_at: dt.datetime | None = None
    renewed_at: dt.datetime | None = None
    renewed_by: str | None = None  # "tiktok_refresh" | "fb_exchange_token" | "page_token"

    _TIMES = ("expires_at", "refresh_expires_at", "data_access_expires_at", "obtained_at", "renewed_at")

    def __repr__(self) -> str:
        shown = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "refresh_token"}
        shown["refresh_token"] = "***" if self.refresh_token else None
        return "TokenDetails(" + ", ".join(f"{k}={v!r}" for k, v in shown.items()) + ")"

    __str__ = __repr__

    @classmethod
    def from_json(cls, account_id: str, raw: dict) -> "TokenDetails":
        if not isinstance(raw, dict):
            raise ValueError(f"token_details[{account_id!r}] must be an object")
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k in known}
        for key in cls._TIMES:
            values[key] = _parse_time(values.get(key), key, account_id)
        scopes = values.get("scopes")
        if isinstance(scopes, str):  # TikTok answers "a,b,c"
            scopes = [s for s in scopes.replace(" ", ",").split(",") if s]
        values["scopes"] = tuple(scopes) if scopes is not None else None
        return cls(**values)

    def to_json(self) -> dict:
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if f.name in self._TIMES:
                value = _format_time(value)
            elif f.name == "scopes":
                value = list(value)
            out[f.name] = value
        return out

    def expires_within(self, now: dt.datetime, seconds: float) -> bool | None:
        """True/False when the expiry is known (never-expiring tokens: False), None when it is not."""
        if self.expires_at is None:
            return None
        if self.expires_at == NEVER:
            return False
        return (self.expires_at - now).total_seconds() <= seconds

    def is_expired(self, now: dt.datetime) -> bool | None:
        return self.expires_within(now, 0)


@dataclass
class Secrets:
    """The parsed store. `account_tokens` stays a plain account_id -> token mapping (what clients receive)."""

    account_tokens: dict[str, str] = field(default_factory=dict)
    details: dict[str, TokenDetails] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)  # every other top-level key, written back unchanged

    def __repr__(self) -> str:  # never print a secret
        return (
            f"Secrets(account_tokens=<{len(self.account_tokens)} tokens>, details=<{len(self.details)}>, "
            f"extra_keys={sorted(self.extra)})"
        )

    __str__ = __repr__

    def details_for(self, account_id: str) -> TokenDetails:
        return self.details.get(account_id) or TokenDetails()

    def set_token(self, account_id: str, token: str, details: TokenDetails) -> None:
        self.account_tokens[account_id] = token
        self.details[account_id] = details

    def app_credentials(self, key: str) -> dict:
        value = self.extra.get(key)
        return dict(value) if isinstance(value, dict) else {}

    def all_secret_values(self) -> list[str]:
        """Every secret string in the store (for redaction)."""
        values = [*self.account_tokens.values()]
        values += [d.refresh_token for d in self.details.values() if d.refresh_token]
        for value in self.extra.values():
            if isinstance(value, str):
                values.append(value)
            elif isinstance(value, dict):
                values += [v for v in value.values() if isinstance(v, str)]
        return values

    @classmethod
    def from_json(cls, doc: dict, source: str = "secrets") -> "Secrets":
        if not isinstance(doc, dict):
            raise ValueError(f"{source} must hold a JSON object")
        tokens = doc.get("account_tokens") or {}
        if not isinstance(tokens, dict):
            raise ValueError(f"{source}: account_tokens must be an object of account_id -> token")
        for account_id, token in tokens.items():
            if not isinstance(token, str) or not token:
                raise ValueError(f"{source}: account_tokens[{account_id!r}] must be a non-empty string")
        raw_details = doc.get("token_details") or {}
        if not isinstance(raw_details, dict):
            raise ValueError(f"{source}: token_details must be an object of account_id -> details")
        details = {aid: TokenDetails.from_json(aid, raw) for aid, raw in raw_details.items()}
        extra = {k: v for k, v in doc.items() if k not in ("account_tokens", "token_details")}
        return cls(dict(tokens), details, extra)

    def to_json(self) -> dict:
        doc = {"account_tokens": dict(sorted(self.account_tokens.items()))}
        if self.details:
            doc["token_details"] = {k: self.details[k].to_json() for k in sorted(self.details)}
        doc.update(self.extra)
        return doc

    def copy(self) -> "Secrets":
        return Secrets(dict(self.account_tokens), dict(self.details), json.loads(json.dumps(self.extra)))


def load_secrets(path: Path) -> Secrets:
    """The store at `path` (an empty one when the file does not exist)."""
    path = Path(path)
    if not path.exists():
        return Secrets()
    try:
        with path.open(encoding="utf-8") as fh:
            doc = json.load(fh)
    except json.JSONDecodeError as exc:
        # the message of a JSONDecodeError quotes no content, only the position
        raise ValueError(f"secrets file {path} is not valid JSON: {exc.msg} (line {exc.lineno})") from None
    return Secrets.from_json(doc, f"secrets file {path}")


def read_secrets(path: Path) -> dict:
    """The raw JSON document (older callers); {} when the file does not exist."""
    return load_secrets(path).to_json() if Path(path).exists() else {}


def write_atomic(path: Path, data: bytes, mode: int = FILE_MODE) -> Path:
    """Replace `path` by `data` atomically (temp file in the same folder, fsync, rename, fsync the folder)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # 0600
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # the rename itself survives a crash
    finally:
        os.close(dir_fd)
    return path


def write_secrets(path: Path, secrets: Secrets) -> Path:
    data = (json.dumps(secrets.to_json(), indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    return write_atomic(path, data)


class StoreBusy(RuntimeError):
    """Another process holds the store's lock (e.g. a renewal still running)."""


@contextlib.contextmanager
def locked(path: Path, *, wait: bool = True) -> Iterator[None]:
    """Exclusive lock on `<path>.lock` for read-modify-write cycles; StoreBusy when `wait` is False and taken."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise StoreBusy(f"{path} is locked by another process") from None
        yield
    finally:
        os.close(fd)  # closing releases the lock


def merge_into(path: Path, changes: dict[str, tuple[str, TokenDetails]]) -> Path:
    """Write `changes` (account_id -> (token, details)) into the store on disk, keeping everything else as it is
    now on disk (a person may have edited other accounts meanwhile). Call with the lock held."""
    current = load_secrets(path)
    for account_id, (token, details) in changes.items():
        current.set_token(account_id, token, details)
    return write_secrets(path, current)


def with_changes(details: TokenDetails, **changes) -> TokenDetails:
    return replace(details, **changes)

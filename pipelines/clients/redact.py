"""Keep credentials out of anything the clients log or store.

Meta puts `access_token=` inside batch `relative_url`s and `paging.next` URLs, YouTube puts `key=` in the
query string, and requests' exception messages quote the URL they failed on. Two layers: patterns that
catch credential-shaped query parameters and headers whatever their value, and an exact scrub of every
secret the client was configured with (covers a token echoed anywhere else).
"""

import logging
import re
from collections.abc import Iterable

_PATTERNS = [
    # query parameters (also URL-encoded inside a batch form body: access_token%3D...)
    (re.compile(r"(?i)((?:access_token|key|client_secret|appsecret_proof)(?:=|%3D))[^&\s\"'<>%]+"), r"\1***"),
    (re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"), r"\1***"),
]
MAX_MESSAGE_CHARS = 500


class Redactor:
    def __init__(self, secrets: Iterable[str | None] = ()):
        # longest first so a secret containing another is scrubbed whole; ignore trivially short values
        self._secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: object) -> str:
        out = str(text)
        for secret in self._secrets:
            out = out.replace(secret, "***")
        for pattern, repl in _PATTERNS:
            out = pattern.sub(repl, out)
        return out

    def message(self, text: object | None) -> str | None:
        """A redacted, length-capped message for an outcome (stored in the fetch log)."""
        if text is None:
            return None
        out = self(text)
        return out if len(out) <= MAX_MESSAGE_CHARS else out[: MAX_MESSAGE_CHARS - 3] + "..."


class RedactingFilter(logging.Filter):
    """Redacts credential-shaped query parameters in records of third-party loggers: urllib3 logs every
    request line at DEBUG, and a Meta `paging.next` or YouTube URL carries `access_token=` / `key=`."""

    _redact = Redactor()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self._redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


_FILTER = RedactingFilter()


def install_log_filter() -> None:
    """Idempotent: attach the filter to the loggers that print request URLs."""
    for name in ("urllib3.connectionpool", "requests"):
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)

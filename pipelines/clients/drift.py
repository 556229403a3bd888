"""Metric drift: a platform refusing a field or metric it used to serve (a deprecation, a permission change).

One refused name fails the whole call it is part of (Meta answers `(#100)` for the whole insights request), so
a deprecation would otherwise take a platform down. Instead the client records the name, stops asking for it
for the rest of the run (the `RefusedFields` object outlives one day's fetch), and asks again for the rest.
The record reaches the fetch summary and the Dagster warning check on the ingestion asset.
"""

import re
import threading
from collections.abc import Iterable, Sequence

# "(#100) metric[0] must be one of the following values: reach, follower_count, ..." (Instagram insights)
_ALLOWED_LIST = re.compile(r"must be one of the following values:\s*(?P<values>[\w ,]+)", re.IGNORECASE)
# Messages that say a requested metric or field is not (or no longer) valid.
_REFUSAL = re.compile(
    r"valid insights metric|must be one of the following values|nonexisting field|no longer supported"
    r"|is deprecated|invalid (?:metric|field)s?|unknown (?:metric|field)",
    re.IGNORECASE,
)


def looks_like_refusal(message: str) -> bool:
    """Whether an error message says a requested metric or field is not valid (any platform's wording)."""
    return bool(_REFUSAL.search(message or ""))


def named_refusals(message: str, requested: Sequence[str]) -> set[str]:
    """The requested names the message refuses, when it names them; empty when it does not say which.

    A list of allowed values ("must be one of the following values: a, b") refuses what is requested but not
    in it; otherwise a requested name appearing in the message as a whole word is the refused one.
    """
    allowed = _ALLOWED_LIST.search(message or "")
    if allowed:
        values = {v.strip() for v in allowed.group("values").split(",") if v.strip()}
        if values:
            return {name for name in requested if name not in values}
    return {name for name in requested if re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", message or "")}


class RefusedFields:
    """Names a platform refused during one run (shared by the day fetches of the run; thread-safe)."""

    def __init__(self) -> None:
        self._refused: dict[str, dict[str, str]] = {}  # request -> name -> the platform's message
        self._lock = threading.Lock()

    def refuse(self, request: str, names: Iterable[str], message: str) -> None:
        with self._lock:
            for name in names:
                self._refused.setdefault(request, {}).setdefault(name, message)

    def wanted(self, request: str, names: Sequence[str]) -> list[str]:
        with self._lock:
            gone = self._refused.get(request, {})
            return [n for n in names if n not in gone]

    def snapshot(self) -> dict[str, str]:
        """Every refused name (across requests) with the platform's message."""
        with self._lock:
            return {name: msg for names in self._refused.values() for name, msg in names.items()}

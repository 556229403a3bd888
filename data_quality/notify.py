"""Pluggable notifications for critical data-quality flags and failed runs.

A notifier takes one alert (a JSON-serialisable dict with at least `kind` and `summary`) and delivers it:
- `LogFileNotifier` appends it as one JSON line to `<data>/logs/alerts.jsonl` (always on: the audit trail);
- `WebhookNotifier` POSTs it as JSON to `MEDSOS_ALERT_WEBHOOK_URL` when that is set (Slack/Teams/Mattermost
  style incoming webhooks, or any HTTP endpoint), with a timeout and a few retries on 5xx and network errors.
`build_notifier()` reads the settings at call time and returns the combination. A failing webhook never
breaks the pipeline: the failure is written to the log file instead (without the URL: a webhook URL is a
secret, and so is anything credential-shaped in the alert text, which is redacted).

Settings: MEDSOS_ALERT_WEBHOOK_URL (unset = log file only), MEDSOS_ALERT_WEBHOOK_TIMEOUT_S (default 5).
"""

import datetime as dt
import json
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pipelines.clients.redact import Redactor
from pipelines.settings import get_settings

WEBHOOK_ENV = "MEDSOS_ALERT_WEBHOOK_URL"
TIMEOUT_ENV = "MEDSOS_ALERT_WEBHOOK_TIMEOUT_S"
SOURCE = "medsos-warehouse"


class Notifier(Protocol):
    def send(self, alert: dict) -> bool:
        """Deliver one alert; True when delivered. Must not raise for delivery problems."""
        ...


def _stamp(alert: dict) -> dict:
    out = {"source": SOURCE, "sent_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    out.update(alert)
    return out


def _redacted(alert: dict, redact: Redactor) -> dict:
    """The alert with every string value passed through the redactor (nested lists and dicts too)."""

    def walk(value):
        if isinstance(value, str):
            return redact(value)
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return walk(alert)


@dataclass
class LogFileNotifier:
    path: Path
    redact: Redactor = field(default_factory=Redactor)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def send(self, alert: dict) -> bool:
        line = json.dumps(_redacted(_stamp(alert), self.redact), ensure_ascii=False, default=str)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self.path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")
        return True


@dataclass
class WebhookNotifier:
    url: str
    timeout_s: float = 5.0
    attempts: int = 3
    backoff_s: float = 0.5
    fallback: Notifier | None = None  # where delivery failures are recorded
    redact: Redactor = field(default_factory=Redactor)

    def __repr__(self) -> str:  # the URL is a secret: never print it
        return f"WebhookNotifier(url=***, timeout_s={self.timeout_s}, attempts={self.attempts})"

    def send(self, alert: dict) -> bool:
        import requests

        body = _redacted(_stamp(alert), self.redact)
        error = ""
        for attempt in range(1, self.attempts + 1):
            try:
                response = requests.post(self.url, json=body, timeout=self.timeout_s)
                if response.status_code < 300:
                    return True
                error = f"HTTP {response.status_code}"
                if response.status_code < 500 and response.status_code != 429:
                    break  # the endpoint refused the alert: retrying will not help
            except requests.RequestException as exc:
                error = type(exc).__name__  # the message may quote the URL; the type says enough
            if attempt < self.attempts:
                time.sleep(self.backoff_s * attempt)
        if self.fallback is not None:
            self.fallback.send({"kind": "alert_delivery_failed", "summary": f"webhook: {error}",
                                "failed_kind": alert.get("kind")})  # fmt: skip
        return False


@dataclass
class MultiNotifier:
    notifiers: list

    def send(self, alert: dict) -> bool:
        results = [n.send(alert) for n in self.notifiers]
        return all(results)


def alerts_log_path() -> Path:
    return get_settings().data_dir / "logs" / "alerts.jsonl"


def build_notifier() -> MultiNotifier:
    """The configured notifiers, from settings read now: the log file, plus the webhook when set."""
    url = os.environ.get(WEBHOOK_ENV, "").strip()
    redact = Redactor([url] if url else [])
    log = LogFileNotifier(alerts_log_path(), redact=redact)
    notifiers: list = [log]
    if url:
        timeout = float(os.environ.get(TIMEOUT_ENV, "") or 5.0)
        notifiers.append(WebhookNotifier(url, timeout_s=timeout, fallback=log, redact=redact))
    return MultiNotifier(notifiers)

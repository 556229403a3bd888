"""Notifications for critical data-quality flags, failed runs and the weekly scorecard, through apprise.

A notifier takes one alert (a JSON-serialisable dict with at least `kind` and `summary`; optional `text`, the
message body in Markdown, and `items`) and delivers it:
- `LogFileNotifier` appends it as one JSON line to `<data>/logs/alerts.jsonl` (always on: the audit trail);
- `AppriseNotifier` sends it to every configured apprise URL: e-mail (`mailto://`, `mailtos://`), chat
  (`slack://`, `mmost://`, `tgram://`, `msteams://`, `discord://`, ...) or any HTTP endpoint (`json://`,
  `jsons://`), with files attached where the service takes them. apprise retries (`retry`/`wait` URL
  parameters, default 2 retries here) and times out (`rto`/`cto`) per URL.
`build_notifier()` reads the settings at call time and returns the combination. A failing destination never
breaks the pipeline: the failure is written to the log file instead, without the URL (an apprise URL holds
passwords and tokens) and with anything credential-shaped in the alert redacted.

Settings (whitespace- or comma-separated apprise URLs; unset = log file only):
- MEDSOS_ALERT_NOTIFY_URLS: alerts (data engineers' chat, on-call e-mail);
- MEDSOS_SCORECARD_NOTIFY_URLS: the weekly scorecard (leadership e-mail, the Humas group chat);
- MEDSOS_ALERT_WEBHOOK_URL (earlier setting, still honoured): one http(s) endpoint, posted as apprise JSON;
  MEDSOS_ALERT_WEBHOOK_TIMEOUT_S its timeout (default 5 s).
"""

import datetime as dt
import json
import logging
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pipelines.clients.redact import Redactor
from pipelines.settings import get_settings

ALERT_URLS_ENV = "MEDSOS_ALERT_NOTIFY_URLS"
SCORECARD_URLS_ENV = "MEDSOS_SCORECARD_NOTIFY_URLS"
WEBHOOK_ENV = "MEDSOS_ALERT_WEBHOOK_URL"
TIMEOUT_ENV = "MEDSOS_ALERT_WEBHOOK_TIMEOUT_S"
SOURCE = "medsos-warehouse"
DEFAULT_RETRIES = 2
MAX_ITEMS_IN_TEXT = 10


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


def message_of(alert: dict) -> tuple[str, str]:
    """(title, Markdown body) of an alert: its own `text`, else the summary and the first items."""
    title = str(alert.get("title") or alert.get("summary") or alert.get("kind", "alert"))
    if alert.get("text"):
        return title, str(alert["text"])
    lines = [str(alert.get("summary", ""))]
    for item in (alert.get("items") or [])[:MAX_ITEMS_IN_TEXT]:
        lines.append("- " + (item.get("explanation") or json.dumps(item, default=str)) if isinstance(item, dict)
                     else f"- {item}")  # fmt: skip
    return title, "\n".join(lines)


def with_defaults(url: str, timeout_s: float | None = None) -> str:
    """The URL with retry (and, when given, timeouts) unless it sets them itself."""
    params = {"retry": str(DEFAULT_RETRIES)}
    if timeout_s is not None:
        params |= {"rto": str(timeout_s), "cto": str(timeout_s)}
    missing = [f"{k}={v}" for k, v in params.items() if not re.search(rf"[?&]{k}=", url)]
    if not missing:
        return url
    return url + ("&" if "?" in url else "?") + "&".join(missing)


@dataclass
class AppriseNotifier:
    urls: Sequence[str]
    fallback: Notifier | None = None  # where delivery failures are recorded
    redact: Redactor = field(default_factory=Redactor)

    def __repr__(self) -> str:  # apprise URLs carry passwords and tokens: never print them
        return f"AppriseNotifier(urls=[{len(self.urls)} configured])"

    def send(self, alert: dict, attachments: Sequence[Path] = ()) -> bool:
        import apprise

        title, body = message_of(_redacted(alert, self.redact))
        client = apprise.Apprise(asset=apprise.AppriseAsset(app_id=SOURCE, app_desc=SOURCE))
        refused = [url for url in self.urls if not client.add(url)]
        with apprise.LogCapture(level=logging.WARNING) as captured:
            delivered = bool(len(client)) and bool(
                client.notify(
                    body=body,
                    title=title,
                    body_format=apprise.NotifyFormat.MARKDOWN,
                    attach=[str(p) for p in attachments] or None,
                )
            )
        delivered = delivered and not refused
        if not delivered and self.fallback is not None:
            reasons = [line.strip() for line in captured.getvalue().splitlines() if line.strip()]
            if refused:
                reasons.insert(0, f"{len(refused)} URL(s) not understood by apprise")
            self.fallback.send(
                {
                    "kind": "alert_delivery_failed",
                    "summary": self.redact("apprise: " + ("; ".join(reasons[:3]) or "delivery failed")),
                    "failed_kind": alert.get("kind"),
                }
            )
        return delivered


@dataclass
class MultiNotifier:
    notifiers: list

    def send(self, alert: dict, attachments: Sequence[Path] = ()) -> bool:
        results = [
            n.send(alert, attachments) if isinstance(n, AppriseNotifier) else n.send(alert)
            for n in self.notifiers
        ]
        return all(results)


def alerts_log_path() -> Path:
    return get_settings().data_dir / "logs" / "alerts.jsonl"


def url_secrets(urls: Sequence[str]) -> list[str]:
    """What to scrub from anything logged about these URLs: each whole URL, its password and its long tokens."""
    secrets = list(urls)
    for url in urls:
        if password := re.match(r"^[a-z0-9+]+://[^:/@]+:([^@/]+)@", url):
            secrets.append(password.group(1))
        secrets += [part for part in re.split(r"[/:@?&=#]", url) if len(part) >= 12]
    return secrets


def configured_urls(env: str) -> list[str]:
    return [u for u in re.split(r"[\s,]+", os.environ.get(env, "")) if u]


def legacy_webhook_url() -> str | None:
    """MEDSOS_ALERT_WEBHOOK_URL as an apprise JSON URL (http -> json, https -> jsons)."""
    url = os.environ.get(WEBHOOK_ENV, "").strip()
    if not url:
        return None
    timeout = float(os.environ.get(TIMEOUT_ENV, "") or 5.0)
    return with_defaults(re.sub(r"^http(s?)://", r"json\1://", url), timeout)


def build_notifier(urls_env: str = ALERT_URLS_ENV) -> MultiNotifier:
    """The configured notifiers, from settings read now: the log file, plus apprise when URLs are set.

    `urls_env` names the setting with the destinations (alerts by default; SCORECARD_URLS_ENV for the scorecard).
    """
    urls = [with_defaults(u) for u in configured_urls(urls_env)]
    if urls_env == ALERT_URLS_ENV and (legacy := legacy_webhook_url()):
        urls.append(legacy)
    redact = Redactor(url_secrets(urls))
    log = LogFileNotifier(alerts_log_path(), redact=redact)
    notifiers: list = [log]
    if urls:
        notifiers.append(AppriseNotifier(urls, fallback=log, redact=redact))
    return MultiNotifier(notifiers)

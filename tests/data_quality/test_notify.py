"""Notifiers: the JSON-lines log file, and apprise against a real local HTTP server (its JSON service)."""

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from data_quality.notify import (
    AppriseNotifier,
    LogFileNotifier,
    alerts_log_path,
    build_notifier,
    with_defaults,
)

SECRET_URL_PATH = "/hooks/T000/B000/s3cr3t-hook-token"


class Hook:
    """A local webhook endpoint: records every POST; answers with the queued statuses, then 200."""

    def __init__(self, statuses=(), delay_s: float = 0.0):
        self.received: list[dict] = []
        self.statuses = list(statuses)
        self.delay_s = delay_s
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hook.received.append(
                    {"path": self.path, "type": self.headers["Content-Type"], "json": json.loads(body)}
                )
                time.sleep(hook.delay_s)
                status = hook.statuses.pop(0) if hook.statuses else 200
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}{SECRET_URL_PATH}"
        self.apprise_url = f"json://127.0.0.1:{self.port}{SECRET_URL_PATH}?wait=0.01"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


ALERT = {
    "kind": "critical_anomalies",
    "summary": "2 critical flags",
    "items": [{"account_id": "x:1", "explanation": "Pengikut turun 40 % dalam sehari."}],
}


def test_log_file_notifier_appends_json_lines(tmp_path):
    log = tmp_path / "logs" / "alerts.jsonl"
    notifier = LogFileNotifier(log)
    assert notifier.send(ALERT) and notifier.send({**ALERT, "summary": "again"})
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [line["summary"] for line in lines] == ["2 critical flags", "again"]
    assert lines[0]["source"] == "medsos-warehouse" and lines[0]["sent_at"].endswith("+00:00")
    assert lines[0]["items"] == ALERT["items"]


def test_apprise_posts_title_and_message_to_a_real_server():
    with Hook() as hook:
        assert AppriseNotifier([with_defaults(hook.apprise_url)]).send(ALERT)
    assert len(hook.received) == 1
    request = hook.received[0]
    assert request["path"] == SECRET_URL_PATH and request["type"] == "application/json"
    assert request["json"]["title"] == "2 critical flags"
    assert "Pengikut turun 40 % dalam sehari." in request["json"]["message"]


def test_apprise_retries_server_errors_then_delivers():
    with Hook(statuses=[503, 500]) as hook:
        assert AppriseNotifier([with_defaults(hook.apprise_url)]).send(ALERT)
    assert len(hook.received) == 3  # two retries by default


def test_a_refusal_is_logged_without_the_url(tmp_path):
    log = tmp_path / "alerts.jsonl"
    with Hook(statuses=[404, 404, 404]) as hook:
        notifier = AppriseNotifier([with_defaults(hook.apprise_url)], fallback=LogFileNotifier(log))
        assert not notifier.send(ALERT)
    text = log.read_text(encoding="utf-8")
    record = json.loads(text)
    assert record["kind"] == "alert_delivery_failed" and "404" in record["summary"]
    assert record["failed_kind"] == "critical_anomalies"
    assert "s3cr3t" not in text and "s3cr3t" not in repr(notifier)


def test_a_slow_endpoint_times_out_quickly(tmp_path):
    log = tmp_path / "alerts.jsonl"
    with Hook(delay_s=2.0) as hook:
        started = time.monotonic()
        url = with_defaults(hook.apprise_url.replace("?wait=0.01", "?retry=1&wait=0"), timeout_s=0.3)
        assert not AppriseNotifier([url], fallback=LogFileNotifier(log)).send(ALERT)
        assert time.monotonic() - started < 1.9
    assert json.loads(log.read_text(encoding="utf-8"))["kind"] == "alert_delivery_failed"


@pytest.mark.parametrize("url", ["json://127.0.0.1:9/hook?retry=0", "nosuchservice://what/ever"])
def test_unreachable_or_unknown_destinations_never_raise(tmp_path, url):
    log = tmp_path / "a.jsonl"
    assert not AppriseNotifier([url], fallback=LogFileNotifier(log)).send(ALERT)
    assert json.loads(log.read_text(encoding="utf-8"))["kind"] == "alert_delivery_failed"


def test_files_are_attached(tmp_path):
    page = tmp_path / "nasional.html"
    page.write_text("<!DOCTYPE html><title>x</title>", encoding="utf-8")
    with Hook() as hook:
        assert AppriseNotifier([hook.apprise_url]).send({"kind": "weekly_scorecard", "summary": "W"}, [page])
    attachment = hook.received[0]["json"]["attachments"][0]
    assert attachment["filename"] == "nasional.html"
    assert base64.b64decode(attachment["base64"]).decode() == page.read_text(encoding="utf-8")


def test_build_notifier_reads_settings_at_call_time(data_dir, monkeypatch):
    monkeypatch.delenv("MEDSOS_ALERT_WEBHOOK_URL", raising=False)
    monkeypatch.delenv("MEDSOS_ALERT_NOTIFY_URLS", raising=False)
    only_log = build_notifier()
    assert [type(n).__name__ for n in only_log.notifiers] == ["LogFileNotifier"]
    assert alerts_log_path() == data_dir / "logs" / "alerts.jsonl"
    with Hook() as hook, Hook() as second:
        # The earlier webhook setting (a plain http URL) still works, beside apprise URLs.
        monkeypatch.setenv("MEDSOS_ALERT_WEBHOOK_URL", hook.url)
        monkeypatch.setenv("MEDSOS_ALERT_WEBHOOK_TIMEOUT_S", "2")
        monkeypatch.setenv("MEDSOS_ALERT_NOTIFY_URLS", f" {second.apprise_url} ")
        both = build_notifier()
        assert both.send(
            {"kind": "run_failure", "summary": "failed", "error": f"GET {hook.url}?access_token=abc123"}
        )
    assert len(hook.received) == len(second.received) == 1
    sent = json.dumps(hook.received[0]["json"])
    assert "failed" in sent and "s3cr3t" not in sent and "abc123" not in sent
    logged = (data_dir / "logs" / "alerts.jsonl").read_text(encoding="utf-8")
    assert "failed" in logged and "s3cr3t" not in logged and "abc123" not in logged


def test_scorecard_recipients_are_a_setting_of_their_own(data_dir, monkeypatch):
    monkeypatch.setenv("MEDSOS_ALERT_NOTIFY_URLS", "json://127.0.0.1:9/alerts")
    monkeypatch.delenv("MEDSOS_SCORECARD_NOTIFY_URLS", raising=False)
    assert len(build_notifier("MEDSOS_SCORECARD_NOTIFY_URLS").notifiers) == 1  # log file only
    monkeypatch.setenv("MEDSOS_SCORECARD_NOTIFY_URLS", "mailto://127.0.0.1:2525?from=a@b.go.id, json://h/x")
    notifier = build_notifier("MEDSOS_SCORECARD_NOTIFY_URLS").notifiers[1]
    assert len(notifier.urls) == 2 and all("retry=2" in u for u in notifier.urls)


@pytest.mark.parametrize("alert", [{"kind": "x", "summary": "token Bearer sbx_0123456789abcdef"}])
def test_credentials_in_alert_text_are_redacted(tmp_path, alert):
    log = tmp_path / "a.jsonl"
    LogFileNotifier(log).send(alert)
    assert "sbx_0123456789abcdef" not in log.read_text(encoding="utf-8")

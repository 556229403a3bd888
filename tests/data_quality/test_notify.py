"""Notifiers: the JSON-lines log file, and the webhook against a real local HTTP server."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from data_quality.notify import LogFileNotifier, WebhookNotifier, alerts_log_path, build_notifier

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
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{SECRET_URL_PATH}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


ALERT = {"kind": "critical_anomalies", "summary": "2 critical flags", "items": [{"account_id": "x:1"}]}


def test_log_file_notifier_appends_json_lines(tmp_path):
    log = tmp_path / "logs" / "alerts.jsonl"
    notifier = LogFileNotifier(log)
    assert notifier.send(ALERT) and notifier.send({**ALERT, "summary": "again"})
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [line["summary"] for line in lines] == ["2 critical flags", "again"]
    assert lines[0]["source"] == "medsos-warehouse" and lines[0]["sent_at"].endswith("+00:00")
    assert lines[0]["items"] == [{"account_id": "x:1"}]


def test_webhook_posts_json_to_a_real_server():
    with Hook() as hook:
        assert WebhookNotifier(hook.url, timeout_s=2).send(ALERT)
    assert len(hook.received) == 1
    request = hook.received[0]
    assert request["path"] == SECRET_URL_PATH and request["type"] == "application/json"
    assert request["json"]["kind"] == "critical_anomalies" and request["json"]["items"] == ALERT["items"]


def test_webhook_retries_server_errors_then_delivers():
    with Hook(statuses=[503, 500]) as hook:
        assert WebhookNotifier(hook.url, timeout_s=2, backoff_s=0.01).send(ALERT)
    assert len(hook.received) == 3


def test_webhook_refusal_is_logged_without_the_url(tmp_path):
    log = tmp_path / "alerts.jsonl"
    with Hook(statuses=[404]) as hook:
        notifier = WebhookNotifier(hook.url, timeout_s=2, backoff_s=0.01, fallback=LogFileNotifier(log))
        assert not notifier.send(ALERT)
    assert len(hook.received) == 1  # a 4xx is not retried
    text = log.read_text(encoding="utf-8")
    record = json.loads(text)
    assert record["kind"] == "alert_delivery_failed" and record["summary"] == "webhook: HTTP 404"
    assert "s3cr3t" not in text and "s3cr3t" not in repr(notifier)


def test_webhook_timeout_gives_up_after_its_attempts(tmp_path):
    # How soon it gives up (0.2 s timeout x 2 attempts, not the hook's 1 s): `python -m pipelines.benchmark_speeds`.
    log = tmp_path / "alerts.jsonl"
    with Hook(delay_s=1.0) as hook:
        notifier = WebhookNotifier(
            hook.url, timeout_s=0.2, attempts=2, backoff_s=0.01, fallback=LogFileNotifier(log)
        )
        assert not notifier.send(ALERT)
    assert len(hook.received) == 2  # each attempt timed out and was not waited out
    assert json.loads(log.read_text(encoding="utf-8"))["summary"] == "webhook: ReadTimeout"


def test_unreachable_webhook_never_raises(tmp_path):
    notifier = WebhookNotifier(
        "http://127.0.0.1:9/hook", timeout_s=0.5, attempts=1, fallback=LogFileNotifier(tmp_path / "a")
    )
    assert not notifier.send(ALERT)


def test_build_notifier_reads_settings_at_call_time(data_dir, monkeypatch):
    monkeypatch.delenv("MEDSOS_ALERT_WEBHOOK_URL", raising=False)
    only_log = build_notifier()
    assert [type(n).__name__ for n in only_log.notifiers] == ["LogFileNotifier"]
    assert alerts_log_path() == data_dir / "logs" / "alerts.jsonl"
    with Hook() as hook:
        monkeypatch.setenv("MEDSOS_ALERT_WEBHOOK_URL", hook.url)
        monkeypatch.setenv("MEDSOS_ALERT_WEBHOOK_TIMEOUT_S", "2")
        both = build_notifier()
        assert both.send(
            {"kind": "run_failure", "summary": "failed", "error": f"GET {hook.url}?access_token=abc123"}
        )
    sent = hook.received[0]["json"]
    assert "s3cr3t" not in json.dumps(sent) and "abc123" not in json.dumps(sent)
    logged = (data_dir / "logs" / "alerts.jsonl").read_text(encoding="utf-8")
    assert "failed" in logged and "s3cr3t" not in logged and "abc123" not in logged


@pytest.mark.parametrize("alert", [{"kind": "x", "summary": "token Bearer sbx_0123456789abcdef"}])
def test_credentials_in_alert_text_are_redacted(tmp_path, alert):
    log = tmp_path / "a.jsonl"
    LogFileNotifier(log).send(alert)
    assert "sbx_0123456789abcdef" not in log.read_text(encoding="utf-8")

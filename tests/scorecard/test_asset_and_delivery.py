"""The scorecard in Dagster: a real materialization of a week's partition, automation after a publish, and the
delivery sensor sending the newest complete week once, by e-mail (a local SMTP server) and to a chat webhook."""

import base64
import email
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import dagster as dg
import pytest

from assets.scorecard import weekly_scorecard
from pipelines.asset_keys import PUBLISHED_KEY, SCORECARD_KEY
from pipelines.partitions import weekly_partitions
from pipelines.scorecard import last_complete_week_start
from pipelines.sensors.scorecard import scorecard_delivery_sensor
from pipelines.settings import today_wib


@pytest.fixture
def on_warehouse(scorecard_warehouse, tmp_path, monkeypatch) -> Path:
    """Settings pointing at the built warehouse; pages into a private folder."""
    monkeypatch.setenv("MEDSOS_DATA_DIR", str(scorecard_warehouse.data_dir))
    monkeypatch.setenv("MEDSOS_SCORECARD_DIR", str(tmp_path / "scorecards"))
    monkeypatch.delenv("MEDSOS_SCORECARD_NOTIFY_URLS", raising=False)
    return tmp_path / "scorecards"


def materialize_week(instance, week_start) -> dg.ExecuteInProcessResult:
    return dg.materialize([weekly_scorecard], partition_key=week_start.isoformat(), instance=instance)


def test_the_newest_partition_is_the_last_complete_week(scorecard_warehouse):
    newest = scorecard_warehouse.window.complete_week_starts[-1]
    assert weekly_partitions.get_last_partition_key() == newest.isoformat()
    assert last_complete_week_start(today_wib()) == newest  # what `make run` builds


def test_materializing_a_week_writes_the_pages_and_links_them_in_the_metadata(
    scorecard_warehouse, on_warehouse
):
    week = scorecard_warehouse.window.complete_week_starts[0]  # any past week can be rebuilt
    result = materialize_week(dg.DagsterInstance.ephemeral(), week)
    assert result.success
    metadata = result.asset_materializations_for_node("reports__weekly_scorecard")[0].metadata
    page = Path(metadata["national_page"].value)
    assert page.exists() and page.parent.parent == on_warehouse.resolve()
    assert metadata["open_national_page"].value == page.as_uri()
    assert Path(metadata["index_page"].value).exists()
    assert metadata["is_complete_week"].value is True
    assert metadata["iso_week"].value == page.parent.name
    assert metadata["pages"].value == 2 * (1 + 3)  # national + three provinces, two languages
    preview = metadata["preview"]
    assert isinstance(preview, dg.MarkdownMetadataValue) and "| Instagram |" in preview.value
    assert metadata["render_seconds"].value > 0 and metadata["national_page_kib"].value > 10


def test_a_week_the_warehouse_does_not_hold_fails_with_a_clear_message(on_warehouse):
    with pytest.raises(dg.Failure, match="holds no day of the week starting 2025-01-06"):
        dg.materialize(
            [weekly_scorecard], partition_key="2025-01-06", instance=dg.DagsterInstance.ephemeral()
        )


def test_a_publish_requests_the_newest_week_only(on_warehouse):
    # on_warehouse: a published warehouse that holds the newest week (automation renders only weeks it holds)
    instance = dg.DagsterInstance.ephemeral()
    tick = dg.evaluate_automation_conditions(defs=[weekly_scorecard], instance=instance)
    assert tick.total_requested == 0  # nothing published yet
    instance.report_runless_asset_event(dg.AssetMaterialization(PUBLISHED_KEY))
    tick = dg.evaluate_automation_conditions(defs=[weekly_scorecard], instance=instance, cursor=tick.cursor)
    assert tick.get_requested_partitions(SCORECARD_KEY) == {weekly_partitions.get_last_partition_key()}


class ChatHook:
    """A chat service's incoming webhook (apprise's JSON service), recording each message."""

    def __init__(self):
        self.received: list[dict] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                hook.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"json://127.0.0.1:{self.server.server_address[1]}/hooks/humas?wait=0"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Mailbox:
    """A local SMTP server (aiosmtpd) keeping the messages it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list[email.message.Message] = []
        box = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                box.messages.append(email.message_from_bytes(envelope.content))
                return "250 OK"

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        self.url = f"mailto://127.0.0.1:{self.port}?from=humas@example.go.id&to=pimpinan@example.go.id"

    def close(self):
        self.controller.stop()


def test_the_newest_complete_week_is_sent_once_by_email_and_chat(
    scorecard_warehouse, on_warehouse, monkeypatch
):
    instance = dg.DagsterInstance.ephemeral()
    context = dg.build_sensor_context(instance=instance)
    assert "MEDSOS_SCORECARD_NOTIFY_URLS is not set" in scorecard_delivery_sensor(context).skip_message

    chat, mailbox = ChatHook(), Mailbox()
    try:
        monkeypatch.setenv("MEDSOS_SCORECARD_NOTIFY_URLS", f"{mailbox.url} {chat.url}")
        assert "no scorecard built yet" in scorecard_delivery_sensor(context).skip_message
        older, newest = scorecard_warehouse.window.complete_week_starts
        assert materialize_week(instance, older).success
        skip = scorecard_delivery_sensor(dg.build_sensor_context(instance=instance)).skip_message
        assert "earlier week" in skip and not chat.received  # a rebuild of an old week is not sent

        assert materialize_week(instance, newest).success
        context = dg.build_sensor_context(instance=instance)
        assert "sent the scorecard" in scorecard_delivery_sensor(context).skip_message
        assert len(chat.received) == 1 and len(mailbox.messages) == 1
        label = Path(on_warehouse).resolve()
        week = next(p.name for p in label.iterdir() if p.is_dir() and p.name.endswith(newest.strftime("W%V")))
        message = chat.received[0]
        assert message["title"] == f"Rapor Mingguan Media Sosial {week}"
        assert "| Instagram |" in message["message"]
        names = [a["filename"] for a in message["attachments"]]
        assert names == ["nasional.html", "nasional.en.html"]
        assert base64.b64decode(message["attachments"][0]["base64"]).startswith(b"<!DOCTYPE html>")

        mail = mailbox.messages[0]
        assert mail["To"] == "pimpinan@example.go.id" and week in mail["Subject"]
        attached = [part.get_filename() for part in mail.walk() if part.get_filename()]
        assert attached == ["nasional.html", "nasional.en.html"]

        # Rebuilding the same week (a late report) does not send it again.
        assert materialize_week(instance, newest).success
        again = dg.build_sensor_context(instance=instance, cursor=context.cursor)
        assert "sent already" in scorecard_delivery_sensor(again).skip_message
        assert len(chat.received) == 1 and len(mailbox.messages) == 1
    finally:
        chat.close()
        mailbox.close()

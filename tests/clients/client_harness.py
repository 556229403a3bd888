"""Test harness for the client tests: real HTTP servers on 127.0.0.1 with scripted answers, a virtual clock."""

import datetime as dt
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from pipelines.clients import ClientConfig, build_client
from pipelines.clients.ratelimit import Clock
from pipelines.registry import Account

DAY = dt.date(2026, 1, 15)


@dataclass
class Req:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}

    def json(self):
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    body: object = None  # dict/list -> JSON; str/bytes -> sent as is
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


class ScriptedServer:
    """`handler(req, n)` -> Reply, where n counts requests so far (1-based). Records every request."""

    def __init__(self, handler):
        self.handler = handler
        self.requests: list[Req] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                parts = urlsplit(self.path)
                req = Req(
                    self.command,
                    parts.path,
                    {k: v[0] for k, v in parse_qs(parts.query).items()},
                    dict(self.headers),
                    self.rfile.read(length),
                )
                with server._lock:
                    server.requests.append(req)
                    n = len(server.requests)
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    reply = server.handler(req, n)
                    if reply.delay_s:
                        time.sleep(reply.delay_s)
                    body = reply.body
                    if not isinstance(body, str | bytes):
                        body = json.dumps(body)
                    data = body.encode() if isinstance(body, str) else body
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)
                finally:
                    with server._lock:
                        server.in_flight -= 1

            do_GET = _serve
            do_POST = _serve

            def log_message(self, *args):
                pass

        return Handler

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class FakeClock(Clock):
    """Virtual time: sleep returns at once, records the wait and advances both clocks."""

    def __init__(self, wall: float = 1_800_000_000.0):
        self.wall = wall
        self.mono = 1000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def time(self) -> float:
        return self.wall

    def monotonic(self) -> float:
        return self.mono

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            with self._lock:
                self.sleeps.append(seconds)
                self.wall += seconds
                self.mono += seconds


def account(platform: str, uid: str, unit: str = "ID-35") -> Account:
    return Account(f"{platform}:{uid}", unit, platform, f"h{uid}", uid, "api", dt.date(2024, 1, 1), None)


def config(url: str, **kw) -> ClientConfig:
    defaults = dict(max_retries=3, backoff_base_s=0.01, backoff_max_s=0.5, timeout_s=2.0, max_concurrency=2)
    return ClientConfig(base_url=url, **{**defaults, **kw})


def client(platform: str, url: str, clock=None, refused=None, **kw):
    return build_client(platform, config(url, **kw), clock=clock, refused=refused)

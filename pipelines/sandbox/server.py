"""The HTTP server: routing by platform prefix, simulated time, transient faults, control endpoints.

One `ThreadingHTTPServer` (a thread per connection, HTTP/1.1 keep-alive). Each request: pick the platform
from the path prefix, read `X-Sandbox-As-Of`, draw a transient fault, then let the platform module answer.
"""

import datetime as dt
import sys
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from pipelines.sandbox import meta, oauth, tiktok, x, youtube
from pipelines.sandbox.faults import truncate
from pipelines.sandbox.protocol import Request, Response, SandboxApp

ROUTES = {"youtube/v3": ("youtube", youtube), "x/2": ("x", x), "tiktok/v2": ("tiktok", tiktok)}


def route(path: str) -> tuple[str, object, str, str] | None:
    """(stats name, module, path below the prefix, prefix) for a platform path, else None."""
    parts = path.split("/", 3)  # "", first, second, rest
    if len(parts) >= 3 and parts[1] == "graph" and meta.VERSION.fullmatch(parts[2]):
        prefix = f"/graph/{parts[2]}"
        return "graph", meta, path[len(prefix) :] or "/", prefix
    if len(parts) >= 3:
        hit = ROUTES.get(f"{parts[1]}/{parts[2]}")
        if hit:
            prefix = f"/{parts[1]}/{parts[2]}"
            return hit[0], hit[1], path[len(prefix) :] or "/", prefix
    return None


def parse_as_of(header: str | None) -> dt.date | None:
    """The day `X-Sandbox-As-Of` asks for; None without the header (today). ValueError if malformed."""
    return dt.date.fromisoformat(header.strip()) if header else None


def control(app: SandboxApp, method: str, path: str, query: dict) -> Response:
    app = app.for_request(None)
    w = app.world
    if path == "/_sandbox/health":
        return Response(
            200,
            {
                "status": "ok",
                "seed": w.seed,
                "accounts": len(w.accounts),
                "today": w.today.isoformat(),
                "epoch": w.epoch.isoformat(),
            },
        )
    if path == "/_sandbox/stats" and method == "GET":
        return Response(
            200, {**app.stats.snapshot(), "youtube_quota_used": app.quota.used(), "world": w.summary()}
        )
    if path == "/_sandbox/stats/reset" and method == "POST":
        app.stats.reset()
        app.limiter.reset()
        app.quota.reset()
        return Response(200, {"status": "reset"})
    if path == "/_sandbox/expected" and method == "GET":
        try:
            aid, day = query["account_id"], dt.date.fromisoformat(query["date"])
            return Response(
                200,
                {
                    "account_id": aid,
                    "date": day.isoformat(),
                    "status": w.expected_status(aid, day),
                    "values": w.expected_values(aid, day),
                },
            )
        except (KeyError, ValueError) as exc:
            return Response(400, {"error": f"need known account_id and date within the history: {exc}"})
    if path == "/_sandbox/ground_truth" and method == "POST" and app.write_files is not None:
        return Response(200, {k: str(v) for k, v in app.write_files().items()})
    return Response(404, {"error": f"unknown sandbox control endpoint {method} {path}"})


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "medsos-sandbox/1"
    # Headers and body are written separately: with Nagle + delayed ACK each keep-alive request waited ~40 ms.
    disable_nagle_algorithm = True
    server: "SandboxServer"

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def log_message(self, format, *args):
        if self.server.verbose:
            super().log_message(format, *args)

    def _dispatch(self, method: str) -> None:
        app = self.server.app
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        split = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        delay, fault = 0.0, None
        try:
            if split.path.startswith("/_sandbox/"):
                resp = control(app, method, split.path, query)
                payload = resp.body()
            else:
                found = route(split.path)
                if found is None:
                    resp = Response(404, {"error": f"no platform serves {split.path}"})
                    payload = resp.body()
                else:
                    name, module, rest, prefix = found
                    resp, payload, fault = self._platform(
                        app, method, name, module, rest, prefix, query, body
                    )
                    delay = app.config.timeout_delay_s if fault == "timeout" else 0.0
                    app.stats.request(name, resp.status)
        except Exception:  # a bug must not kill the connection thread silently
            traceback.print_exc(file=sys.stderr)
            resp = Response(500, {"error": "sandbox internal error"})
            payload = resp.body()
        if delay:
            time.sleep(delay)
        self._send(resp, payload)

    def _platform(self, app, method, name, module, rest, prefix, query, body):
        try:
            day = parse_as_of(self.headers.get("X-Sandbox-As-Of"))
        except ValueError:
            resp = Response(400, {"error": "X-Sandbox-As-Of must be YYYY-MM-DD"})
            return resp, resp.body(), None
        app = app.for_request(day)
        as_of = app.world.n_days - 1 if day is None else app.world.clamp(day)
        host = self.headers.get("Host") or f"{self.server.server_address[0]}:{self.server.server_address[1]}"
        req = Request(method, rest, query, self.headers, body, as_of, f"http://{host}")
        fault = app.faults.roll()
        if fault:
            app.stats.fault(fault)
        if fault in ("throttle", "server_error"):
            resp = module.fault_response(app, fault)
        elif (token_resp := oauth.handle(app, name, req)) is not None:  # token endpoints, expired tokens
            resp = token_resp
        elif module is meta:
            resp = meta.handle(app, req, req.base_url + prefix)
        else:
            resp = module.handle(app, req)
        payload = resp.body()
        if fault == "malformed":
            resp = Response(200, b"", resp.headers, resp.content_type)
            payload = truncate(payload)
        return resp, payload, fault

    def _send(self, resp: Response, payload: bytes) -> None:
        try:
            self.send_response(resp.status)
            self.send_header("Content-Type", resp.content_type)
            self.send_header("Content-Length", str(len(payload)))
            for k, v in resp.headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (e.g. after a timeout fault)


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, app: SandboxApp, verbose: bool = False):
        self.app = app
        self.verbose = verbose
        super().__init__(address, Handler)

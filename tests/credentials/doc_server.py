"""A local HTTP server that answers with the documented bodies of fixtures/documented_bodies.json.

`DocServer.route(method, path, *fixture_names)` answers successive requests to that path with those fixtures in
turn (the last one repeats); every request is recorded (method, path, query, form, headers) so a test can
assert the request shape the documentation asks for.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

BODIES = json.loads(
    (Path(__file__).parent / "fixtures" / "documented_bodies.json").read_text(encoding="utf-8")
)


def body(name: str) -> dict:
    return BODIES[name]["body"]


class DocServer:
    def __init__(self):
        self.routes: dict[tuple[str, str], list[str]] = {}
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                split = urlsplit(self.path)
                record = {
                    "method": method,
                    "path": split.path,
                    "query": {k: v[-1] for k, v in parse_qs(split.query).items()},
                    "form": {k: v[-1] for k, v in parse_qs(raw).items()},
                    "headers": dict(self.headers),
                }
                with server._lock:
                    server.requests.append(record)
                    names = server.routes.get((method, split.path))
                    name = (names.pop(0) if len(names) > 1 else names[0]) if names else None
                fixture = BODIES.get(name) if name else None
                status = fixture["status"] if fixture else 404
                payload = json.dumps(fixture["body"] if fixture else {"error": "no route"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self):
                self._answer("GET")

            def do_POST(self):
                self._answer("POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def route(self, method: str, path: str, *names: str) -> None:
        with self._lock:
            self.routes[(method, path)] = list(names)

    def requests_to(self, path: str) -> list[dict]:
        return [r for r in self.requests if r["path"] == path]

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

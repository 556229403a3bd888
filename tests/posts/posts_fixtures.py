"""Helpers of the post tests: the sandbox with a small registry, client configs, a scripted HTTP server."""

import datetime as dt
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from pipelines.clients import ClientConfig
from pipelines.registry import Account

# The sandbox helpers of the client tests (same small registry, same pinned day); posts retry a little more.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "clients"))
from sandbox_harness import DAY, TODAY, api_accounts, write_small_registry  # noqa: F401
from sandbox_harness import sandbox_config as client_sandbox_config


def sandbox_config(sb, platform: str, **kw) -> ClientConfig:
    # A post batch (lists, insights, comments) is heavier than an account-day call: on a busy machine it can
    # exceed the clients' 5 s test timeout, so an account would end `failed` for the machine's sake.
    return client_sandbox_config(sb, platform, **{"max_retries": 6, "timeout_s": 30.0, **kw})


def account(platform: str, uid: str) -> Account:
    return Account(
        account_id=f"{platform}:{uid}",
        unit_code="ID-35",
        platform=platform,
        handle="humas.jatim",
        platform_user_id=uid,
        collection_method="api",
        active_from=dt.date(2024, 1, 1),
        active_to=None,
    )


class Scripted:
    """A real HTTP server on 127.0.0.1 answering `handler(method, path, query, body) -> (status, json)`;
    it records (method, path, query) of every request."""

    def __init__(self, handler):
        self.handler = handler
        self.requests: list[tuple[str, str, dict]] = []
        scripted = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                if (
                    self.command == "POST"
                    and body
                    and not self.headers.get("Content-Type", "").endswith("json")
                ):
                    query |= {k: v[-1] for k, v in parse_qs(body.decode()).items()}
                scripted.requests.append((self.command, parts.path, query))
                status, payload = scripted.handler(self.command, parts.path, query, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def config_for(url: str, **kw) -> ClientConfig:
    defaults = dict(
        base_url=url,
        account_tokens={
            "instagram:17841400008460056": "tok-ig",
            "facebook:104658438001050": "tok-fb",
            "tiktok:open_1": "tok-tt",
        },
        api_key="yt-key",
        bearer_token="x-bearer",
        meta_app_token="1|app",
        timeout_s=5.0,
        max_retries=2,
        backoff_base_s=0.01,
        backoff_max_s=0.05,
        max_concurrency=1,
    )
    return ClientConfig(**{**defaults, **kw})

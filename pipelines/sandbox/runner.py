"""Starting the sandbox: in-process for tests (`start_sandbox`) or in the foreground for the CLI (`serve`)."""

import datetime as dt
import threading
import time
from collections.abc import Callable
from pathlib import Path

from pipelines.platform_spec import spec
from pipelines.sandbox.config import SandboxConfig
from pipelines.sandbox.ground_truth import write_all
from pipelines.sandbox.protocol import SandboxApp
from pipelines.sandbox.rollover import Rollover
from pipelines.sandbox.server import SandboxServer
from pipelines.sandbox.world import World, today_wib
from pipelines.settings import get_settings


class SandboxHandle:
    """A running sandbox: `.url`, `.port`, `.stop()`; a context manager. `.world` answers exact values."""

    def __init__(self, server: SandboxServer, thread: threading.Thread | None, files: dict[str, Path]):
        self.server = server
        self.thread = thread
        self.files = files
        self.app: SandboxApp = server.app
        host, port = server.server_address[:2]
        self.host, self.port = host, port
        self.url = f"http://{host}:{port}"

    @property
    def world(self) -> World:
        """The current world (on the real clock: the one for today WIB, rebuilt after midnight if due)."""
        return self.app.for_request(None).world

    def base_url(self, platform: str) -> str:
        return self.url + spec(platform).sandbox_path

    def expected_values(self, account_id: str, day: dt.date) -> dict:
        return self.world.expected_values(account_id, day)

    def expected_status(self, account_id: str, day: dt.date) -> str:
        return self.world.expected_status(account_id, day)

    def stats(self) -> dict:
        return self.app.stats.snapshot()

    def reset_stats(self) -> None:
        self.app.stats.reset()
        self.app.limiter.reset()
        self.app.quota.reset()

    def write_ground_truth(self) -> dict[str, Path]:
        return self.app.write_files() if self.app.write_files else {}

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self.thread is not None:
            self.thread.join(timeout=5)

    def __enter__(self) -> "SandboxHandle":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _build(
    seed, data_dir, config, registry_dir, host, port, write_files, verbose, clock
) -> tuple[SandboxServer, dict]:
    config = config or SandboxConfig()
    today = None if config.today else today_wib(clock())
    world = World(seed=seed, config=config, registry_dir=registry_dir, today=today)
    app = SandboxApp.build(world, clock)
    files: dict[str, Path] = {}
    write = None
    if write_files:
        out = Path(data_dir or get_settings().data_dir) / "sandbox"

        def write(w: World) -> dict[str, Path]:
            return write_all(w, out)

        app.write_files = lambda: write(app.world)
        files = app.write_files()
    if config.today is None:  # the real calendar: follow it across midnight (WIB)
        app.rollover = Rollover(app, clock, write)
    return SandboxServer((host, port), app, verbose=verbose), files


def start_sandbox(
    port: int = 0,
    seed: int = 42,
    data_dir: Path | None = None,
    config: SandboxConfig | None = None,
    *,
    host: str = "127.0.0.1",
    registry_dir: Path | None = None,
    write_files: bool = True,
    verbose: bool = False,
    clock: Callable[[], float] = time.time,
) -> SandboxHandle:
    """Build the world, write `<data_dir>/sandbox/` files and serve on a background thread.

    `port=0` picks a free port (see `.port`/`.url`). `data_dir` defaults to settings' MEDSOS_DATA_DIR,
    `registry_dir` to settings' registry (MEDSOS_REGISTRY_DIR). `clock` (Unix seconds) decides today WIB
    when `config.today` is None, and when the world rolls over to the next day (tests advance it).
    """
    server, files = _build(seed, data_dir, config, registry_dir, host, port, write_files, verbose, clock)
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.1},
        daemon=True,
        name=f"sandbox-{server.server_address[1]}",
    )
    thread.start()
    return SandboxHandle(server, thread, files)


def serve(
    host: str,
    port: int,
    seed: int,
    data_dir: Path | None,
    config: SandboxConfig | None,
    registry_dir: Path | None = None,
    verbose: bool = False,
) -> None:
    """Run in the foreground until interrupted (the CLI)."""
    server, files = _build(seed, data_dir, config, registry_dir, host, port, True, verbose, time.time)
    handle = SandboxHandle(server, None, files)
    summary = handle.world.summary()
    print(
        f"sandbox: {summary['accounts']} accounts, {summary['epoch']}..{summary['today']}, seed {seed}, "
        f"built in {summary['build_seconds']} s",
        flush=True,
    )
    for name, path in files.items():
        print(f"  {name}: {path}", flush=True)
    print(f"serving on {handle.url}  (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()

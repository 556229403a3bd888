"""A local PostgreSQL 15 cluster in a project folder: the Dagster instance's storage and the DuckLake catalog.

    python -m pipelines.scaleout.postgres install [--if-possible]   # Debian's postgresql-15 (root + apt-get)
    python -m pipelines.scaleout.postgres start [--dir .postgres] [--port 0]
    python -m pipelines.scaleout.postgres stop|url [--dir .postgres]

`start` initialises the cluster if needed (trust authentication on 127.0.0.1 only: a development cluster),
starts it on a free port (or --port), creates the `dagster` and `ducklake` databases and prints the settings
to export. PostgreSQL refuses to run as root: as root, the cluster runs as the `postgres` system user.
"""

import argparse
import contextlib
import fcntl
import json
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

PG_VERSION = "15"
PACKAGES = (f"postgresql-{PG_VERSION}", "postgresql")  # the versioned package first, Debian's default second
USER = "medsos"
DATABASES = ("dagster", "ducklake")
INSTALL_LOCK = Path("/tmp/medsos-postgres-install.lock")


class PostgresUnavailable(RuntimeError):
    """PostgreSQL is not installed and this machine cannot install it (needs root and apt-get)."""


def bin_dir() -> Path | None:
    for candidate in (
        Path(f"/usr/lib/postgresql/{PG_VERSION}/bin"),
        Path("/usr/lib/postgresql").glob("*/bin"),
    ):
        for path in [candidate] if isinstance(candidate, Path) else sorted(candidate, reverse=True):
            if (path / "initdb").exists() and (path / "pg_ctl").exists():
                return path
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def can_install() -> bool:
    return os.geteuid() == 0 and shutil.which("apt-get") is not None


def install() -> Path:
    """Install Debian's PostgreSQL when missing (one process at a time); the server binaries' folder."""
    INSTALL_LOCK.touch(exist_ok=True)
    with open(INSTALL_LOCK) as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        if found := bin_dir():
            return found
        if not can_install():
            raise PostgresUnavailable(
                "PostgreSQL is not installed and cannot be installed here (needs root and apt-get): install "
                f"Debian's postgresql-{PG_VERSION} (or set up a server yourself) and rerun."
            )
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        if subprocess.run(["apt-get", "update", "-qq"], env=env).returncode != 0:
            raise PostgresUnavailable("apt-get update failed (no network to the Debian mirror?)")
        for package in PACKAGES:
            done = subprocess.run(["apt-get", "install", "-y", "-qq", package], env=env)
            if done.returncode == 0 and (found := bin_dir()):
                return found
        raise PostgresUnavailable(f"apt-get could not install any of {', '.join(PACKAGES)}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LocalCluster:
    root: Path  # holds data/, the socket folder, server.log and cluster.json
    port: int = 0
    fast: bool = False  # no fsync: tests only

    @property
    def data(self) -> Path:
        return self.root / "data"

    def _as_server_user(self, args: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args

    def _run(self, args: list[str]) -> None:
        done = subprocess.run(self._as_server_user(args), capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(
                f"{Path(args[0]).name} failed ({done.returncode}): {done.stderr or done.stdout}"
            )

    def url(self, database: str) -> str:
        """SQLAlchemy URL (Dagster's postgres_url). The driver is explicit: SQLAlchemy 2.1 defaults to psycopg 3,
        dagster-postgres ships psycopg2."""
        return f"postgresql+psycopg2://{USER}@127.0.0.1:{self.port}/{database}"

    def dsn(self, database: str) -> str:
        return f"host=127.0.0.1 port={self.port} user={USER} dbname={database}"

    def ducklake_catalog(self, database: str = "ducklake") -> str:
        """The DuckLake catalog string for this cluster (`ATTACH 'ducklake:<this>'`)."""
        return f"postgres:dbname={database} host=127.0.0.1 port={self.port} user={USER}"

    def start(self) -> "LocalCluster":
        pg = install()
        self.root.mkdir(parents=True, exist_ok=True)
        state = self.root / "cluster.json"
        if state.exists() and not self.port:
            self.port = json.loads(state.read_text())["port"]
        self.port = self.port or free_port()
        if os.geteuid() == 0:  # the server user must own its folder
            self.root.chmod(0o755)
            shutil.chown(self.root, "postgres", "postgres")
        if not (self.data / "PG_VERSION").exists():
            self._run(
                [str(pg / "initdb"), "-D", str(self.data), "-U", USER, "--auth=trust", "-E", "UTF8", "-N"]
            )
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root}"
        if self.fast:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        if not self.is_running():
            log = self.root / "server.log"
            self._run(
                [str(pg / "pg_ctl"), "-D", str(self.data), "-l", str(log), "-o", options, "-w", "start"]
            )
        state.write_text(json.dumps({"port": self.port}))
        for database in DATABASES:
            self.create_database(database)
        return self

    def is_running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def connect(self, database: str = "postgres"):
        import psycopg2  # comes with dagster-postgres

        deadline = time.monotonic() + 60
        while True:
            try:
                con = psycopg2.connect(self.dsn(database), connect_timeout=5)
                con.autocommit = True
                return con
            except psycopg2.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def create_database(self, name: str) -> str:
        with contextlib.closing(self.connect()) as con, con.cursor() as cur:
            cur.execute("select 1 from pg_database where datname = %s", (name,))
            if cur.fetchone() is None:
                cur.execute(f'create database "{name}"')
        return self.url(name)

    def stop(self) -> None:
        pg = bin_dir()
        if pg and self.is_running():
            self._run([str(pg / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["install", "start", "stop", "url"])
    parser.add_argument("--dir", type=Path, default=Path(".postgres"))
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--if-possible", action="store_true", help="install: say why not instead of failing")
    args = parser.parse_args(argv)
    cluster = LocalCluster(args.dir.resolve(), args.port)
    try:
        if args.command == "install":
            print(f"PostgreSQL server binaries: {install()}")
        elif args.command == "start":
            cluster.start()
            print(f"PostgreSQL {PG_VERSION} running on 127.0.0.1:{cluster.port} (data in {cluster.data})")
            print(f"export MEDSOS_DAGSTER_PG_URL={cluster.url('dagster')}")
            print(f"export MEDSOS_DUCKLAKE_CATALOG='{cluster.ducklake_catalog()}'")
        elif args.command == "stop":
            cluster.stop()
        else:
            cluster.port = json.loads((cluster.root / "cluster.json").read_text())["port"]
            print(cluster.url("dagster"))
    except PostgresUnavailable as exc:
        if not args.if_possible:
            raise SystemExit(str(exc)) from exc
        print(f"PostgreSQL tests will be skipped: {exc}")


if __name__ == "__main__":
    main()

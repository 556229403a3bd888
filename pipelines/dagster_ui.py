"""The Dagster UI as `make run` drives it: start `dagster dev`, wait until it answers, launch work through its
GraphQL API (the same calls the UI makes), and stop every process it started.

`dagster dev` runs in its own session (process group): a terminal's Ctrl-C reaches `make run`, which then
stops the whole group (webserver, daemon, code server and the runs they launched) in order.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import requests

from pipelines.settings import PROJECT_ROOT

LOCATION_NAME = "medsos_warehouse"  # workspace.yaml

LOCATION_QUERY = """{ workspaceOrError { ... on Workspace { locationEntries { loadStatus
  locationOrLoadError { __typename ... on PythonError { message } } } } } }"""

LAUNCH_BACKFILL = """mutation($params: LaunchBackfillParams!) { launchPartitionBackfill(backfillParams: $params) {
  __typename ... on LaunchBackfillSuccess { backfillId } ... on PythonError { message }
  ... on UnauthorizedError { message } ... on PartitionSetNotFoundError { message } } }"""

LAUNCH_RUN = """mutation($params: ExecutionParams!) { launchRun(executionParams: $params) {
  __typename ... on LaunchRunSuccess { run { runId } } ... on PythonError { message }
  ... on InvalidSubsetError { message } ... on RunConfigValidationInvalid { errors { message } } } }"""


class UIError(RuntimeError):
    pass


def graphql(url: str, query: str, variables: dict | None = None) -> dict:
    response = requests.post(
        f"{url}/graphql", json={"query": query, "variables": variables or {}}, timeout=30
    )
    response.raise_for_status()
    body = response.json()
    if body.get("errors"):
        raise UIError(body["errors"][0].get("message", str(body["errors"])))
    return body["data"]


def start_dagster_dev(port: int, log: IO) -> subprocess.Popen:
    dagster = Path(sys.executable).with_name("dagster")
    command = [str(dagster), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)]
    return subprocess.Popen(
        command, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def location_status(url: str) -> str:
    """'loaded', 'loading' or the code location's load error; raises while the webserver does not answer."""
    entries = graphql(url, LOCATION_QUERY)["workspaceOrError"]["locationEntries"]
    if not entries or entries[0]["loadStatus"] != "LOADED":
        return "loading"
    location = entries[0]["locationOrLoadError"]
    return (
        "loaded" if location["__typename"] == "RepositoryLocation" else location.get("message", "load error")
    )


def wait_until_answering(url: str, process: subprocess.Popen, deadline_s: float = 900) -> None:
    """Poll until the UI serves the loaded code location (a generous deadline: a busy 2-core machine is slow)."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise UIError(f"dagster dev exited with code {process.returncode} (see the log file)")
        try:
            status = location_status(url)
        except (requests.RequestException, UIError, KeyError, TypeError, ValueError):
            status = "loading"
        if status == "loaded":
            return
        if status != "loading":
            raise UIError(f"the code location failed to load: {status}")
        time.sleep(1)
    raise UIError(f"the Dagster UI did not answer within {deadline_s:.0f} s")


def launch_backfill(url: str, asset_paths: list[list[str]], partitions: list[str], title: str) -> str:
    params = {
        "partitionNames": partitions,
        "assetSelection": [{"path": path} for path in asset_paths],
        "title": title,
    }
    result = graphql(url, LAUNCH_BACKFILL, {"params": params})["launchPartitionBackfill"]
    if result["__typename"] != "LaunchBackfillSuccess":
        raise UIError(f"backfill not launched: {result.get('message', result['__typename'])}")
    return result["backfillId"]


def launch_job(url: str, job_name: str) -> str:
    selector = {
        "repositoryLocationName": LOCATION_NAME,
        "repositoryName": "__repository__",
        "jobName": job_name,
    }
    result = graphql(url, LAUNCH_RUN, {"params": {"selector": selector, "runConfigData": {}}})["launchRun"]
    if result["__typename"] != "LaunchRunSuccess":
        raise UIError(f"{job_name} not launched: {result.get('message') or result.get('errors')}")
    return result["run"]["runId"]


def stop_group(process: subprocess.Popen, grace_s: float = 30) -> None:
    """SIGTERM to the process's whole group, SIGKILL to whatever is left after the grace period."""
    try:
        group = os.getpgid(process.pid)
    except ProcessLookupError:
        return
    for sig, wait_s in ((signal.SIGTERM, grace_s), (signal.SIGKILL, 10)):
        try:
            os.killpg(group, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline and group_alive(group):
            process.poll()  # reap the leader so its zombie does not count as alive
            time.sleep(0.2)
        if not group_alive(group):
            break
    process.poll()


def group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    # Only zombies left (waiting for their parent to reap them) count as gone.
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False

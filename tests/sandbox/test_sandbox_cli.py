"""`python -m pipelines.sandbox` starts alone, serves, writes its files and stops on SIGTERM."""

import json
import re
import signal
import subprocess
import sys
import time

import requests

from pipelines.settings import PROJECT_ROOT


def test_cli_serves_and_writes_files(small_registry, tmp_path):
    config = tmp_path / "scenario.json"
    config.write_text(
        json.dumps({"preset": "quiet", "today": "2026-10-15", "x_limit": {"limit": 5, "window_s": 2}})
    )
    cmd = [
        sys.executable,
        "-m",
        "pipelines.sandbox",
        "--port",
        "0",
        "--seed",
        "9",
        "--data-dir",
        str(tmp_path),
        "--registry-dir",
        str(small_registry),
        "--scenario-config",
        str(config),
    ]
    proc = subprocess.Popen(
        cmd, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        url, lines, deadline = None, [], time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            found = re.search(r"serving on (http://\S+)", line)
            url = found.group(1) if found else None
            assert line or proc.poll() is None, "".join(lines)
        health = requests.get(f"{url}/_sandbox/health", timeout=5).json()
        assert health["seed"] == 9 and health["today"] == "2026-10-15"
        tokens = json.loads((tmp_path / "sandbox" / "tokens.json").read_text())
        headers = {"Authorization": f"Bearer {tokens['x_bearer_token']}"}
        resp = requests.get(f"{url}/x/2/users?ids=1", headers=headers, timeout=5)
        assert resp.headers["x-rate-limit-limit"] == "5"
        assert (tmp_path / "sandbox" / "ground_truth_daily.csv").exists()
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0

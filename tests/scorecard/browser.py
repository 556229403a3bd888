"""Headless Chromium (Debian's `chromium`, driven by Playwright; no browser download) for the page tests.

`chromium_executable()` finds it, or installs it with apt-get when running as root (CI machines are fresh),
or returns None: the tests then skip with the reason. Run as a script to take the README screenshot:

    python tests/scorecard/browser.py data/scorecards/2026-W34/nasional.html docs/analysts/scorecard.png
"""

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

INSTALL_HINT = "install Debian's chromium (`apt-get install chromium`, as root) to run the page tests"


def chromium_executable() -> str | None:
    found = shutil.which("chromium")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    # One installer at a time (pytest-xdist workers share the machine); the second finds it installed.
    with open(Path(tempfile.gettempdir()) / "medsos-chromium-install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not shutil.which("chromium"):
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            subprocess.run(["apt-get", "update", "-qq"], env=env, check=False, timeout=600)
            subprocess.run(
                ["apt-get", "install", "-y", "-qq", "chromium"], env=env, check=False, timeout=1200
            )
    return shutil.which("chromium")


def launch(playwright, executable: str):
    return playwright.chromium.launch(executable_path=executable, args=["--disable-gpu"])


def screenshot(page_path: Path, png: Path, width: int = 1280, height: int = 1700) -> None:
    """The top of a page as a person opening it sees it."""
    from playwright.sync_api import sync_playwright

    executable = chromium_executable()
    if executable is None:
        raise SystemExit(INSTALL_HINT)
    with sync_playwright() as playwright:
        browser = launch(playwright, executable)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(page_path.resolve().as_uri())
        page.screenshot(path=str(png))
        browser.close()


if __name__ == "__main__":
    screenshot(Path(sys.argv[1]), Path(sys.argv[2]))

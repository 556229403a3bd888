"""Running the clients against the bundled sandbox (real server, real HTTP) in tests."""

import datetime as dt
import json
from pathlib import Path

from pipelines.clients import ClientConfig, build_client
from pipelines.platform_spec import PLATFORMS  # noqa: F401  (imported by the sandbox tests from here)
from pipelines.registry import load_accounts, write_registry_subset
from pipelines.settings import PROJECT_ROOT

TODAY = dt.date(2026, 10, 15)  # the sandbox's pinned "today": tests do not depend on the wall clock
DAY = TODAY - dt.timedelta(days=1)  # what the daily schedule fetches
SMALL_UNITS = {"ID", "ID-35", "ID-35.78", "ID-35.07", "ID-51", "ID-51.71"}


def write_small_registry(target: Path) -> Path:
    return write_registry_subset(target, SMALL_UNITS, PROJECT_ROOT / "dbt_project" / "seeds")


def sandbox_config(sb, platform: str, **kw) -> ClientConfig:
    tokens = json.loads(Path(sb.files["tokens"]).read_text(encoding="utf-8"))
    defaults = dict(
        timeout_s=5.0,
        max_retries=3,
        backoff_base_s=0.01,
        backoff_max_s=0.2,
        max_concurrency=4,
        send_sandbox_as_of=True,
    )
    return ClientConfig(
        base_url=sb.base_url(platform),
        account_tokens=tokens["account_tokens"],
        api_key=tokens["youtube_api_key"],
        bearer_token=tokens["x_bearer_token"],
        **{**defaults, **kw},
    )


def api_accounts(platform: str, day: dt.date, registry_dir: Path | None = None):
    path = registry_dir / "registry_accounts.csv" if registry_dir else None
    return [
        a
        for a in load_accounts(path)
        if a.platform == platform and a.collection_method == "api" and a.is_active_on(day)
    ]


def fetch(sb, platform: str, day: dt.date = DAY, registry_dir: Path | None = None, **kw):
    accounts = api_accounts(platform, day, registry_dir)
    with build_client(platform, sandbox_config(sb, platform, **kw)) as client:
        return accounts, client.fetch_day(accounts, day)

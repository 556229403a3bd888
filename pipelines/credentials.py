"""Where clients get their base URL and credentials: the bundled sandbox, or the real platforms.

Secrets never live in the registry, the repo, logs, metadata or Parquet:
- per-account tokens (Instagram, Facebook Pages, TikTok) come from a JSON secrets file outside the repo
  (`MEDSOS_SECRETS_FILE`, shape `{"account_tokens": {"<account_id>": "<token>"}}`);
- the project's YouTube API key and X bearer token come from `MEDSOS_YOUTUBE_API_KEY` and
  `MEDSOS_X_BEARER_TOKEN`.
When none of these is configured (a newcomer's machine), everything points at the sandbox and its own tokens.
"""

import json
import os
from pathlib import Path

from pipelines.platform_spec import spec
from pipelines.settings import Settings


def api_mode(settings: Settings) -> str:
    """`sandbox` unless real credentials are configured (or MEDSOS_API_MODE says otherwise)."""
    explicit = os.environ.get("MEDSOS_API_MODE")
    if explicit:
        if explicit not in ("sandbox", "live"):
            raise ValueError(f"MEDSOS_API_MODE must be 'sandbox' or 'live', not {explicit!r}")
        return explicit
    has_live_credentials = (
        os.environ.get("MEDSOS_SECRETS_FILE")
        or os.environ.get("MEDSOS_YOUTUBE_API_KEY")
        or os.environ.get("MEDSOS_X_BEARER_TOKEN")
    )
    return "live" if has_live_credentials else "sandbox"


def sandbox_tokens_file(settings: Settings) -> Path:
    return settings.sandbox_dir / "tokens.json"


def read_secrets(path: Path) -> dict:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict):
        raise ValueError(f"secrets file {path} must hold a JSON object")
    return data


def base_url(platform: str, settings: Settings, mode: str, sandbox_url: str | None = None) -> str:
    override = os.environ.get(f"MEDSOS_{platform.upper()}_BASE_URL")
    if override:
        return override.rstrip("/")
    if mode == "sandbox":
        return (sandbox_url or settings.sandbox_url).rstrip("/") + spec(platform).sandbox_path
    return spec(platform).production_base_url

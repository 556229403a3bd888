"""Credentials: where clients get their base URL and tokens, and keeping those tokens valid.

Secrets never live in the registry, the repo, logs, metadata or Parquet:
- per-account tokens (Instagram, Facebook Pages, TikTok) live in a JSON secrets store outside the repo
  (`MEDSOS_SECRETS_FILE`, default `<data>/secrets/tokens.json`; see `store`), with what renewing them needs;
- the project's YouTube API key and X bearer token come from `MEDSOS_YOUTUBE_API_KEY` and
  `MEDSOS_X_BEARER_TOKEN`.
When none of these is configured (a newcomer's machine), everything points at the sandbox and its own tokens
(`mode`). `check` asks each platform what it thinks of every credential; `renewal` renews what can be renewed
and alerts before what cannot expires.
"""

from pipelines.credentials.mode import ModeDecision, api_mode, decide_mode, log_mode, sandbox_tokens_file
from pipelines.credentials.store import Secrets, TokenDetails, load_secrets, read_secrets
from pipelines.credentials.urls import base_url

__all__ = [
    "ModeDecision",
    "Secrets",
    "TokenDetails",
    "api_mode",
    "base_url",
    "decide_mode",
    "load_secrets",
    "log_mode",
    "read_secrets",
    "sandbox_tokens_file",
]

"""Sandbox or live: which one a run talks to, and which setting or file decided it.

`MEDSOS_API_MODE` (`sandbox`, `live` or `auto`, default `auto`) decides when set. Auto is `live` as soon as any
credential is configured: `MEDSOS_SECRETS_FILE`, `MEDSOS_YOUTUBE_API_KEY`, `MEDSOS_X_BEARER_TOKEN`, or a secrets
file at the default path `<data>/secrets/tokens.json`; otherwise `sandbox`. The reason names settings and paths,
never their values.
"""

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from pipelines.settings import Settings, get_settings

MODE_ENV = "MEDSOS_API_MODE"
SECRETS_ENV = "MEDSOS_SECRETS_FILE"
PROJECT_CREDENTIAL_ENVS = ("MEDSOS_YOUTUBE_API_KEY", "MEDSOS_X_BEARER_TOKEN")
MODES = ("sandbox", "live")

log = logging.getLogger("pipelines.credentials")


@dataclass(frozen=True)
class ModeDecision:
    mode: str  # "sandbox" | "live"
    reason: str  # which setting or file decided, in words
    secrets_path: Path  # where per-account tokens are read from (and renewed tokens written to)

    def describe(self) -> str:
        return f"API mode: {self.mode} ({self.reason}); per-account tokens from {self.secrets_path}"


def sandbox_tokens_file(settings: Settings) -> Path:
    return settings.sandbox_dir / "tokens.json"


def _set(name: str) -> bool:
    return bool(os.environ.get(name, "").strip())


def _live_evidence(settings: Settings) -> list[str]:
    evidence = []
    if _set(SECRETS_ENV):
        state = "" if settings.secrets_file.exists() else ", but no file is there"
        evidence.append(f"{SECRETS_ENV} is set ({settings.secrets_file}{state})")
    elif settings.secrets_file.exists():
        evidence.append(f"a secrets file exists at the default path {settings.secrets_file}")
    evidence.extend(f"{name} is set" for name in PROJECT_CREDENTIAL_ENVS if _set(name))
    return evidence


def decide_mode(settings: Settings | None = None) -> ModeDecision:
    """The mode for a run, read from the environment and the file system now."""
    settings = settings or get_settings()
    explicit = os.environ.get(MODE_ENV, "").strip().lower()
    if explicit not in ("", "auto", *MODES):
        raise ValueError(f"{MODE_ENV} must be 'sandbox', 'live' or 'auto', not {explicit!r}")
    evidence = _live_evidence(settings)
    if explicit in MODES:
        mode = explicit
        reason = f"{MODE_ENV}={explicit}"
        if mode == "live" and not evidence:
            reason += f"; warning: no credentials found (no {SECRETS_ENV}, no {settings.secrets_file})"
    elif evidence:
        mode, reason = "live", "; ".join(evidence)
    else:
        mode = "sandbox"
        reason = (
            f"no credentials configured: {SECRETS_ENV}, {' and '.join(PROJECT_CREDENTIAL_ENVS)} are unset "
            f"and there is no secrets file at {settings.secrets_file}"
        )
    path = settings.secrets_file if mode == "live" else sandbox_tokens_file(settings)
    return ModeDecision(mode, reason, path)


def api_mode(settings: Settings | None = None) -> str:
    """`sandbox` or `live` (see `decide_mode` for the rules and the reason)."""
    return decide_mode(settings).mode


def log_mode(logger=None, settings: Settings | None = None) -> ModeDecision:
    """Log the mode and its reason (Dagster's `context.log` or a Python logger) and return the decision."""
    decision = decide_mode(settings)
    (logger or log).info(decision.describe())
    return decision

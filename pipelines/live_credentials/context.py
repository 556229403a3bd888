"""Everything a credential check or renewal needs, resolved at run time: mode, store, app credentials, URLs.

App credentials (needed to inspect and renew tokens, never to fetch) come from the environment, else from the
store's `meta_app` / `tiktok_app` objects or its `meta_app_token` ("<app_id>|<app_secret>"):
`MEDSOS_META_APP_ID`, `MEDSOS_META_APP_SECRET` (debug_token, fb_exchange_token) and `MEDSOS_TIKTOK_CLIENT_KEY`,
`MEDSOS_TIKTOK_CLIENT_SECRET` (refresh grant). The project's YouTube key and X bearer token: environment in live
mode, the sandbox's tokens.json in sandbox mode (as the clients do).
"""

import os
from dataclasses import dataclass
from pathlib import Path

from pipelines.credentials.mode import ModeDecision, decide_mode
from pipelines.credentials.store import Secrets, load_secrets
from pipelines.credentials.urls import base_url
from pipelines.settings import Settings, get_settings

APP_ENVS = {
    "meta_app": {"app_id": "MEDSOS_META_APP_ID", "app_secret": "MEDSOS_META_APP_SECRET"},
    "tiktok_app": {"client_key": "MEDSOS_TIKTOK_CLIENT_KEY", "client_secret": "MEDSOS_TIKTOK_CLIENT_SECRET"},
}


@dataclass
class CredentialContext:
    decision: ModeDecision
    settings: Settings
    secrets: Secrets
    meta_app: dict
    tiktok_app: dict
    youtube_api_key: str | None
    x_bearer_token: str | None
    sandbox_url: str | None = None

    def __repr__(self) -> str:  # the default repr would print every secret
        return f"CredentialContext(mode={self.decision.mode!r}, store={self.store_path}, {self.secrets!r})"

    __str__ = __repr__

    @property
    def store_path(self) -> Path:
        return self.decision.secrets_path

    def base(self, platform: str) -> str:
        return base_url(platform, self.settings, self.decision.mode, self.sandbox_url)

    def secret_values(self) -> list[str]:
        apps = [*self.meta_app.values(), *self.tiktok_app.values()]
        return [*self.secrets.all_secret_values(), *apps, self.youtube_api_key, self.x_bearer_token]


def _app(secrets: Secrets, key: str) -> dict:
    stored = secrets.app_credentials(key)
    app_token = secrets.extra.get(
        "meta_app_token"
    )  # "<app_id>|<app_secret>", as the Graph batch calls use it
    if key == "meta_app" and not stored and isinstance(app_token, str) and "|" in app_token:
        stored = dict(zip(("app_id", "app_secret"), app_token.split("|", 1), strict=True))
    out = {}
    for field, env in APP_ENVS[key].items():
        out[field] = os.environ.get(env, "").strip() or stored.get(field)
    return {k: v for k, v in out.items() if v}


def load_context(settings: Settings | None = None, sandbox_url: str | None = None) -> CredentialContext:
    settings = settings or get_settings()
    decision = decide_mode(settings)
    secrets = load_secrets(decision.secrets_path)
    if decision.mode == "sandbox":
        api_key, bearer = secrets.extra.get("youtube_api_key"), secrets.extra.get("x_bearer_token")
    else:
        api_key = os.environ.get("MEDSOS_YOUTUBE_API_KEY") or None
        bearer = os.environ.get("MEDSOS_X_BEARER_TOKEN") or None
    return CredentialContext(
        decision, settings, secrets, _app(secrets, "meta_app"), _app(secrets, "tiktok_app"), api_key, bearer,
        sandbox_url,
    )  # fmt: skip

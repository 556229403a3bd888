"""Configurable resources: the platform API connection and the dbt CLI.

Secrets reach the clients as `dg.EnvVar`s (resolved in the run, never shown in the UI); everything else is plain
config with sensible defaults. With no credentials configured the clients talk to the bundled sandbox.
"""

import dataclasses
import os

import dagster as dg
from dagster_dbt import DbtCliResource

from pipelines.clients import ClientConfig
from pipelines.credentials.mode import log_mode
from pipelines.ingest import client_config_for
from pipelines.warehouse import DBT_PROJECT_DIR, dbt_executable


class PlatformApiResource(dg.ConfigurableResource):
    """Base URL, credentials and retry policy for the five platform clients."""

    sandbox_url: str | None = None  # default: MEDSOS_SANDBOX_HOST/PORT
    youtube_api_key: str | None = None
    x_bearer_token: str | None = None
    timeout_s: float = 15.0
    max_retries: int = 5
    backoff_base_s: float = 0.5
    backoff_max_s: float = 30.0
    max_server_wait_s: float = 120.0  # longer server-directed waits: accounts rate_limited with retry_at
    max_concurrency: int = 4

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        # every run that talks to the platforms says which mode it is in and why (never a secret)
        if context.log is not None:
            log_mode(context.log)

    def client_config(self, platform: str) -> ClientConfig:
        config = client_config_for(
            platform,
            sandbox_url=self.sandbox_url,
            timeout_s=self.timeout_s,
            max_retries=self.max_retries,
            backoff_base_s=self.backoff_base_s,
            backoff_max_s=self.backoff_max_s,
            max_server_wait_s=self.max_server_wait_s,
            max_concurrency=self.max_concurrency,
        )
        overrides = {}
        if self.youtube_api_key and platform == "youtube":
            overrides["api_key"] = self.youtube_api_key
        if self.x_bearer_token and platform == "x":
            overrides["bearer_token"] = self.x_bearer_token
        return dataclasses.replace(config, **overrides)


def _env_secret(name: str) -> dg.EnvVar | None:
    # Optional secret: passed as EnvVar (resolved inside the run) only when the deployment sets it.
    return dg.EnvVar(name) if os.environ.get(name) else None


def build_resources() -> dict:
    return {
        "platform_api": PlatformApiResource(
            youtube_api_key=_env_secret("MEDSOS_YOUTUBE_API_KEY"),
            x_bearer_token=_env_secret("MEDSOS_X_BEARER_TOKEN"),
        ),
        "dbt": DbtCliResource(
            project_dir=str(DBT_PROJECT_DIR),
            profiles_dir=str(DBT_PROJECT_DIR),
            dbt_executable=dbt_executable(),
        ),
    }

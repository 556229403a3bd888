"""Where each platform answers: the production hosts, or the bundled sandbox's path for it."""

import os

from pipelines.platform_spec import spec
from pipelines.settings import Settings


def base_url(platform: str, settings: Settings, mode: str, sandbox_url: str | None = None) -> str:
    """`MEDSOS_<PLATFORM>_BASE_URL` if set, else the sandbox's path (sandbox mode) or the production host."""
    override = os.environ.get(f"MEDSOS_{platform.upper()}_BASE_URL")
    if override:
        return override.rstrip("/")
    if mode == "sandbox":
        return (sandbox_url or settings.sandbox_url).rstrip("/") + spec(platform).sandbox_path
    return spec(platform).production_base_url

"""Where each platform answers: the production hosts, or the bundled sandbox's path for it."""

import os

from pipelines.settings import Settings

PRODUCTION_BASE_URLS = {
    "instagram": "https://graph.facebook.com/v23.0",
    "facebook": "https://graph.facebook.com/v23.0",
    "youtube": "https://www.googleapis.com/youtube/v3",
    "x": "https://api.x.com/2",
    "tiktok": "https://open.tiktokapis.com/v2",
}
SANDBOX_PATHS = {
    "instagram": "/graph/v23.0",
    "facebook": "/graph/v23.0",
    "youtube": "/youtube/v3",
    "x": "/x/2",
    "tiktok": "/tiktok/v2",
}


def base_url(platform: str, settings: Settings, mode: str, sandbox_url: str | None = None) -> str:
    """`MEDSOS_<PLATFORM>_BASE_URL` if set, else the sandbox's path (sandbox mode) or the production host."""
    override = os.environ.get(f"MEDSOS_{platform.upper()}_BASE_URL")
    if override:
        return override.rstrip("/")
    if mode == "sandbox":
        return (sandbox_url or settings.sandbox_url).rstrip("/") + SANDBOX_PATHS[platform]
    return PRODUCTION_BASE_URLS[platform]

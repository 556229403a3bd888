"""Pointing the credential code at a local server in live mode: a secrets file, base URLs, a registry."""

import csv
import json
from pathlib import Path

from pipelines.registry import Account

ACCOUNT_COLUMNS = ["account_id", "unit_code", "platform", "handle", "platform_user_id", "collection_method",
                   "active_from", "active_to"]  # fmt: skip
META_APP = {"MEDSOS_META_APP_ID": "138483919580948", "MEDSOS_META_APP_SECRET": "metaappsecret0000"}
TIKTOK_APP = {
    "MEDSOS_TIKTOK_CLIENT_KEY": "awclientkey00",
    "MEDSOS_TIKTOK_CLIENT_SECRET": "tiktokclientsecret00",
}


def go_live(monkeypatch, data_dir: Path, server_url: str, store: dict, accounts: list[Account] = (),
            apps: dict | None = None) -> Path:  # fmt: skip
    """Write `store` as the default secrets file (live mode), route every platform to `server_url`."""
    path = data_dir / "secrets" / "tokens.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(store))
    for platform, prefix in (("instagram", "/v23.0"), ("facebook", "/v23.0"), ("youtube", "/youtube/v3"),
                             ("x", "/2"), ("tiktok", "/v2")):  # fmt: skip
        monkeypatch.setenv(f"MEDSOS_{platform.upper()}_BASE_URL", server_url + prefix)
    for name, value in (apps or {}).items():
        monkeypatch.setenv(name, value)
    registry = data_dir / "registry"
    registry.mkdir(exist_ok=True)
    with (registry / "registry_accounts.csv").open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(ACCOUNT_COLUMNS)
        for a in accounts:
            out.writerow([a.account_id, a.unit_code, a.platform, a.handle, a.platform_user_id, a.collection_method,
                          a.active_from.isoformat(), ""])  # fmt: skip
    monkeypatch.setenv("MEDSOS_REGISTRY_DIR", str(registry))
    return path

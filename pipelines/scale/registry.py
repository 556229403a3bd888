"""A synthetic account registry of N accounts on the real unit hierarchy (national, 38 provinces, 514 regencies).

The bundled registry has 2,249 accounts (one per unit and platform). A national deployment has ~20,000: units
run several accounts per platform (divisions, spokespeople, regional offices), big units far more than small
ones. So: every bundled account is kept (when N >= 2,249), and the extra accounts are spread over the same units
with uneven weights (national >> province >> regency, lognormal within a level). Units that already report some
accounts by file keep doing so for a share of their new accounts; the rest are collected by API. With N below
the bundled count, a deterministic sample of the bundled accounts is taken (small trials and tests).

Every established account is active from the history start; a few open during the history and a few close.
"""

import csv
import datetime as dt
from pathlib import Path

import numpy as np

from pipelines.platform_spec import PLATFORMS
from pipelines.registry.build_seeds import platform_user_id, slug
from pipelines.settings import get_settings

ACCOUNT_COLUMNS = (
    "account_id",
    "unit_code",
    "platform",
    "handle",
    "platform_user_id",
    "collection_method",
    "active_from",
    "active_to",
)
LEVEL_WEIGHT = {"national": (60.0, 0.0), "province": (6.0, 0.5), "regency": (1.0, 0.8)}  # (weight, sigma)
PLATFORM_MIX = {"instagram": 0.30, "facebook": 0.25, "tiktok": 0.18, "youtube": 0.12, "x": 0.15}
MANUAL_SHARE_IN_MANUAL_UNITS = 0.35
OPENED_SHARE = 0.04  # accounts opened during the history
CLOSED_SHARE = 0.01  # accounts closed during the history


def read_rows(path: Path) -> list[dict]:
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _write(path: Path, rows: list[dict], columns) -> None:
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _lifetimes(n: int, start: dt.date, days: int, rng: np.random.Generator) -> list[tuple[str, str]]:
    """(active_from, active_to) per account: most the whole history, a few opened or closed within it."""
    u = rng.random(n)
    offset = rng.integers(days // 10, max(days // 10 + 1, days - 30), n)
    out = []
    for i in range(n):
        if u[i] < OPENED_SHARE:
            out.append(((start + dt.timedelta(days=int(offset[i]))).isoformat(), ""))
        elif u[i] < OPENED_SHARE + CLOSED_SHARE:
            out.append((start.isoformat(), (start + dt.timedelta(days=int(offset[i]))).isoformat()))
        else:
            out.append((start.isoformat(), ""))
    return out


def _extra_accounts(units: list[dict], bundled: list[dict], n_extra: int, rng) -> list[dict]:
    manual_units = {a["unit_code"] for a in bundled if a["collection_method"] == "manual"}
    weight = np.array(
        [LEVEL_WEIGHT[u["unit_level"]][0] * rng.lognormal(0, LEVEL_WEIGHT[u["unit_level"]][1]) for u in units]
    )
    per_unit = rng.multinomial(n_extra, weight / weight.sum())
    platforms = list(PLATFORM_MIX)
    mix = np.array([PLATFORM_MIX[p] for p in platforms])
    rows = []
    for unit, count in zip(units, per_unit, strict=True):
        code = unit["unit_code"]
        base = slug(unit["unit_name"]) if unit["unit_level"] != "national" else "humaspusat"
        chosen = rng.choice(len(platforms), size=count, p=mix / mix.sum())
        manual = rng.random(count) < MANUAL_SHARE_IN_MANUAL_UNITS
        for k in range(count):
            platform = platforms[chosen[k]]
            uid = platform_user_id(platform, f"{code}#{k}")
            handle = f"humas.{base}.{k + 1}" if platform != "x" else f"h_{base}"[:11] + f"_{k + 1}"
            rows.append(
                {
                    "account_id": f"{platform}:{uid}",
                    "unit_code": code,
                    "platform": platform,
                    "handle": handle,
                    "platform_user_id": uid,
                    "collection_method": "manual" if code in manual_units and manual[k] else "api",
                }
            )
    return rows


def synthetic_accounts(
    n_accounts: int, start: dt.date, days: int, seed: int = 42, source_dir: Path | None = None
) -> tuple[list[dict], list[dict]]:
    """(units, accounts) rows: the bundled units and `n_accounts` accounts active over the history."""
    source = Path(source_dir or get_settings().registry_dir)
    units = read_rows(source / "registry_units.csv")
    bundled = read_rows(source / "registry_accounts.csv")
    rng = np.random.default_rng([seed, 7])
    if n_accounts <= len(bundled):
        keep = np.sort(rng.permutation(len(bundled))[:n_accounts])
        accounts = [{k: bundled[i][k] for k in ACCOUNT_COLUMNS[:6]} for i in keep]
    else:
        accounts = [{k: a[k] for k in ACCOUNT_COLUMNS[:6]} for a in bundled]
        accounts += _extra_accounts(units, bundled, n_accounts - len(bundled), rng)
    assert len({a["account_id"] for a in accounts}) == len(accounts), "account ids must be unique"
    # Established accounts span the whole history; the bundled registry's own dates fit its 2024 epoch only.
    for account, (active_from, active_to) in zip(
        accounts, _lifetimes(len(accounts), start, days, rng), strict=True
    ):
        account["active_from"], account["active_to"] = active_from, active_to
    order = {p: i for i, p in enumerate(PLATFORMS)}
    accounts.sort(key=lambda a: (a["unit_code"], order[a["platform"]], a["account_id"]))
    return units, accounts


def write_synthetic_registry(
    target: Path, n_accounts: int, start: dt.date, days: int, seed: int = 42, source_dir: Path | None = None
) -> Path:
    """Write registry_units.csv and registry_accounts.csv into `target` (point MEDSOS_REGISTRY_DIR at it)."""
    units, accounts = synthetic_accounts(n_accounts, start, days, seed, source_dir)
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    _write(target / "registry_units.csv", units, units[0].keys())
    _write(target / "registry_accounts.csv", accounts, ACCOUNT_COLUMNS)
    return target

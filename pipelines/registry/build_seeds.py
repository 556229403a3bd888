"""Derive the bundled unit and account registry seeds from `idn-area-data`.

Run once when the official area list changes:

    npm pack idn-area-data && tar xzf idn-area-data-*.tgz
    python -m pipelines.registry.build_seeds package/data dbt_project/seeds

The account list is synthetic but deterministic (hash of the unit code), so the sandbox, the tests and
the seeds agree. Users replace both files with their own registry (setting `MEDSOS_REGISTRY_DIR`).
"""

import csv
import hashlib
import sys
from pathlib import Path

PLATFORMS = ("instagram", "facebook", "youtube", "x", "tiktok")

# Kemendagri province code -> IANA zone (WIB / WITA / WIT).
WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96"}
UPPER_WORDS = {"DKI", "DI"}


def timezone_for(province_code: str) -> str:
    if province_code in WIT_PROVINCES:
        return "Asia/Jayapura"
    if province_code in WITA_PROVINCES:
        return "Asia/Makassar"
    return "Asia/Jakarta"


def title_name(raw: str) -> str:
    return " ".join(w if w in UPPER_WORDS else w.capitalize() for w in raw.split())


def _digest(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest()[:8], "big")


def slug(name: str) -> str:
    words = name.lower().replace("kabupaten ", "kab").replace("kota ", "kota").replace("provinsi ", "prov")
    return "".join(ch for ch in words if ch.isalnum())


def platform_user_id(platform: str, unit_code: str) -> str:
    n = _digest("uid", platform, unit_code)
    if platform == "instagram":
        return str(17841400000000000 + n % 10**11)
    if platform == "facebook":
        return str(100000000000000 + n % 10**13)
    if platform == "youtube":
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        chars = []
        for _ in range(22):
            n, r = divmod(n * 7919 + 13, 64)
            chars.append(alphabet[r])
        return "UC" + "".join(chars)
    if platform == "x":
        return str(1000000000 + n % 10**12)
    return "_000" + format(n, "x")  # TikTok open_id-like


def build_units(provinces: list[dict], regencies: list[dict]) -> list[dict]:
    units = [
        {
            "unit_code": "ID",
            "unit_name": "Humas Pusat",
            "unit_level": "national",
            "parent_unit_code": "",
            "region_code": "",
            "timezone": "Asia/Jakarta",
        }
    ]
    for p in provinces:
        units.append(
            {
                "unit_code": f"ID-{p['code']}",
                "unit_name": f"Provinsi {title_name(p['name'])}",
                "unit_level": "province",
                "parent_unit_code": "ID",
                "region_code": p["code"],
                "timezone": timezone_for(p["code"]),
            }
        )
    for r in regencies:
        units.append(
            {
                "unit_code": f"ID-{r['code']}",
                "unit_name": title_name(r["name"]),
                "unit_level": "regency",
                "parent_unit_code": f"ID-{r['province_code']}",
                "region_code": r["code"],
                "timezone": timezone_for(r["province_code"]),
            }
        )
    return units


def accounts_for(unit: dict) -> list[dict]:
    code = unit["unit_code"]
    level = unit["unit_level"]
    if level == "national":
        count = 5
    elif level == "province":
        count = 4 + _digest("n", code) % 2
    else:
        count = 3 + _digest("n", code) % 3
    # Instagram and Facebook first: every unit has them; the rest by a per-unit shuffle.
    others = sorted(PLATFORMS[2:], key=lambda p: _digest("order", code, p))
    chosen = list(PLATFORMS[:2]) + others[: count - 2]
    base = slug(unit["unit_name"]) if level != "national" else "humaspusat"
    rows = []
    for platform in chosen:
        uid = platform_user_id(platform, code)
        h = _digest("acct", platform, code)
        # Small regency units often cannot connect an API: they report by file.
        manual = level == "regency" and h % 100 < 14
        active_from = "2024-01-01"
        if h % 100 >= 96:  # a few accounts opened recently
            active_from = f"2026-{8 + h % 3:02d}-{1 + h % 27:02d}"
        rows.append(
            {
                "account_id": f"{platform}:{uid}",
                "unit_code": code,
                "platform": platform,
                "handle": f"humas.{base}" if platform != "x" else f"humas_{base}"[:15],
                "platform_user_id": uid,
                "collection_method": "manual" if manual else "api",
                "active_from": active_from,
                "active_to": "",
            }
        )
    return rows


def write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(area_dir: str, seeds_dir: str) -> None:
    area = Path(area_dir)
    with (area / "provinces.csv").open(encoding="utf-8") as fh:
        provinces = list(csv.DictReader(fh))
    with (area / "regencies.csv").open(encoding="utf-8") as fh:
        regencies = list(csv.DictReader(fh))
    units = build_units(provinces, regencies)
    accounts = [a for u in units for a in accounts_for(u)]
    out = Path(seeds_dir)
    write_csv(out / "registry_units.csv", units)
    write_csv(out / "registry_accounts.csv", accounts)
    print(f"{len(units)} units, {len(accounts)} accounts -> {out}")


if __name__ == "__main__":
    main(*sys.argv[1:3])

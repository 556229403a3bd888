"""The registry as the intake needs it: which units exist and which account a (unit, platform, handle) names."""

from dataclasses import dataclass
from pathlib import Path

from pipelines.registry import Account, load_accounts, load_units


def account_key(unit_code: str | None, platform: str | None, handle: str | None) -> str | None:
    """The matching key: unit code and platform exactly, handle case-insensitively (no leading '@')."""
    if not (unit_code and platform and handle):
        return None
    return f"{unit_code}|{platform}|{handle.lstrip('@').strip().lower()}"


@dataclass(frozen=True)
class RegistryIndex:
    units: frozenset[str]
    accounts: dict[str, Account]  # account_key → account
    by_unit_platform: dict[tuple[str, str], list[Account]]

    def lookup(self, unit_code: str | None, platform: str | None, handle: str | None) -> Account | None:
        key = account_key(unit_code, platform, handle)
        return self.accounts.get(key) if key else None

    def handles_of(self, unit_code: str, platform: str) -> list[str]:
        return sorted(a.handle for a in self.by_unit_platform.get((unit_code, platform), []))


def load_registry_index(registry_dir: Path) -> RegistryIndex:
    units = frozenset(u.unit_code for u in load_units(Path(registry_dir) / "registry_units.csv"))
    accounts: dict[str, Account] = {}
    by_unit_platform: dict[tuple[str, str], list[Account]] = {}
    for account in load_accounts(Path(registry_dir) / "registry_accounts.csv"):
        key = account_key(account.unit_code, account.platform, account.handle)
        assert key is not None
        accounts[key] = account
        by_unit_platform.setdefault((account.unit_code, account.platform), []).append(account)
    return RegistryIndex(units, accounts, by_unit_platform)

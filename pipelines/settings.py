"""Settings, read from the environment at run time (never at import time).

Every path under `data/` derives from one setting, `MEDSOS_DATA_DIR`.
"""

import datetime as dt
import os
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
REPORTING_ZONE = zoneinfo.ZoneInfo("Asia/Jakarta")  # the reporting day is the calendar day in WIB


def today_wib() -> dt.date:
    return dt.datetime.now(REPORTING_ZONE).date()


def yesterday_wib() -> dt.date:
    """The newest complete reporting day."""
    return today_wib() - dt.timedelta(days=1)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    registry_dir: Path
    sandbox_host: str
    sandbox_port: int
    sandbox_seed: int

    @property
    def lake_dir(self) -> Path:
        return self.data_dir / "lake"

    @property
    def warehouse_dir(self) -> Path:
        return self.data_dir / "warehouse"

    @property
    def build_db_path(self) -> Path:
        return self.warehouse_dir / "build.duckdb"

    @property
    def serving_db_path(self) -> Path:
        return self.warehouse_dir / "medsos.duckdb"

    @property
    def inbox_dir(self) -> Path:
        return Path(os.environ.get("MEDSOS_INBOX_DIR") or self.data_dir / "inbox")

    @property
    def sandbox_dir(self) -> Path:
        return self.data_dir / "sandbox"

    @property
    def secrets_file(self) -> Path:
        return Path(os.environ.get("MEDSOS_SECRETS_FILE") or self.data_dir / "secrets" / "tokens.json")

    @property
    def sandbox_url(self) -> str:
        return f"http://{self.sandbox_host}:{self.sandbox_port}"

    @property
    def units_csv(self) -> Path:
        return self.registry_dir / "registry_units.csv"

    @property
    def accounts_csv(self) -> Path:
        return self.registry_dir / "registry_accounts.csv"


def get_settings() -> Settings:
    return Settings(
        data_dir=Path(os.environ.get("MEDSOS_DATA_DIR") or PROJECT_ROOT / "data").resolve(),
        registry_dir=Path(
            os.environ.get("MEDSOS_REGISTRY_DIR") or PROJECT_ROOT / "dbt_project" / "seeds"
        ).resolve(),
        sandbox_host=os.environ.get("MEDSOS_SANDBOX_HOST", "127.0.0.1"),
        sandbox_port=int(os.environ.get("MEDSOS_SANDBOX_PORT", "8765")),
        sandbox_seed=int(os.environ.get("MEDSOS_SANDBOX_SEED", "42")),
    )

"""Jobs: named selections of assets that schedules, sensors and people launch."""

import dagster as dg

from assets.credentials import PLATFORM_TOKENS_KEY

token_renewal_job = dg.define_asset_job(
    "token_renewal_job",
    selection=dg.AssetSelection.assets(PLATFORM_TOKENS_KEY).without_checks(),
    description="Renew the platform tokens that are due and send expiry alerts (no credential check).",
)

credential_check_job = dg.define_asset_job(
    "credential_check_job",
    selection=dg.AssetSelection.checks_for_assets(PLATFORM_TOKENS_KEY),
    description="Ask every platform about every credential (the credentials_valid check only).",
)

"""`credentials_valid`: every credential asked at its platform's cheapest endpoint (warns, never blocks).

The logic is `pipelines.live_credentials.check`; this check runs it daily (credential_check_schedule) and puts
the counts per platform and status, and the accounts needing attention, in the check's metadata (no token).
"""

import dagster as dg

from assets.credentials import PLATFORM_TOKENS_KEY
from pipelines.credentials.mode import log_mode
from pipelines.live_credentials.check import run_check

MAX_LISTED = 50


@dg.asset_check(
    asset=PLATFORM_TOKENS_KEY,
    name="credentials_valid",
    description="Asks each platform about every credential (Meta debug_token and an id probe, TikTok user/info, "
    "YouTube channels.list part=id, X GET /2/users): warns when any is expired, invalid, lacks a permission, "
    "cannot reach the registry's id, or is missing.",
)
def credentials_valid(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
    decision = log_mode(context.log)
    report = run_check()
    problems = report.problems()
    listed = [p.to_json() for p in problems[:MAX_LISTED]]
    return dg.AssetCheckResult(
        passed=not problems,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "mode": decision.mode,
            "accounts_checked": len(report.accounts()),
            "needing_attention": len(problems),
            "by_platform_and_status": dg.MetadataValue.json(report.counts()),
            "needing_attention_sample": dg.MetadataValue.json(listed),
            "requests_made": report.requests_made,
        },
    )

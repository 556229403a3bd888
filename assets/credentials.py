"""Platform credentials as an asset: each materialisation renews what is due and announces what will run out.

`credentials/platform_tokens` stands for the per-account tokens in the secrets store (never their values): the
token renewal job materialises it every half hour (`pipelines.live_credentials.renewal`), and its check
`credentials_valid` (data_quality/checks/credentials.py) asks every platform about every credential once a day.
"""

import dagster as dg

from pipelines.credentials.mode import log_mode
from pipelines.live_credentials.renewal import renew_tokens

PLATFORM_TOKENS_KEY = dg.AssetKey(["credentials", "platform_tokens"])
CREDENTIALS_GROUP = "credentials"


@dg.asset(
    key=PLATFORM_TOKENS_KEY,
    group_name=CREDENTIALS_GROUP,
    kinds={"python"},
    description="Per-account platform tokens in the secrets store: renews TikTok tokens (refresh grant) and Meta "
    "user tokens (long-lived exchange, then a Page token), writes them back atomically, and alerts "
    "MEDSOS_TOKEN_EXPIRY_ALERT_DAYS days before a token the pipeline cannot renew expires.",
)
def platform_tokens(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    decision = log_mode(context.log)
    report = renew_tokens()
    if report.skipped:
        context.log.warning(f"renewal skipped: {report.skipped}")
    for outcome in report.failed[:20]:
        context.log.warning(f"renewal refused for {outcome.account_id}: {outcome.detail}")
    return dg.MaterializeResult(
        metadata={
            "mode": decision.mode,
            "mode_reason": decision.reason,
            "renewed": len(report.renewed),
            "renewal_failed": len(report.failed),
            "alerts_sent": len(report.alerts),
            "store_writes": report.writes,
            "requests_made": report.requests_made,
            "outcomes": dg.MetadataValue.json(report.counts()),
            "failed_sample": dg.MetadataValue.json([o.to_json() for o in report.failed[:20]]),
            "skipped": report.skipped or "",
        }
    )

"""The manual-report intake asset: one run takes in one inbox file (named by the sensor's run config).

Outcome policy: a file the unit got wrong is not a pipeline failure. It is quarantined, the run SUCCEEDS, and
the asset records an observation (outcome=quarantined, the reasons) and logs a warning, but no materialization,
so nothing downstream rebuilds for it. A file taken in records a materialization (rows, unit-days,
replacements, lake paths), which is what starts the warehouse update through declarative automation.
Only our own failures (disk full, a bug) fail the run; the file then stays in the inbox for a re-execution.
"""

import dagster as dg

from pipelines.asset_keys import INGESTION_MANUAL_GROUP, MANUAL_ACCOUNT_DAILY_KEY
from pipelines.manual_reports.intake import process_file
from pipelines.manual_reports.result import IntakeResult

MANUAL_REPORT_OP = "raw__manual__account_daily"


class ManualReportConfig(dg.Config):
    """Which inbox file to take in: a path inside the inbox and the content hash the sensor saw."""

    path: str
    sha256: str = ""


def run_config_for(path: str, sha256: str) -> dict:
    return {"ops": {MANUAL_REPORT_OP: {"config": {"path": path, "sha256": sha256}}}}


def _metadata(result: IntakeResult) -> dict:
    meta: dict = {
        "outcome": result.outcome,
        "file": result.file,
        "sha256": result.sha256,
        "stored_as": result.stored_as or "",
        "receipt": result.receipt or "",
        "rows": result.rows,
        "unit_days": result.unit_days,
        "replaced": result.replaced,
    }
    if result.partitions:
        meta["lake_paths"] = dg.MetadataValue.json(result.partitions)
    if result.superseded_files:
        meta["superseded_files"] = dg.MetadataValue.json(result.superseded_files)
    if result.issues:
        meta["problems"] = len(result.issues)
        meta["reason"] = dg.MetadataValue.md("\n".join(f"- {line}" for line in result.issues[:200]))
    if result.detail:
        meta["detail"] = result.detail
    return meta


@dg.asset(
    key=MANUAL_ACCOUNT_DAILY_KEY,
    group_name=INGESTION_MANUAL_GROUP,
    kinds={"python", "parquet"},
    output_required=False,
    description="Manual regional reports (CSV/XLSX from the inbox) as unit-day Parquet partitions "
    "in <lake>/manual/account_daily/date=…/unit_code=…/. One run per inbox file.",
)
def manual_account_daily(context: dg.AssetExecutionContext, config: ManualReportConfig):
    result = process_file(config.path, run_id=context.run.run_id, expected_sha256=config.sha256)
    metadata = _metadata(result)
    if result.outcome == "processed":
        context.log.info(f"took in {result.file}: {result.rows} rows, {result.unit_days} unit-days")
        yield dg.MaterializeResult(metadata=metadata)
        return
    if result.outcome == "quarantined":
        context.log.warning(f"quarantined {result.file} ({len(result.issues)} problems): {result.issues[0]}")
    else:
        context.log.warning(f"{result.outcome}: {result.file}: {result.detail}")
    context.log_event(dg.AssetObservation(asset_key=MANUAL_ACCOUNT_DAILY_KEY, metadata=metadata))

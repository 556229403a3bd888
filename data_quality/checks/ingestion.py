"""Checks of the ingestion assets that are evaluated inside the ingestion op (they need the run's own state).

`metric_drift` (WARN): the fields or metrics a platform refused during the run (a deprecation, a renamed
metric, a permission change). The client dropped them and fetched the rest (pipelines.clients.drift); their
columns stay null until the platform specification (pipelines/platform_spec) is updated.
"""

import dagster as dg

DRIFT_CHECK = "metric_drift"


def drift_check_spec(asset_key: dg.AssetKey) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        DRIFT_CHECK,
        asset=asset_key,
        description="Metric drift: fields or metrics the platform refused during the run (deprecated, renamed, "
        "no longer permitted). They were dropped and the rest fetched; their columns stay null until the "
        "specification (pipelines/platform_spec) is updated.",
    )


def drift_check_result(asset_key: dg.AssetKey, refused: dict[str, str]) -> dg.AssetCheckResult:
    """`refused`: field name -> the platform's message (RefusedFields.snapshot() of the run)."""
    return dg.AssetCheckResult(
        asset_key=asset_key,
        check_name=DRIFT_CHECK,
        passed=not refused,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"refused_fields": dg.MetadataValue.json(refused)},
    )

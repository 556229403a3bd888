"""Helpers shared by the end-to-end tests."""

import dagster as dg

from assets.warehouse import warehouse_dbt_assets
from data_quality.checks import warehouse as warehouse_checks


def run_warehouse_checks(resources: dict, instance) -> bool:
    """The data-quality asset checks on the build's tables, as automation runs them after a build."""
    checks = dg.load_asset_checks_from_modules([warehouse_checks])
    selection = dg.AssetSelection.checks(*checks)
    return dg.materialize(
        [warehouse_dbt_assets, *checks], selection=selection, resources=resources, instance=instance
    ).success

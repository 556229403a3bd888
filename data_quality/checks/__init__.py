"""Dagster asset checks, one module per topic (the check logic itself lives in plain data_quality modules)."""

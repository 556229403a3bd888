"""Dagster asset checks, one module per topic (logic in the plain data_quality modules they call)."""

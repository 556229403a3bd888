"""Dagster sensors of medsos-warehouse, one module per topic (see pipelines/definitions.py)."""

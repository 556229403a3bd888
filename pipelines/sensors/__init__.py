"""Dagster sensors of medsos-warehouse."""

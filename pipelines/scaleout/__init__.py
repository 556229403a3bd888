"""Beyond one machine: a local PostgreSQL for the Dagster instance and the DuckLake catalog, and DuckLake itself.

See docs/operators/scale-out.md. The embedded default (SQLite + one DuckDB file) needs none of this.
"""

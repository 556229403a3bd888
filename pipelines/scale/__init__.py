"""National scale: a synthetic registry and lake of any size, and the benchmark that builds on them.

    python -m pipelines.scale.generate --accounts 20000 --days 1095 --out DIR   # registry + lake
    python -m pipelines.scale.benchmark --help                                 # the scale benchmark

Everything is written in the project's own lake schemas and paths (`pipelines.lake`), so the benchmark measures
the models on data shaped exactly like what ingestion and manual intake write.
"""

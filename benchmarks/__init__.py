"""Benchmarks, one module each, run from the project folder with the venv's Python:

    .venv/bin/python -m benchmarks.pages [seconds]
    .venv/bin/python -m benchmarks.images [--repeat N] [--no-png]
    .venv/bin/python -m benchmarks.search [--films N] [--people N] [--articles N]

`benchmarks.catalog` generates a large catalog for them; `benchmarks.common` holds
what they share.
"""

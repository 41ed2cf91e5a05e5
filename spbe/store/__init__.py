"""Store: the DuckDB file, its build from the seeds and the versions of imported data."""

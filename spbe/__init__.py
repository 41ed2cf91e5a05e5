"""SPBE index dashboard: seed data, DuckDB store, scoring engine and the helpers the pages use."""

"""Data core tests: queries, KPIs, storage and interchange against a real SQLite book file."""

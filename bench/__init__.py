"""Benchmarks that print a table (see docs/CONVENTIONS.md). Run the scripts from the repo root."""

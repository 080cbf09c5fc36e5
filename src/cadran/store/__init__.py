"""Storage: the workspace folder, the embedded DuckDB database, migrations and writes."""

"""Peer of the `export` area: every run's metrics.parquet stacked and written as one file.

usage: export_peer.py polars|duckdb GLOB parquet|csv|jsonl OUT

The whole process is timed by specimen-bench (start-up and imports included), as ours is.
The metrics files carry their run_id column already, so both engines write it as read.
"""
import sys

engine, pattern, fmt, out = sys.argv[1:5]
if engine == "polars":
    import polars as pl
    frame = pl.scan_parquet(pattern).collect()
    if fmt == "parquet":
        frame.write_parquet(out)
    elif fmt == "csv":
        frame.write_csv(out)
    else:
        frame.write_ndjson(out)
else:
    import duckdb
    options = {"parquet": "FORMAT parquet", "csv": "FORMAT csv, HEADER true", "jsonl": "FORMAT json"}[fmt]
    duckdb.sql(f"COPY (SELECT * FROM read_parquet('{pattern}')) TO '{out}' ({options})")

"""Peer of specimen-bench's `report` area: polars reading the same runs that `specimen report`
draws, as a whole process (the bench times this script from spawn to exit, as it times
`specimen report`). Reads every run's metrics.parquet into one DataFrame with
`pl.scan_parquet(glob).collect()` (every core) and checks the row count.

usage: report_polars_peer.py <runs glob> <expected rows>
"""
import sys

import polars as pl

pattern, expected = sys.argv[1], int(sys.argv[2])
rows = pl.scan_parquet(pattern).collect().height
if rows != expected:
    sys.exit(f"report_polars_peer: read {rows} rows, expected {expected}")

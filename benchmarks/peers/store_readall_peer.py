"""Peer of specimen-bench's `store` area, reading every run: the same Parquet files read into
one table by polars (`scan_parquet(glob).collect()`) and DuckDB (`read_parquet(glob)` to Arrow),
each using every core. Prints `<name> <seconds>` (median of 3 after a warm-up); with `--first`,
the time of the first call in this interpreter instead (what a script reading every run once pays)."""
import statistics
import sys
import time

import duckdb
import polars as pl

pattern, expected = sys.argv[1], int(sys.argv[2])
first_only = "--first" in sys.argv[3:]


def timed(read):
    if first_only:
        start = time.perf_counter()
        rows = read()
        if rows != expected:
            sys.exit(f"store_readall_peer: read {rows} rows, expected {expected}")
        return time.perf_counter() - start
    read()  # warm-up
    samples = []
    for _ in range(3):
        start = time.perf_counter()
        rows = read()
        samples.append(time.perf_counter() - start)
        if rows != expected:
            sys.exit(f"store_readall_peer: read {rows} rows, expected {expected}")
    return statistics.median(samples)


print("polars", f"{timed(lambda: pl.scan_parquet(pattern).collect().height):.6f}")
connection = duckdb.connect()
query = f"SELECT * FROM read_parquet('{pattern}')"
print("duckdb", f"{timed(lambda: connection.sql(query).to_arrow_table().num_rows):.6f}")

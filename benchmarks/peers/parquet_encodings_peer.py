"""Peer timings for specimen-bench's `parquet-encodings` area.

Usage: parquet_encodings_peer.py FILE...
Times pyarrow and polars reading each file (median of 5 after a warm-up) and prints one JSON
object: {file: {"pyarrow": seconds, "polars": seconds}}.
"""
import json
import statistics
import sys
import time

import polars as pl
import pyarrow.parquet as pq


def median_seconds(action, repetitions=5):
    action()
    samples = []
    for _ in range(repetitions):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


print(json.dumps({path: {"pyarrow": median_seconds(lambda: pq.read_table(path)),
                         "polars": median_seconds(lambda: pl.read_parquet(path))} for path in sys.argv[1:]}))

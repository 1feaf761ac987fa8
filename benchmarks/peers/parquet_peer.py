"""Peer timings for specimen-bench's `parquet` area.

Usage: parquet_peer.py OURS.parquet WORKDIR
Loads the table from OURS.parquet (the same data our writer wrote), then times, with SNAPPY:
pyarrow and polars writing it (elapsed and process CPU time, every thread); pyarrow and polars reading our file and pyarrow's file, in turn
(after a sync, so no writeback competes with the reads).
Prints one JSON object of median seconds.
"""
import json
import os
import statistics
import sys
import time

import polars as pl
import pyarrow.parquet as pq


def median_seconds_and_cpu(action, repetitions=5):
    """Median elapsed and process CPU seconds (every thread) of one call, after a warm-up."""
    action()  # warm-up
    walls, cpus = [], []
    for _ in range(repetitions):
        start, cpu_start = time.perf_counter(), time.process_time()
        action()
        cpus.append(time.process_time() - cpu_start)
        walls.append(time.perf_counter() - start)
    return statistics.median(walls), statistics.median(cpus)


def median_pair(first, second, repetitions=7):
    first()  # warm-up
    second()
    a, b = [], []
    for _ in range(repetitions):
        for action, samples in ((first, a), (second, b)):
            start = time.perf_counter()
            action()
            samples.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)


def main():
    ours, workdir = sys.argv[1], sys.argv[2]
    table = pq.read_table(ours)
    frame = pl.from_arrow(table)
    pyarrow_file = f"{workdir}/pyarrow.parquet"
    polars_file = f"{workdir}/polars.parquet"
    result = {"pyarrow_file": pyarrow_file}
    result["pyarrow_write"], result["pyarrow_write_cpu"] = median_seconds_and_cpu(
        lambda: pq.write_table(table, pyarrow_file, compression="snappy"))
    result["polars_write"], result["polars_write_cpu"] = median_seconds_and_cpu(
        lambda: frame.write_parquet(polars_file, compression="snappy"))
    os.sync()  # no writeback of the files just written during the reads
    # Each reader reads our file and pyarrow's in turn, so both see the same machine.
    for library, read in [("pyarrow", pq.read_table), ("polars", pl.read_parquet)]:
        result[f"{library}_read_ours"], result[f"{library}_read_pyarrow"] = median_pair(
            lambda: read(ours), lambda: read(pyarrow_file))
    print(json.dumps(result))


if __name__ == "__main__":
    main()

"""Peer of specimen-bench's `store` area, logging: the fastest Python path to the same result,
with no crash safety — append each of N rows of 8 doubles to Python lists, then build one
pyarrow table and write it once as Parquet (snappy). Prints CPU seconds per value
(`time.process_time`, every thread; median of 5)."""
import os
import statistics
import sys
import tempfile
import time

import pyarrow as pa
import pyarrow.parquet as pq

rows = int(sys.argv[1]) if len(sys.argv) > 1 else 500_000
names = ["loss", "accuracy", "lr", "grad_norm", "val_loss", "val_accuracy", "epoch_time", "throughput"]


def once(path):
    columns = {name: [] for name in names}
    steps, times = [], []
    x = 0.5
    start = time.process_time()
    for step in range(rows):
        x = x * 0.999 + 0.001
        steps.append(step)
        times.append(time.time_ns() // 1000)
        columns["loss"].append(x)
        columns["accuracy"].append(1 - x)
        columns["lr"].append(0.001)
        columns["grad_norm"].append(x * 3)
        columns["val_loss"].append(x + 0.1)
        columns["val_accuracy"].append(0.9 - x)
        columns["epoch_time"].append(12.5)
        columns["throughput"].append(x * 1000)
    table = pa.table({"step": steps, "time": pa.array(times, pa.timestamp("us", tz="UTC")), **columns})
    pq.write_table(table, path)
    return time.process_time() - start


with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "metrics.parquet")
    once(path)  # warm-up
    samples = [once(path) for _ in range(5)]
print(f"{statistics.median(samples) / (rows * 8):.12f}")

"""Reads a sealed Specimen run with the reference libraries and prints what they see as JSON.

usage: store_read_run.py <run folder>

pyarrow reads metrics.parquet (schema, key-value metadata, values); pandas and polars read it
too; Python's msgpack reads manifest.msgpack with strict_map_key=True (string keys only).
"""
import json
import sys

import msgpack
import pandas
import polars
import pyarrow.parquet as pq

run = sys.argv[1]
table = pq.read_table(f"{run}/metrics.parquet")
metadata = {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()}
with open(f"{run}/manifest.msgpack", "rb") as f:
    manifest = msgpack.unpackb(f.read(), strict_map_key=True, raw=False, timestamp=3)

frame = pandas.read_parquet(f"{run}/metrics.parquet")
pl = polars.read_parquet(f"{run}/metrics.parquet")


def plain(value):
    if isinstance(value, float) and value != value:
        return "NaN"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


print(json.dumps({
    "columns": table.column_names,
    "types": [str(t) for t in table.schema.types],
    "rows": table.num_rows,
    "metadata": metadata,
    "values": {name: [plain(v) for v in table.column(name).to_pylist()] for name in table.column_names if name != "time"},
    "pandas_rows": len(frame),
    "polars_columns": pl.columns,
    "manifest_keys": list(manifest.keys()),
    "manifest": {k: manifest[k] for k in ("format", "run_id", "status", "specimen", "params", "metrics", "run_timestamp")},
    "files": {k: v for k, v in manifest["files"].items()},
}, default=str))

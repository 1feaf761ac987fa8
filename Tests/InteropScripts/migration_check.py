"""Reads a migrated run with pyarrow, pandas and msgpack and compares it with the legacy frame.

usage: migration_check.py <run folder> <legacy frame .pkl>

Prints JSON: run_id values, arrow schema, pandas dtypes and index name, whether every legacy
column came back equal (categoricals compared as strings: without ARROW:schema they are read
back as strings), and the manifest (msgpack, timestamps as ISO text).
"""
import json
import pickle
import sys

import msgpack
import pandas as pd
import pyarrow.parquet as pq

run, pkl = sys.argv[1], sys.argv[2]
original = pickle.load(open(pkl, "rb"))
table = pq.read_table(f"{run}/metrics.parquet")
frame = pd.read_parquet(f"{run}/metrics.parquet")
result = {
    "arrow_names": table.schema.names,
    "arrow_types": [str(t) for t in table.schema.types],
    "metadata_keys": sorted(k.decode() for k in (table.schema.metadata or {})),
    "index_name": frame.index.name,
    "index_equal": list(frame.index) == list(original.index),
    "run_ids": sorted(set(frame["run_id"])),
    "dtypes": {c: str(frame[c].dtype) for c in frame.columns},
    "original_dtypes": {c: str(original[c].dtype) for c in original.columns},
    "equal": {},
}
for column in original.columns:
    a, b = original[column], frame[column]
    if isinstance(a.dtype, pd.CategoricalDtype):
        a = a.astype(str)
        b = b.astype(str)
    if isinstance(a.dtype, pd.DatetimeTZDtype) and isinstance(b.dtype, pd.DatetimeTZDtype) and str(a.dt.tz) == str(b.dt.tz):
        # pyarrow restores the zone from the pandas entry as datetime64[ns, tz]; same instants
        b = b.astype(a.dtype)
    try:
        pd.testing.assert_series_equal(a, b, check_names=True)
        result["equal"][column] = True
    except AssertionError as error:
        result["equal"][column] = str(error)[:300]
with open(f"{run}/manifest.msgpack", "rb") as f:
    manifest = msgpack.unpackb(f.read(), strict_map_key=True, raw=False, timestamp=3)
result["manifest_keys"] = list(manifest.keys())
result["status"] = manifest["status"]
result["legacy"] = {k: str(v) for k, v in manifest.get("legacy", {}).items()}
print(json.dumps(result, default=str))

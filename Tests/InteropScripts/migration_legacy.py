"""Writes legacy (format version 0) specimens with the real writers: pandas.to_parquet
(pyarrow engine) and Python's msgpack, as the earlier Python system did.

usage: migration_legacy.py <specimen folder> <kind>

kinds:
  root      every dtype, a named index, results at the specimen root, extra files, protocol.py,
            field_notes.md, an ISO run_timestamp and a clashing key (status), specimen-level keys
  strata    results in strata/ (a plot and a checkpoint folder), a manifest without any time,
            a legacy specimen manifest at the root
  epoch     root layout, time as epoch seconds under "created"
  msgts     root layout, time as a msgpack timestamp under "timestamp"
  corrupt   root layout with a truncated metrics.parquet
  nested    root layout whose metrics have a list column
  decimal   root layout whose metrics have DECIMAL columns: decimal128(10, 2) (pyarrow stores
            it as FIXED_LEN_BYTE_ARRAY(5)) and decimal128(38, 10), with nulls

The original frame is pickled beside the specimen as <folder>.pkl so checks can compare.
"""
import datetime
import os
import pickle
import sys

import msgpack
import numpy as np
import pandas as pd

folder, kind = sys.argv[1], sys.argv[2]
os.makedirs(folder, exist_ok=True)


def frame(rows=12):
    step = np.arange(rows, dtype="int64")
    loss = np.linspace(1.0, 0.1, rows)
    loss[3] = np.nan
    df = pd.DataFrame({
        "step": step,
        "loss": loss,
        "acc32": np.linspace(0.5, 0.9, rows).astype("float32"),
        "phase": pd.array(["train" if i % 3 else "eval" for i in range(rows)], dtype="object"),
        "ok": np.array([i % 2 == 0 for i in range(rows)]),
        "when": pd.date_range("2024-03-05 14:22:01", periods=rows, freq="s"),
        "when_tz": pd.date_range("2024-03-05 14:22:01", periods=rows, freq="s", tz="Europe/Paris"),
        "split": pd.Categorical(["a", "b", "a", "c"] * (rows // 4)),
        "count": pd.array([i if i % 5 else None for i in range(rows)], dtype="Int64"),
    })
    df.index = pd.Index([f"r{i}" for i in range(rows)], name="row")
    return df


def write_manifest(path, value):
    with open(path, "wb") as f:
        f.write(msgpack.packb(value, use_bin_type=True, datetime=True))


if kind in ("root", "epoch", "msgts", "corrupt"):
    df = frame()
    df.to_parquet(os.path.join(folder, "metrics.parquet"))
    manifest = {
        "name": os.path.basename(folder), "description": "legacy specimen", "tags": ["legacy", "test"],
        "params": {"lr": 0.01, "epochs": 3}, "status": "done", "author": "ada",
        "nested": {"a": [1, 2, {"b": None}]}, "blob": b"\x00\x01",
    }
    if kind == "root":
        manifest["run_timestamp"] = "2024-03-05T14:22:01"
    elif kind == "epoch":
        manifest["created"] = 1709648521
    elif kind == "msgts":
        manifest["timestamp"] = datetime.datetime(2024, 3, 5, 14, 22, 1, tzinfo=datetime.timezone.utc)
    write_manifest(os.path.join(folder, "manifest.msgpack"), manifest)
    with open(os.path.join(folder, "protocol.py"), "w") as f:
        f.write("print('protocol')\n")
    with open(os.path.join(folder, "field_notes.md"), "w") as f:
        f.write("# notes\n")
    with open(os.path.join(folder, "summary.csv"), "w") as f:
        f.write("a,b\n1,2\n")
    os.makedirs(os.path.join(folder, "plots"), exist_ok=True)
    with open(os.path.join(folder, "plots", "loss.png"), "wb") as f:
        f.write(bytes(range(256)) * 4)
    if kind == "corrupt":
        path = os.path.join(folder, "metrics.parquet")
        data = open(path, "rb").read()
        with open(path, "wb") as f:
            f.write(data[: len(data) // 2])
elif kind == "strata":
    df = frame(8)
    strata = os.path.join(folder, "strata")
    os.makedirs(os.path.join(strata, "checkpoints"), exist_ok=True)
    df.to_parquet(os.path.join(strata, "metrics.parquet"))
    write_manifest(os.path.join(strata, "manifest.msgpack"), {"params": {"seed": 7}, "notes": "no time here", "run_id": "legacy-1"})
    write_manifest(os.path.join(folder, "manifest.msgpack"), {"name": os.path.basename(folder), "description": "strata specimen", "tags": ["s"]})
    with open(os.path.join(strata, "plot.svg"), "w") as f:
        f.write("<svg/>\n")
    with open(os.path.join(strata, "checkpoints", "model.bin"), "wb") as f:
        f.write(os.urandom(4096))
    with open(os.path.join(folder, "protocol.py"), "w") as f:
        f.write("print('protocol')\n")
    with open(os.path.join(folder, "field_notes.md"), "w") as f:
        f.write("# notes\n")
    os.utime(os.path.join(strata, "metrics.parquet"), (1700000000, 1700000000))
elif kind == "decimal":
    import decimal
    import pyarrow as pa
    rows = 6
    df = pd.DataFrame({
        "step": np.arange(rows, dtype="int64"),
        "price": [decimal.Decimal("-12345678.90"), decimal.Decimal("0.05"), None, decimal.Decimal("99999999.99"),
                  decimal.Decimal("-0.01"), decimal.Decimal("0.00")],
        "big": [decimal.Decimal("-9999999999999999999999999999.9999999999"), None, decimal.Decimal("1E-10"),
                decimal.Decimal("12345678901234567890.1234567890"), decimal.Decimal("0"), decimal.Decimal("-1")],
    })
    schema = pa.schema([("step", pa.int64()), ("price", pa.decimal128(10, 2)), ("big", pa.decimal128(38, 10))])
    df.to_parquet(os.path.join(folder, "metrics.parquet"), schema=schema, index=False)
    write_manifest(os.path.join(folder, "manifest.msgpack"), {"run_timestamp": "2024-03-05T14:22:01"})
elif kind == "nested":
    df = pd.DataFrame({"step": [1, 2], "values": [[1, 2], [3]]})
    df.to_parquet(os.path.join(folder, "metrics.parquet"))
    write_manifest(os.path.join(folder, "manifest.msgpack"), {"run_timestamp": "2024-01-01T00:00:00Z"})
else:
    sys.exit(f"unknown kind {kind}")

if kind in ("root", "strata", "decimal"):
    with open(folder.rstrip("/") + ".pkl", "wb") as f:
        pickle.dump(df, f)

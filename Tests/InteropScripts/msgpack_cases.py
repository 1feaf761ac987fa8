"""The values the MessagePack interop tests exchange with Swift, by name.

Swift holds the same list (Tests/MessagePackTests/InteropTests.swift). Each case is
(name, value, pack options): the options are msgpack.packb's defaults unless noted.
Shared by msgpack_pack.py (Python -> Swift) and msgpack_check.py (Swift -> Python).
"""
import math

from msgpack import ExtType, Timestamp

RUN_MANIFEST = {
    "format": "specimen.run/1",
    "run_id": "20251222_194653",
    "run_timestamp": "2025-12-22T19:46:53Z",
    "specimen": "mnist-baseline",
    "status": "completed",
    "started_at": "2025-12-22T19:46:53.120000Z",
    "ended_at": "2025-12-22T19:52:10.874512Z",
    "exit_code": 0,
    "command": ["python", "train.py", "--epochs", "10"],
    "params": {"lr": 0.001, "batch_size": 128, "optimizer": "adam", "dropout": 0.25, "seed": 42, "augment": True},
    "host": {"hostname": "gpu-node-07", "os": "Linux 6.8.0", "arch": "x86_64", "cpus": 32},
    "git": {"commit": "3f9c2a1b7e4d5c6f8a9b0c1d2e3f4a5b6c7d8e9f", "branch": "main", "dirty": False},
    "metrics": {
        "rows": 1200,
        "columns": [{"name": "run_id", "type": "string"}, {"name": "step", "type": "int64"}, {"name": "loss", "type": "double"}],
        "summary": {
            "loss": {"last": 0.0412, "min": 0.0398, "max": 2.3026, "count": 1200},
            "accuracy": {"last": 0.9871, "min": 0.0912, "max": 0.9889, "count": 1200},
            "step": {"last": 1199, "min": 0, "max": 1199, "count": 1200},
        },
    },
    "files": {
        "metrics.parquet": {"size": 48213, "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
        "model.pt": {"size": 4718592, "sha256": "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"},
    },
    "tags": ["baseline", "cpu", "nightly"],
    "notes": "First run after the data fix \u2014 \u00fcn\u00efc\u00f6d\u00e9 text \u2713",
}

# What Swift's Codable `InteropRecord` encodes to, key order included.
CODABLE_RECORD = {
    "name": "run",
    "started_at": Timestamp(1766432813, 250000000),
    "digest": b"\xde\xad\xbe\xef",
    "counts": {"a": 1, "b": 2, "c": 3},
    "ratio": 0.25,
    "small": 0.5,
    "maybe": 3,
    "tags": ["x", "y"],
    "shape": {"circle": {"radius": 1.5}},
    "big": 2**64 - 1,
    "negative": -128,
    "nested": [{"k": [1.5, -2.0]}, {}],
}

INTS = [0, 1, 127, 128, 255, 256, 65535, 65536, 2**32 - 1, 2**32, 2**63 - 1, 2**63, 2**64 - 1,
        -1, -32, -33, -128, -129, -32768, -32769, -2**31, -2**31 - 1, -2**63]
FLOATS = {"0.0": 0.0, "-0.0": -0.0, "1.5": 1.5, "0.1": 0.1, "1e300": 1e300, "5e-324": 5e-324,
          "inf": math.inf, "-inf": -math.inf, "nan": math.nan}
STRINGS = {"str0": "", "str1": "a", "str31": "x" * 31, "str32": "x" * 32, "str255": "x" * 255, "str256": "x" * 256,
           "str65535": "x" * 65535, "str65536": "x" * 65536, "unicode": "h\u00e9llo \u2713 \U0001f422"}
BINS = {"bin0": b"", "bin2": b"\x00\xff", "bin255": b"x" * 255, "bin256": b"x" * 256, "bin65536": b"x" * 65536}
TIMESTAMPS = {"ts0": (0, 0), "ts2038": (2**31, 0), "ts32max": (2**32 - 1, 0), "ts64min": (2**32, 0), "ts1ns": (1, 1),
              "ts64max": (2**34 - 1, 999999999), "ts96": (2**34, 0), "tsneg": (-1, 0), "tsnegfrac": (-1, 500000000),
              "tsyear0": (-62167219200, 0), "ts9999": (253402300799, 999999999)}


def cases():
    """(name, value, packb keyword arguments) for every case."""
    result = [("nil", None, {}), ("true", True, {}), ("false", False, {})]
    result += [(f"int{value}", value, {}) for value in INTS]
    result += [(f"float{name}", value, {}) for name, value in FLOATS.items()]
    result += [("float32_1.5", 1.5, {"use_single_float": True}), ("float32_0.1", 0.1, {"use_single_float": True})]
    result += [(name, value, {}) for name, value in STRINGS.items()]
    result += [(name, value, {}) for name, value in BINS.items()]
    result += [
        ("str_vs_bin", ["abc", b"abc"], {}),
        ("array0", [], {}),
        ("array15", list(range(15)), {}),
        ("array16", list(range(16)), {}),
        ("array65536", [None] * 65536, {}),
        ("nested_arrays", [[1, [2, [3, []]]]], {}),
        ("map0", {}, {}),
        ("map15", {f"k{i:02}": i for i in range(15)}, {}),
        ("map16", {f"k{i:02}": i for i in range(16)}, {}),
        ("nested_maps", {"a": {"b": {"c": [1, {"d": None}]}}, "e": {}}, {}),
        ("bytes_key", {b"k": 1, "s": 2}, {}),
        ("ext_fix1", ExtType(5, b"a"), {}),
        ("ext_fix16", ExtType(127, b"x" * 16), {}),
        ("ext8_0", ExtType(1, b""), {}),
        ("ext8_3", ExtType(1, b"abc"), {}),
        ("ext16", ExtType(0, b"y" * 256), {}),
        ("run_manifest", RUN_MANIFEST, {}),
    ]
    result += [(name, Timestamp(seconds, nanoseconds), {}) for name, (seconds, nanoseconds) in TIMESTAMPS.items()]
    return result


def same(a, b):
    """Strict equality: same types, maps in the same key order, NaN equal to NaN, -0.0 unlike 0.0."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, dict):
        return list(a.keys()) == list(b.keys()) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b

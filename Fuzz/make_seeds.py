#!/usr/bin/env python3
"""Writes the committed seed corpus of the fuzz targets (Fuzz/seeds/msgpack, Fuzz/seeds/parquet).

Usage: .venv/bin/python Fuzz/make_seeds.py [--no-swift]

Parquet seeds are small files (< 20 KB) from pyarrow (every codec, dictionary on and off, data
page v1 and v2, the DELTA_* and BYTE_STREAM_SPLIT encodings, page checksums, nullable and
required columns, strings, timestamps, booleans, decimals, fixed_size_binary, several row
groups), from DuckDB, from polars and from our own ParquetWriter (the `write-seeds` executable
of this package; skipped with --no-swift). MessagePack seeds are values packed by Python msgpack
(maps, arrays, every int width, floats, str/bin of every length class, ext, timestamps
32/64/96) plus hand-made non-minimal encodings that msgpack never writes.

Nothing is random: the files are identical on every run (except the writers' version strings).
Needs the venv of scripts/python-env (pyarrow, duckdb, polars, msgpack).
"""

import datetime
import decimal
import os
import shutil
import struct
import subprocess
import sys

import duckdb
import msgpack
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

FUZZ = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(FUZZ, "seeds")
MAX_PARQUET = 20_000


def base_table(n=24):
    """A small table of most column types, with nulls in the nullable ones."""
    k = list(range(n))
    none_every = lambda values, m: [None if i % m == m - 1 else v for i, v in enumerate(values)]
    return pa.table({
        "i8": pa.array(none_every([(i * 37) % 256 - 128 for i in k], 5), pa.int8()),
        "i16": pa.array([(i * 4099) % 65536 - 32768 for i in k], pa.int16()),
        "i32": pa.array(none_every([i * 100_003 - 1_000_000 for i in k], 4), pa.int32()),
        "i64": pa.array([i * 2**40 - 2**45 for i in k], pa.int64()),
        "u32": pa.array(none_every([(i * 2654435761) % 2**32 for i in k], 6), pa.uint32()),
        "u64": pa.array([(i * 11400714819323198485) % 2**64 for i in k], pa.uint64()),
        "f32": pa.array(none_every([i * 0.37 - 3 for i in k], 7), pa.float32()),
        "f64": pa.array([float("nan") if i == 3 else i / 7 for i in k], pa.float64()),
        "flag": pa.array(none_every([i % 3 == 0 for i in k], 5), pa.bool_()),
        "name": pa.array(none_every([["", "a", "host-1", "日本語", "🦀 crab", "x" * 40][i % 6] for i in k], 4), pa.string()),
        "raw": pa.array([bytes([i]) * (i % 5) for i in k], pa.binary()),
        "day": pa.array([datetime.date(2024, 1, 1) + datetime.timedelta(days=i * 13) for i in k], pa.date32()),
        "ts_ms": pa.array(none_every([1_700_000_000_000 + i * 1001 for i in k], 6), pa.timestamp("ms", "UTC")),
        "ts_us": pa.array([1_700_000_000_000_000 + i * 1_000_003 for i in k], pa.timestamp("us")),
        "ts_ns": pa.array([1_700_000_000_000_000_000 + i * 7 for i in k], pa.timestamp("ns", "UTC")),
        "dec": pa.array(none_every([decimal.Decimal(i * 1234 - 5000).scaleb(-2) for i in k], 5), pa.decimal128(9, 2)),
        "dec_wide": pa.array([decimal.Decimal(i * 10**20 + 7).scaleb(-4) for i in k], pa.decimal128(30, 4)),
        "fixed": pa.array([bytes([i, i + 1, i + 2, 255 - i]) for i in k], pa.binary(4)),
    })


def write_pyarrow(out):
    table = base_table()
    variants = {
        "pa-snappy": {},
        "pa-none": {"compression": "none"},
        "pa-gzip": {"compression": "gzip"},
        "pa-zstd": {"compression": "zstd"},
        "pa-lz4": {"compression": "lz4"},
        "pa-brotli": {"compression": "brotli"},
        "pa-nodict": {"use_dictionary": False, "compression": "none"},
        "pa-v2": {"data_page_version": "2.0"},
        "pa-v2-nodict-zstd": {"data_page_version": "2.0", "use_dictionary": False, "compression": "zstd"},
        "pa-crc": {"write_page_checksum": True, "compression": "none"},
        "pa-crc-v2": {"write_page_checksum": True, "data_page_version": "2.0"},
        "pa-nostats": {"write_statistics": False, "compression": "none"},
        "pa-groups": {"row_group_size": 7, "data_page_size": 64, "compression": "none"},
    }
    for name, options in variants.items():
        pq.write_table(table, os.path.join(out, name + ".parquet"), **options)

    # Explicit encodings need dictionary off for those columns.
    ints = table.select(["i32", "i64", "u32", "day", "ts_us"])
    pq.write_table(ints, os.path.join(out, "pa-delta-binary-packed.parquet"), use_dictionary=False,
                   column_encoding="DELTA_BINARY_PACKED", compression="none")
    pq.write_table(ints, os.path.join(out, "pa-delta-binary-packed-v2.parquet"), use_dictionary=False,
                   column_encoding="DELTA_BINARY_PACKED", data_page_version="2.0")
    strings = table.select(["name", "raw"])
    pq.write_table(strings, os.path.join(out, "pa-delta-length-byte-array.parquet"), use_dictionary=False,
                   column_encoding="DELTA_LENGTH_BYTE_ARRAY", compression="none")
    pq.write_table(table.select(["name", "raw", "fixed"]), os.path.join(out, "pa-delta-byte-array.parquet"),
                   use_dictionary=False, column_encoding="DELTA_BYTE_ARRAY", compression="none")
    floats = table.select(["f32", "f64", "i32", "i64", "fixed", "dec"])
    pq.write_table(floats, os.path.join(out, "pa-byte-stream-split.parquet"), use_dictionary=False,
                   column_encoding="BYTE_STREAM_SPLIT", compression="none")
    # Required (non-nullable) columns: no definition levels.
    schema = pa.schema([pa.field("id", pa.int64(), nullable=False), pa.field("s", pa.string(), nullable=False),
                        pa.field("b", pa.bool_(), nullable=False)])
    required = pa.table([pa.array(range(30), pa.int64()), pa.array([f"r{i % 4}" for i in range(30)]),
                         pa.array([i % 2 == 0 for i in range(30)])], schema=schema)
    pq.write_table(required, os.path.join(out, "pa-required.parquet"), compression="none")
    # All-null columns and an empty file.
    nulls = pa.table({"n_i64": pa.array([None] * 10, pa.int64()), "n_s": pa.array([None] * 10, pa.string()),
                      "n_b": pa.array([None] * 10, pa.bool_())})
    pq.write_table(nulls, os.path.join(out, "pa-all-null.parquet"), compression="none")
    pq.write_table(table.slice(0, 0), os.path.join(out, "pa-empty.parquet"), compression="none")
    # A nested column next to flat ones (the reader reads the flat ones by name).
    nested = pa.table({"id": pa.array([1, 2, 3], pa.int64()), "xs": pa.array([[1, 2], None, []], pa.list_(pa.int32()))})
    pq.write_table(nested, os.path.join(out, "pa-nested.parquet"), compression="none")


def write_duckdb(out):
    con = duckdb.connect()
    select = ("SELECT i AS id, i * 1.5 AS x, 'h' || (i % 5) AS host, i % 3 = 0 AS ok, "
              "CASE WHEN i % 4 = 0 THEN NULL ELSE i END AS maybe, "
              "TIMESTAMP '2024-01-01' + INTERVAL (i) MINUTE AS at, (i * 7)::DECIMAL(10, 3) AS amount, "
              "DATE '2024-01-01' + i::INTEGER AS day FROM range(40) t(i)")
    for name, options in {
        "duckdb-snappy": "COMPRESSION snappy",
        "duckdb-zstd-v2": "COMPRESSION zstd, PARQUET_VERSION v2",
        "duckdb-none-v2-groups": "COMPRESSION uncompressed, PARQUET_VERSION v2, ROW_GROUP_SIZE 16",
    }.items():
        path = os.path.join(out, name + ".parquet")
        con.execute(f"COPY ({select}) TO '{path}' (FORMAT parquet, {options})")


def write_polars(out):
    frame = pl.DataFrame({"a": list(range(30)), "b": [f"s{i % 7}" if i % 5 else None for i in range(30)],
                          "c": [i * 0.5 for i in range(30)]})
    frame.write_parquet(os.path.join(out, "polars-zstd.parquet"), compression="zstd")
    frame.write_parquet(os.path.join(out, "polars-none.parquet"), compression="uncompressed")


def write_swift(out):
    root = os.path.dirname(FUZZ)
    subprocess.run(["swift", "run", "--package-path", FUZZ, "--scratch-path", os.path.join(FUZZ, ".build-seeds"),
                    "write-seeds", out], check=True, cwd=root)


def msgpack_seeds():
    """(name, bytes) pairs."""
    seeds = []
    add = lambda name, value, **kw: seeds.append((name, msgpack.packb(value, use_bin_type=True, **kw)))
    add("nil", None)
    add("bools", [True, False])
    ints = [0, 1, 127, 128, 255, 256, 65535, 65536, 2**32 - 1, 2**32, 2**64 - 1,
            -1, -32, -33, -128, -129, -32768, -32769, -2**31, -2**31 - 1, -2**63]
    for value in ints:
        add(f"int_{value}", value)
    add("ints", ints)
    add("float64", [0.0, -0.0, 1.5, float("inf"), float("-inf"), float("nan"), 1e308, 5e-324])
    add("float32", 1.5, use_single_float=True)
    for length in (0, 31, 32, 255, 256, 1000):
        add(f"str_{length}", "é" * (length // 2) + "a" * (length % 2))
    for length in (0, 1, 255, 256, 1000):
        add(f"bin_{length}", bytes(range(256)) * (length // 256) + bytes(length % 256))
    for length in (0, 15, 16, 100):
        add(f"array_{length}", list(range(length)))
        add(f"map_{length}", {f"k{i}": i for i in range(length)})
    for length in (1, 2, 4, 8, 16, 3, 17, 300):
        add(f"ext_{length}", msgpack.ExtType(5, bytes(i % 256 for i in range(length))))
    add("timestamp32", msgpack.Timestamp(1_700_000_000))
    add("timestamp64", msgpack.Timestamp(1_700_000_000, 123_456_789))
    add("timestamp96", msgpack.Timestamp(-1, 5))
    add("timestamp96_far", msgpack.Timestamp(2**40, 999_999_999))
    add("nested", {"format": "specimen.run/1", "params": {"lr": 0.001, "layers": [4, 8, {"x": None}]},
                   "tags": ["baseline", b"\x00\x01"], 7: [True, -1.25], "t": msgpack.Timestamp(0)})
    add("deep", [[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]])
    seeds.append(("int_keys", msgpack.packb({1: 2, -3: "x", None: [], 2.5: {}, False: "f"})))
    seeds.append(("stream", msgpack.packb(1) + msgpack.packb("two") + msgpack.packb([3])))
    # Non-minimal encodings msgpack never writes: every header form with a small payload.
    seeds += [
        ("raw_uint8_small", b"\xcc\x01"), ("raw_uint64_small", b"\xcf" + struct.pack(">Q", 1)),
        ("raw_int64_pos", b"\xd3" + struct.pack(">q", 5)), ("raw_int16", b"\xd1\xff\x7f"),
        ("raw_str8", b"\xd9\x03abc"), ("raw_str16", b"\xda\x00\x03abc"), ("raw_str32", b"\xdb\x00\x00\x00\x03abc"),
        ("raw_bin16", b"\xc5\x00\x02\x00\xff"), ("raw_bin32", b"\xc6\x00\x00\x00\x01\x07"),
        ("raw_array16", b"\xdc\x00\x02\x01\x02"), ("raw_array32", b"\xdd\x00\x00\x00\x01\xc0"),
        ("raw_map16", b"\xde\x00\x01\xa1k\x01"), ("raw_map32", b"\xdf\x00\x00\x00\x01\x01\x02"),
        ("raw_ext8", b"\xc7\x03\x05abc"), ("raw_ext16", b"\xc8\x00\x01\x05a"), ("raw_ext32", b"\xc9\x00\x00\x00\x02\x05ab"),
        ("raw_ext_negative_type", b"\xc7\x03\xfbxyz"),
        ("raw_ext8_timestamp", b"\xc7\x0c\xff" + struct.pack(">Iq", 7, -2)),
        ("raw_float32_nan", b"\xca\x7f\xc0\x00\x00"),
        ("raw_str_invalid_utf8", b"\xa2\xc3\x28"), ("raw_never_used", b"\xc1"),
        ("raw_truncated_map", b"\x82\xa1a"), ("raw_timestamp_bad_nanos", b"\xd7\xff\xff\xff\xff\xff\x00\x00\x00\x00"),
    ]
    return seeds


def main():
    use_swift = "--no-swift" not in sys.argv[1:]
    for target in ("msgpack", "parquet"):
        path = os.path.join(SEEDS, target)
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path)
    out = os.path.join(SEEDS, "parquet")
    write_pyarrow(out)
    write_duckdb(out)
    write_polars(out)
    if use_swift:
        write_swift(out)
    for name in sorted(os.listdir(out)):
        size = os.path.getsize(os.path.join(out, name))
        if size >= MAX_PARQUET:
            sys.exit(f"make_seeds.py: {name} is {size} bytes, more than {MAX_PARQUET}")
    for name, data in msgpack_seeds():
        with open(os.path.join(SEEDS, "msgpack", name + ".msgpack"), "wb") as file:
            file.write(data)
    counts = {target: len(os.listdir(os.path.join(SEEDS, target))) for target in ("msgpack", "parquet")}
    print(f"make_seeds.py: {counts['parquet']} Parquet and {counts['msgpack']} MessagePack seeds in {SEEDS}")


if __name__ == "__main__":
    main()

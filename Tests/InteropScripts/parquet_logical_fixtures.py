#!/usr/bin/env python3
"""Writes Parquet fixtures of the annotated types: DECIMAL, FLOAT16, UUID, plain
FIXED_LEN_BYTE_ARRAY and INT96 timestamps, each with the table pyarrow reads back.

Usage: parquet_logical_fixtures.py OUTDIR

For every fixture NAME it writes OUTDIR/NAME.parquet and OUTDIR/NAME.expected.json (the
canonical table of parquet_dump.py --as-stored: decimals as exact fixed-point text, float16 as
the exact widened value, UUIDs as 8-4-4-4-12 hex) and lists them in OUTDIR/manifest.json:

    {"version": 1, "fixtures": [{"name", "file", "expected", "writer", "physical": {column: type},
                                 "encodings": {column: [encodings]}}]}

Each fixture is checked to hold what it is named after (physical types, encodings), so a
library changing its defaults fails the script instead of silently testing less. Values come
from the row index only: every run writes the same files.
"""

import decimal
import json
import os
import sys
import uuid

try:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq
    import duckdb
except ImportError as error:  # the interop tests must fail, not skip
    print(f"parquet_logical_fixtures.py: cannot import {error.name}: {error}. Run scripts/python-env.", file=sys.stderr)
    sys.exit(2)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import parquet_dump  # noqa: E402

decimal.getcontext().prec = 100
ROWS = 40


def decimals(precision, scale, nulls_every=7):
    """Zero, ±1, the largest and smallest values of the precision, then a spread of values of
    every length; every `nulls_every`-th row null."""
    largest = 10 ** precision - 1
    unscaled = [0, 1, -1, largest, -largest, 10 ** (precision - 1), -(10 ** (precision - 1))]
    k = 0
    while len(unscaled) < ROWS:
        k += 1
        digits = 1 + (k * 7) % precision
        magnitude = (k * 982451653 * 10 ** max(0, digits - 9)) % (10 ** digits)
        unscaled.append(magnitude if k % 2 else -magnitude)
    values = [decimal.Decimal(u).scaleb(-scale) for u in unscaled]
    return [None if i % nulls_every == 5 else v for i, v in enumerate(values)]


def decimal_table():
    columns = {}
    for precision, scale in [(1, 0), (5, 2), (9, 0), (9, 9), (10, 3), (18, 6), (19, 4), (38, 10), (38, 0)]:
        columns[f"d{precision}_{scale}"] = pa.array(decimals(precision, scale), pa.decimal128(precision, scale))
    columns["d76_20"] = pa.array(decimals(76, 20), pa.decimal256(76, 20))
    return pa.table(columns)


FLOAT16_BITS = [0x0000, 0x8000, 0x3C00, 0xC100, 0x7BFF, 0xFBFF, 0x0400, 0x0001, 0x8001, 0x03FF, 0x83FF,
                0x7C00, 0xFC00, 0x7E00, 0x3555, 0x2E66, 0x5640, 0x0200]


def float16_array(nullable=True):
    bits = [FLOAT16_BITS[i % len(FLOAT16_BITS)] ^ (0x8000 if i >= len(FLOAT16_BITS) and i % 3 == 0 else 0) for i in range(ROWS)]
    values = np.array(bits, dtype=np.uint16).view(np.float16)
    mask = np.array([nullable and i % 6 == 4 for i in range(ROWS)])
    return pa.array(values, pa.float16(), mask=mask)


def fixed_binary_array(width=5, nullable=True):
    values = [bytes(((i * 37 + j * 11) % 256) for j in range(width)) if i % 4 else bytes([0xFF] * width) for i in range(ROWS)]
    return pa.array([None if nullable and i % 5 == 2 else v for i, v in enumerate(values)], pa.binary(width))


def uuid_array():
    values = [uuid.UUID(int=(i * 0x9E3779B97F4A7C15_F39CC0605CEDC835 * 31) % (1 << 128)) for i in range(ROWS)]
    values[0] = uuid.UUID(int=0)
    values[1] = uuid.UUID(int=(1 << 128) - 1)
    return pa.array([None if i % 6 == 3 else v.bytes for i, v in enumerate(values)], pa.uuid())


def int96_table():
    # Before and after 1970, around the epoch, nanoseconds that a microsecond type would lose.
    ns = [0, -1, 1, -1_000_000_001, -2_208_988_800_000_000_000 + 123_456_789, -86_400_000_000_000,
          -86_399_999_999_999, 1_734_689_472_123_456_789, 9_223_372_036_854_775_807, -9_223_372_036_854_775_807,
          -12_345_678_901_234_567, 951_782_400_000_000_001, -62_135_596_800_000_000, None]
    return pa.table({"ts": pa.array(ns, pa.timestamp("ns")), "ts_utc": pa.array(ns, pa.timestamp("ns", "UTC"))})


def time_table():
    """Times of day in ms, us and ns: midnight, the last instant of the day, fractions that
    need every digit, nulls."""
    day_ms = 86_400_000
    ms = [0, day_ms - 1, 1, 12 * 3_600_000 + 34 * 60_000 + 56_789, 500] + [(i * 7_654_321) % day_ms for i in range(ROWS - 5)]
    columns = {}
    for unit, scale, kind in [("ms", 1, pa.time32), ("us", 1_000, pa.time64), ("ns", 1_000_000, pa.time64)]:
        values = [v * scale + (i % scale if scale > 1 else 0) for i, v in enumerate(ms)]
        values[1] = day_ms * scale - 1
        columns[f"t_{unit}"] = pa.array([None if i % 9 == 4 else v for i, v in enumerate(values)], kind(unit))
    return pa.table(columns)


# Spark's INT96 sentinels, outside the nanosecond range: 0001-01-01 00:00:00 and
# 9999-12-31 23:59:59.999999 (Julian day, nanoseconds of the day).
INT96_SENTINELS = [(1_721_426, 0), (5_373_484, 86_399_999_999_000)]


def int96_bytes(ns):
    days, nanos = divmod(ns, 86_400_000_000_000)
    return nanos.to_bytes(8, "little") + (days + 2_440_588).to_bytes(4, "little")


def write_int96_sentinels(path):
    """INT96 timestamps of which some are out of the nanosecond range, as Spark writes them;
    pyarrow cannot write those, so in-range marker values are written (PLAIN, uncompressed,
    no statistics) and their 12 bytes replaced in the file. The sentinels are in the later row
    groups only, so the first row group alone is in range."""
    markers = [1_000_000_000_000_000_000 + 7 * i for i in range(len(INT96_SENTINELS))]
    ns = [i * 86_400_123_456_789 - 400_000_000_000_000_000 for i in range(ROWS)]
    ns[5] = None
    ns[23], ns[37] = markers
    table = pa.table({"ts": pa.array(ns, pa.timestamp("ns")), "n": pa.array(range(ROWS), pa.int64())})
    pq.write_table(table, path, use_deprecated_int96_timestamps=True, use_dictionary=False, compression="NONE",
                   write_statistics=False, row_group_size=ROWS // 2)
    with open(path, "rb") as handle:
        data = handle.read()
    for marker, (day, nanos) in zip(markers, INT96_SENTINELS):
        old = int96_bytes(marker)
        if data.count(old) != 1:
            raise SystemExit(f"int96_spark_sentinels: marker {marker} found {data.count(old)} times")
        data = data.replace(old, nanos.to_bytes(8, "little") + day.to_bytes(4, "little"))
    with open(path, "wb") as handle:
        handle.write(data)


def physical_and_encodings(path):
    metadata = pq.ParquetFile(path).metadata
    physical = {metadata.schema.column(i).name: metadata.schema.column(i).physical_type for i in range(metadata.num_columns)}
    encodings = {}
    for g in range(metadata.num_row_groups):
        for c in range(metadata.num_columns):
            column = metadata.row_group(g).column(c)
            encodings.setdefault(column.path_in_schema, set()).update(column.encodings)
    return physical, {k: sorted(v) for k, v in encodings.items()}


def write_fixtures(outdir):
    fixtures = []

    def add(name, writer, write, physical=None, encodings=None, read=None):
        path = os.path.join(outdir, name + ".parquet")
        write(path)
        actual_physical, actual_encodings = physical_and_encodings(path)
        for column, expected in (physical or {}).items():
            if actual_physical[column] != expected:
                raise SystemExit(f"{name}: column {column} is {actual_physical[column]}, not {expected}")
        for column, expected in (encodings or {}).items():
            if expected not in actual_encodings[column]:
                raise SystemExit(f"{name}: column {column} has encodings {actual_encodings[column]}, not {expected}")
        table = read(path) if read else parquet_dump.read_pyarrow(path, as_stored=True)
        with open(os.path.join(outdir, name + ".expected.json"), "w", encoding="utf-8") as handle:
            json.dump(table, handle)
        fixtures.append({"name": name, "file": name + ".parquet", "expected": name + ".expected.json", "writer": writer,
                         "physical": actual_physical, "encodings": actual_encodings})

    version = pa.__version__
    decimals_table = decimal_table()
    add("decimal_integers", f"pyarrow {version} store_decimal_as_integer=True",
        lambda p: pq.write_table(decimals_table, p, store_decimal_as_integer=True),
        physical={"d1_0": "INT32", "d5_2": "INT32", "d9_9": "INT32", "d10_3": "INT64", "d18_6": "INT64",
                  "d19_4": "FIXED_LEN_BYTE_ARRAY", "d38_10": "FIXED_LEN_BYTE_ARRAY", "d76_20": "FIXED_LEN_BYTE_ARRAY"},
        encodings={"d9_0": "RLE_DICTIONARY", "d38_10": "RLE_DICTIONARY"})
    add("decimal_fixed", f"pyarrow {version} defaults (FIXED_LEN_BYTE_ARRAY, dictionary)",
        lambda p: pq.write_table(decimals_table, p),
        physical={"d5_2": "FIXED_LEN_BYTE_ARRAY", "d18_6": "FIXED_LEN_BYTE_ARRAY"}, encodings={"d5_2": "RLE_DICTIONARY"})
    add("decimal_fixed_plain_v2", "pyarrow use_dictionary=False, data_page_version='2.0'",
        lambda p: pq.write_table(decimals_table, p, use_dictionary=False, data_page_version="2.0"),
        physical={"d38_10": "FIXED_LEN_BYTE_ARRAY"}, encodings={"d38_10": "PLAIN"})

    fixed = pa.table({"fixed5": fixed_binary_array(), "fixed5_required": fixed_binary_array(nullable=False),
                      "half": float16_array(), "half_required": float16_array(nullable=False),
                      "id": uuid_array(), "price": pa.array(decimals(12, 2), pa.decimal128(12, 2))})
    fixed_schema = pa.schema([f.with_nullable(not f.name.endswith("_required")) for f in fixed.schema])
    fixed = fixed.cast(fixed_schema)
    add("fixed_dictionary", f"pyarrow {version} defaults: FLBA, FLOAT16, UUID",
        lambda p: pq.write_table(fixed, p),
        physical={"fixed5": "FIXED_LEN_BYTE_ARRAY", "half": "FIXED_LEN_BYTE_ARRAY", "id": "FIXED_LEN_BYTE_ARRAY"},
        encodings={"fixed5": "RLE_DICTIONARY", "half": "RLE_DICTIONARY", "id": "RLE_DICTIONARY"})
    add("fixed_plain", "pyarrow use_dictionary=False",
        lambda p: pq.write_table(fixed, p, use_dictionary=False), encodings={"fixed5": "PLAIN", "half": "PLAIN"})
    add("fixed_byte_stream_split", "pyarrow use_dictionary=False, column_encoding BYTE_STREAM_SPLIT",
        lambda p: pq.write_table(fixed, p, use_dictionary=False, column_encoding="BYTE_STREAM_SPLIT"),
        encodings={"fixed5": "BYTE_STREAM_SPLIT", "half": "BYTE_STREAM_SPLIT", "price": "BYTE_STREAM_SPLIT",
                   "id": "BYTE_STREAM_SPLIT"})
    add("fixed_delta_byte_array", "pyarrow use_dictionary=False, column_encoding DELTA_BYTE_ARRAY",
        lambda p: pq.write_table(fixed, p, use_dictionary=False, column_encoding="DELTA_BYTE_ARRAY"),
        encodings={"fixed5": "DELTA_BYTE_ARRAY", "price": "DELTA_BYTE_ARRAY"})

    int96 = int96_table()
    add("int96_nanoseconds", "pyarrow use_deprecated_int96_timestamps=True, before 1970 and ns precision",
        lambda p: pq.write_table(int96, p, use_deprecated_int96_timestamps=True), physical={"ts": "INT96", "ts_utc": "INT96"})
    times = time_table()
    add("time_units", f"pyarrow {version} time32[ms], time64[us], time64[ns] (TIME, isAdjustedToUTC)",
        lambda p: pq.write_table(times, p), physical={"t_ms": "INT32", "t_us": "INT64", "t_ns": "INT64"})
    add("int96_spark_sentinels", "pyarrow INT96 with two values patched to 0001-01-01 and 9999-12-31 (Spark sentinels); "
        "expected: pyarrow coerce_int96_timestamp_unit='us'",
        write_int96_sentinels, physical={"ts": "INT96"},
        read=lambda p: parquet_dump.canonical_arrow_table(pq.read_table(p, coerce_int96_timestamp_unit="us")))

    connection = duckdb.connect()

    def duckdb_copy(path):
        quoted = path.replace("'", "''")
        connection.execute(f"""COPY (SELECT
                CASE WHEN i % 5 = 3 THEN NULL ELSE ((i * 37) % 2001 - 1000) / 100 END::DECIMAL(4, 2) AS d4_2,
                CASE WHEN i % 5 = 3 THEN NULL ELSE ((i * 7919) % 1999999999 - 999999999)::DECIMAL(9, 0) END AS d9_0,
                CASE WHEN i % 5 = 3 THEN NULL ELSE (((i * 982451653) % 1999999999999999 - 999999999999999) / 1000)::DECIMAL(18, 3) END AS d18_3,
                CASE WHEN i % 5 = 3 THEN NULL ELSE (('9999999999999999999999999999.9999999999'::DECIMAL(38, 10) / 40) * (i - 20))::DECIMAL(38, 10) END AS d38_10,
                CASE WHEN i % 5 = 3 THEN NULL ELSE ('00000000-0000-0000-0000-' || lpad(to_hex(i * 12345678901), 12, '0'))::UUID END AS id
            FROM range({ROWS}) t(i)) TO '{quoted}' (FORMAT parquet)""")

    add("duckdb_decimal_uuid", f"duckdb {duckdb.__version__} COPY (FORMAT parquet)", duckdb_copy,
        physical={"d4_2": "INT32", "d9_0": "INT32", "d18_3": "INT64", "d38_10": "FIXED_LEN_BYTE_ARRAY", "id": "FIXED_LEN_BYTE_ARRAY"})
    connection.close()

    with open(os.path.join(outdir, "manifest.json"), "w", encoding="utf-8") as handle:
        json.dump({"version": 1, "fixtures": fixtures}, handle, indent=1)
    return fixtures


def main(argv):
    if len(argv) != 1:
        print("usage: parquet_logical_fixtures.py OUTDIR", file=sys.stderr)
        return 64
    os.makedirs(argv[0], exist_ok=True)
    for fixture in write_fixtures(argv[0]):
        print(f"{fixture['name']:26} {fixture['writer']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Writes Parquet fixture files with the real writers, each with the table we expect back.

Usage: parquet_fixtures.py OUTDIR

For every fixture NAME it writes OUTDIR/NAME.parquet and OUTDIR/NAME.expected.json: the
canonical table (see parquet_dump.py) that pyarrow reads back from the file, cast to the types
the Parquet schema declares (parquet_dump.py --as-stored: what a reader that ignores pyarrow's
ARROW:schema metadata must produce). Tables of more than DIGEST_ABOVE rows hold per-column
digests instead of values. OUTDIR/manifest.json lists the fixtures in order:

    {"version": 1, "digest_above": N,
     "fixtures": [{"name", "file", "expected", "writer", "rows", "codecs", "encodings"}]}

`codecs` and `encodings` are what the file holds (pyarrow metadata), and the script checks
that each fixture really exercises what it is named after (codec, page version, dictionary
fallback, DuckDB's V2 encodings, several row groups): if a library changes its defaults, the
script fails instead of silently testing less.

Nothing here is random: every value comes from the row index, so fixtures are identical on
every run. Takes a few seconds.
"""

import json
import os
import sys

try:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq
    import pandas as pd
    import polars as pl
    import duckdb
    import fastparquet
except ImportError as error:  # the interop tests must fail, not skip
    print(f"parquet_fixtures.py: cannot import {error.name}: {error}. Run scripts/python-env.", file=sys.stderr)
    sys.exit(2)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import parquet_dump  # noqa: E402

DIGEST_ABOVE = 20_000

STRINGS = ["", "a", "host-1", "日本語", "naïve café", "🦀 crab", "e\u0301", "line\nbreak", "tab\there",
           "quote\"back\\slash", "nul\u0000inside", "x" * 300, "Ωmega", "host-2", "host-1"]
BINARIES = [b"", b"\x00", b"\xff\xfe\x00\x01", b"abc", bytes(range(256)), b"\x80", b"host"]
SPECIAL_DOUBLES = [float("nan"), float("inf"), float("-inf"), -0.0, 0.0, 5e-324, 1.7976931348623157e308,
                   -2.2250738585072014e-308, 0.1, 1 / 3, 1e16, 123456789.125]
SPECIAL_FLOATS = [float("nan"), float("inf"), float("-inf"), -0.0, 1.401298464324817e-45,
                  3.4028234663852886e38, 0.1, 1 / 3, 16777217.0, -2.5]


def nullable(values, every, offset=0):
    """`values` with every `every`-th entry (from `offset`) replaced by None."""
    return [None if (i + offset) % every == 0 else v for i, v in enumerate(values)]


def all_types_table(n=64):
    """Every type we support, nulls in every column, NaN and infinities, unicode, empty values,
    extremes. Timestamps in s (Parquet stores them as ms), ms, us and ns, naive, UTC, and one
    non-UTC zone (stored as UTC-adjusted)."""
    i = list(range(n))

    def ints(lo, hi, step):
        span = hi - lo + 1
        values = [lo + (k * step) % span for k in i]
        values[1], values[2] = lo, hi
        return values

    base_us = 1_734_689_472_500_000  # 2024-12-20T10:11:12.5Z
    columns = {
        "bool": pa.array(nullable([k % 3 == 0 for k in i], 7, 3), pa.bool_()),
        "int8": pa.array(nullable(ints(-128, 127, 37), 7), pa.int8()),
        "int16": pa.array(nullable(ints(-32768, 32767, 4099), 6), pa.int16()),
        "int32": pa.array(nullable(ints(-2**31, 2**31 - 1, 2654435761), 5), pa.int32()),
        "int64": pa.array(nullable(ints(-2**63, 2**63 - 1, 11400714819323198485), 9), pa.int64()),
        "uint8": pa.array(nullable(ints(0, 255, 37), 7, 1), pa.uint8()),
        "uint16": pa.array(nullable(ints(0, 65535, 4099), 7, 2), pa.uint16()),
        "uint32": pa.array(nullable(ints(0, 2**32 - 1, 2654435761), 7, 4), pa.uint32()),
        "uint64": pa.array(nullable(ints(0, 2**64 - 1, 11400714819323198485), 7, 3), pa.uint64()),
        "float": pa.array(nullable([SPECIAL_FLOATS[k % len(SPECIAL_FLOATS)] if k % 2 else k * 0.37 - 5
                                    for k in i], 8), pa.float32()),
        "double": pa.array(nullable([SPECIAL_DOUBLES[k % len(SPECIAL_DOUBLES)] if k % 2 else k * 1.1 - 20
                                     for k in i], 8, 3), pa.float64()),
        "string": pa.array(nullable([STRINGS[k % len(STRINGS)] for k in i], 4, 2), pa.string()),
        "binary": pa.array(nullable([BINARIES[k % len(BINARIES)] for k in i], 5, 1), pa.binary()),
        "date": pa.array(nullable([(k * 7919) % 80000 - 30000 for k in i], 6, 1), pa.date32()),
    }
    for unit, per_second in (("s", 1), ("ms", 1_000), ("us", 1_000_000), ("ns", 1_000_000_000)):
        scale = per_second / 1_000_000
        values = [int(base_us * scale) + (k - 20) * 3_600 * per_second + k for k in i]
        values[3] = -1  # one unit before the epoch
        values[4] = 0
        columns[f"ts_{unit}"] = pa.array(nullable(values, 7, 6), pa.timestamp(unit))
        columns[f"ts_{unit}_utc"] = pa.array(nullable(values, 5, 3), pa.timestamp(unit, "UTC"))
    columns["ts_us_tokyo"] = pa.array(nullable([base_us + k * 1_000_003 for k in i], 9, 2),
                                      pa.timestamp("us", "Asia/Tokyo"))
    return pa.table(columns)


def row_groups_table(n=5_000):
    """Several kinds of columns over many rows: low- and high-cardinality strings, runs of
    nulls (whole pages null), sorted and scattered integers."""
    k = np.arange(n, dtype=np.int64)
    step = pa.array(k)
    value = pa.array(np.where(k % 7 == 0, np.nan, (k * 2654435761 % 1000003) / 17.0),
                     mask=(k % 11 == 0))
    host = pa.array([f"host-{x % 20}" for x in k.tolist()], mask=(k % 9 == 0))
    unique = pa.array([f"id-{x:06d}-{(x * 7919) % 10007}" for x in k.tolist()])
    # Rows 1000..2999 are all null: whole pages (and a whole row group) without values.
    sparse = pa.array((k * 31 % 1000).astype(np.int32), mask=(k >= 1000) & (k < 3000))
    flag = pa.array((k % 3 == 0), mask=(k % 13 == 0))
    ts = pa.array(1_700_000_000_000_000 + k * 1_000_000, pa.timestamp("us", "UTC"))
    return pa.table({"step": step, "value": value, "host": host, "unique": unique, "sparse": sparse,
                     "flag": flag, "ts": ts})


def fallback_table(n=300_000):
    """Unique int64 and double values and a high-cardinality string: pyarrow's dictionary
    exceeds its 1 MiB limit and the chunk continues with PLAIN pages."""
    k = np.arange(n, dtype=np.int64)
    return pa.table({
        "id": pa.array(k * 1_000_003 - 150_000_000_000),
        "x": pa.array((k * 0.000123456789) ** 1.5 - 7.25),
        "name": pa.array([f"user-{x:07d}-{x * 2654435761 % 4294967296:08x}" for x in k.tolist()]),
        "group": pa.array((k % 17).astype(np.int64)),
    })


def required_table(n=100):
    """Non-nullable fields: REQUIRED columns, no definition levels."""
    k = list(range(n))
    schema = pa.schema([
        pa.field("id", pa.int64(), nullable=False),
        pa.field("small", pa.int16(), nullable=False),
        pa.field("score", pa.float64(), nullable=False),
        pa.field("name", pa.string(), nullable=False),
        pa.field("ok", pa.bool_(), nullable=False),
        pa.field("at", pa.timestamp("ms", "UTC"), nullable=False),
    ])
    return pa.table([
        pa.array(k, pa.int64()), pa.array([x % 300 - 150 for x in k], pa.int16()),
        pa.array([x / 8 for x in k]), pa.array([STRINGS[x % len(STRINGS)] for x in k]),
        pa.array([x % 2 == 0 for x in k]), pa.array([1_700_000_000_000 + x for x in k], pa.timestamp("ms", "UTC")),
    ], schema=schema)


def all_null_table(n=50):
    types = {"bool": pa.bool_(), "int8": pa.int8(), "int32": pa.int32(), "int64": pa.int64(),
             "uint16": pa.uint16(), "uint64": pa.uint64(), "float": pa.float32(), "double": pa.float64(),
             "string": pa.string(), "binary": pa.binary(), "ts_us_utc": pa.timestamp("us", "UTC"),
             "ts_ns": pa.timestamp("ns"), "date": pa.date32()}
    return pa.table({name: pa.nulls(n, t) for name, t in types.items()})


def pandas_frame(n=200):
    k = np.arange(n)
    return pd.DataFrame({
        "step": k.astype(np.int64) * 10,
        "loss": np.where(k % 9 == 0, np.nan, 1.0 / (k + 1)),
        "count": pd.array([None if x % 7 == 0 else int(x) for x in k], dtype="Int64"),
        "host": pd.array([None if x % 6 == 0 else f"host-{x % 5}" for x in k], dtype="str"),
        "label": pd.Categorical([["train", "eval", "test"][x % 3] for x in k]),
        "ok": pd.array([None if x % 8 == 0 else bool(x % 2) for x in k], dtype="boolean"),
        "ratio": np.float32(k / 3.0),
        "at": pd.to_datetime(1_700_000_000_000_000_000 + k * 1_500_000_000, unit="ns", utc=True),
        "wall": pd.to_datetime(1_700_000_000_000_000_000 + k * 1_500_000_000, unit="ns"),
    })


DUCKDB_SELECT = """
SELECT
  i::BIGINT AS id,
  CASE WHEN i % 11 = 0 THEN NULL WHEN i = 5 THEN -9223372036854775808 WHEN i = 6 THEN 9223372036854775807
       ELSE (i * 2654435761) % 1000003 - 500000 END::BIGINT AS big,
  CASE WHEN i % 13 = 0 THEN NULL ELSE (i % 200 - 100) END::TINYINT AS tiny,
  (i % 60000 - 30000)::SMALLINT AS small,
  CASE WHEN i % 10 = 1 THEN NULL ELSE (i * 48271) % 2147483647 - 1073741823 END::INTEGER AS int,
  (i % 256)::UTINYINT AS utiny,
  (i * 7 % 65536)::USMALLINT AS usmall,
  CASE WHEN i % 14 = 0 THEN NULL ELSE (i * 2654435761) % 4294967296 END::UINTEGER AS uint,
  (18446744073709551615 - i * 1000003)::UBIGINT AS ubig,
  CASE WHEN i % 17 = 0 THEN NULL WHEN i % 101 = 0 THEN 'nan'::DOUBLE WHEN i % 103 = 0 THEN 'inf'::DOUBLE
       WHEN i % 107 = 0 THEN '-inf'::DOUBLE ELSE i / 7.0 - 300 END::DOUBLE AS dbl,
  CASE WHEN i % 15 = 0 THEN NULL ELSE i / 3.0 END::FLOAT AS flt,
  CASE WHEN i % 19 = 0 THEN NULL WHEN i % 29 = 0 THEN '' ELSE 'host-' || (i % 20) END AS host,
  CASE WHEN i % 23 = 0 THEN NULL ELSE md5(i::VARCHAR) || CASE WHEN i % 5 = 0 THEN ' 日本語 🦀' ELSE '' END END AS uniq,
  CASE WHEN i % 21 = 0 THEN NULL ELSE encode(md5(i::VARCHAR)[1:(i % 9)]) END::BLOB AS blob,
  CASE WHEN i % 12 = 0 THEN NULL ELSE TIMESTAMPTZ '2024-12-20 10:11:12.5+00' + INTERVAL (i * 997) MILLISECOND END AS ts_utc,
  TIMESTAMP '1969-12-31 23:00:00' + INTERVAL (i * 1234567) MICROSECOND AS ts_naive,
  (TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) SECOND)::TIMESTAMP_MS AS ts_ms,
  CASE WHEN i % 9 = 0 THEN NULL ELSE (TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i * 3) MICROSECOND)::TIMESTAMP_NS END AS ts_ns,
  CASE WHEN i % 16 = 0 THEN NULL ELSE DATE '1950-01-01' + (i * 7 % 40000)::INTEGER END AS day,
  CASE WHEN i % 18 = 0 THEN NULL ELSE i % 3 = 0 END AS flag
FROM range(10000) r(i)
"""


def polars_frame(n=5_000):
    k = np.arange(n)
    mask = lambda every: (k % every == 0)  # noqa: E731
    frame = pl.DataFrame({
        "step": pl.Series(k, dtype=pl.Int64),
        "i8": pl.Series((k % 256 - 128).astype(np.int8)),
        "i16": pl.Series((k * 31 % 65536 - 32768).astype(np.int16)),
        "i32": pl.Series((k * 2654435761 % 4294967296 - 2147483648).astype(np.int32)),
        "u8": pl.Series((k % 256).astype(np.uint8)),
        "u16": pl.Series((k * 7 % 65536).astype(np.uint16)),
        "u32": pl.Series((k * 2654435761 % 4294967296).astype(np.uint32)),
        "u64": pl.Series((np.uint64(2**64 - 1) - k.astype(np.uint64) * np.uint64(1000003))),
        "f32": pl.Series((k / 7.0).astype(np.float32)),
        "f64": pl.Series(np.where(k % 97 == 0, np.nan, np.where(k % 89 == 0, np.inf, k * 0.1 - 3))),
        "host": pl.Series([f"host-{x % 20}" for x in k.tolist()]),
        "text": pl.Series([f"{x}-日本-{x * 7919 % 10007}" if x % 4 else "" for x in k.tolist()]),
        "blob": pl.Series([bytes([x % 256, (x * 7) % 256]) for x in k.tolist()], dtype=pl.Binary),
        "ok": pl.Series(k % 3 == 0),
        "at": pl.Series(1_700_000_000_000_000 + k * 999_983, dtype=pl.Int64).cast(pl.Datetime("us", "UTC")),
        "wall_ms": pl.Series(1_700_000_000_000 + k * 17, dtype=pl.Int64).cast(pl.Datetime("ms")),
        "wall_ns": pl.Series(1_700_000_000_000_000_000 + k * 13, dtype=pl.Int64).cast(pl.Datetime("ns")),
        "day": pl.Series((k * 3 % 30000 - 10000).astype(np.int32), dtype=pl.Int32).cast(pl.Date),
    })
    # Nulls in every column, at different rows.
    return frame.with_columns([
        pl.when(pl.Series(mask(5 + index))).then(None).otherwise(pl.col(name)).alias(name)
        for index, name in enumerate(frame.columns)
    ])


# ---------------------------------------------------------------------------------------------


def duckdb_column(path, name):
    """One column as DuckDB reads it (for columns of DuckDB files that pyarrow cannot read)."""
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    quoted = path.replace("'", "''")
    table = connection.sql(f'SELECT "{name}" FROM read_parquet(\'{quoted}\')').to_arrow_table()
    connection.close()
    return table


def expected_table(path, fallback):
    """The expected canonical table of `path`: pyarrow's reading in the stored types.

    When pyarrow cannot read a column, and the fixture's writer can (`fallback` returns that
    column as an Arrow table), the column's values are the writer's own reading, and a note
    says so. Known case: DuckDB 2.0.1 with PARQUET_VERSION V2 writes a UINTEGER (INT32 +
    UINT_32) column as DELTA_BINARY_PACKED with deltas computed in 64 bits (first value and
    min delta outside the int32 range, miniblock bit width 33). pyarrow 26 fails on it
    ("Unexpected end of stream: InitHeader EOF"), fastparquet decodes wrong values, DuckDB and
    polars read back what was written (values modulo 2^32, which is what wrapping 32-bit
    arithmetic gives). A reader that decodes deltas in 64 bits and truncates reads it right.
    """
    options = {"digest_above": DIGEST_ABOVE}
    try:
        return parquet_dump.read("pyarrow", path, as_stored=True, options=options), {}
    except Exception:
        if fallback is None:
            raise
    names = pq.ParquetFile(path).schema_arrow.names
    columns, notes = [], {}
    for name in names:
        try:
            column = parquet_dump.cast_to_stored_types(pq.read_table(path, columns=[name]), path)
        except Exception as error:
            column = parquet_dump.cast_to_stored_types(fallback(path, name), path)
            notes[name] = f"pyarrow cannot read it ({type(error).__name__}: {error}); values as the writer reads them"
        columns.append(column.column(0))
    table = pa.table(columns, names=names)
    return parquet_dump.canonical_arrow_table(table, **options), notes


def write_fixtures(outdir):
    fixtures = []

    def add(name, writer, write, checks=()):
        path = os.path.join(outdir, f"{name}.parquet")
        write(path)
        metadata = pq.ParquetFile(path).metadata
        codecs = sorted({metadata.row_group(g).column(c).compression
                         for g in range(metadata.num_row_groups) for c in range(metadata.num_columns)})
        encodings = sorted({e for g in range(metadata.num_row_groups) for c in range(metadata.num_columns)
                            for e in metadata.row_group(g).column(c).encodings})
        for check in checks:
            problem = check(metadata, codecs, encodings, path)
            if problem:
                raise SystemExit(f"parquet_fixtures.py: fixture {name} does not exercise what it should: {problem}")
        fixtures.append({"name": name, "file": f"{name}.parquet", "expected": f"{name}.expected.json",
                         "writer": writer, "rows": metadata.num_rows, "row_groups": metadata.num_row_groups,
                         "codecs": codecs, "encodings": encodings})

    def codec_is(expected):
        return lambda m, codecs, e, p: None if codecs == [expected] else f"codecs {codecs}, wanted {expected}"

    def has_encodings(*wanted):
        return lambda m, c, encodings, p: None if set(wanted) <= set(encodings) else f"encodings {encodings} lack {wanted}"

    def lacks_encodings(*unwanted):
        return lambda m, c, encodings, p: None if not set(unwanted) & set(encodings) else f"encodings {encodings} have {unwanted}"

    def row_groups_at_least(count):
        return lambda m, c, e, p: None if m.num_row_groups >= count else f"{m.num_row_groups} row groups"

    def pages(path_holder):
        return parquet_dump.describe_schema(path_holder)["row_groups"]

    def page_type_present(kind):
        def check(metadata, codecs, encodings, path):
            found = any(kind in chunk.get("page_types", {}) for group in pages(path) for chunk in group["columns"])
            return None if found else f"no {kind} pages"
        return check

    def some_chunk_has_data_pages(count):
        def check(metadata, codecs, encodings, path):
            most = max(sum(n for kind, n in chunk.get("page_types", {}).items() if kind.startswith("DATA_PAGE"))
                       for group in pages(path) for chunk in group["columns"])
            return None if most >= count else f"no chunk has more than {most} data pages"
        return check

    def column_falls_back(column_name):
        def check(metadata, codecs, encodings, path):
            chunk = next(metadata.row_group(0).column(c) for c in range(metadata.num_columns)
                         if metadata.row_group(0).column(c).path_in_schema == column_name)
            if not ({"PLAIN", "RLE_DICTIONARY"} <= set(chunk.encodings) and chunk.has_dictionary_page):
                return f"column {column_name} has encodings {chunk.encodings}, no dictionary -> PLAIN fallback"
        return check

    version = pa.__version__
    table = all_types_table()
    add("pyarrow_default", f"pyarrow {version} write_table defaults",
        lambda p: pq.write_table(table, p), [codec_is("SNAPPY"), has_encodings("RLE_DICTIONARY", "PLAIN")])
    add("pyarrow_zstd", "pyarrow compression='zstd'",
        lambda p: pq.write_table(table, p, compression="zstd"), [codec_is("ZSTD")])
    add("pyarrow_gzip", "pyarrow compression='gzip'",
        lambda p: pq.write_table(table, p, compression="gzip"), [codec_is("GZIP")])
    add("pyarrow_uncompressed", "pyarrow compression='none'",
        lambda p: pq.write_table(table, p, compression="none"), [codec_is("UNCOMPRESSED")])
    add("pyarrow_page_v2", "pyarrow data_page_version='2.0' (RLE booleans, levels outside the codec)",
        lambda p: pq.write_table(table, p, data_page_version="2.0"),
        [codec_is("SNAPPY"), has_encodings("RLE"), page_type_present("DATA_PAGE_V2")])
    add("pyarrow_page_v2_zstd", "pyarrow data_page_version='2.0', zstd (small pages stored uncompressed)",
        lambda p: pq.write_table(table, p, data_page_version="2.0", compression="zstd"),
        [codec_is("ZSTD"), page_type_present("DATA_PAGE_V2")])
    add("pyarrow_no_dictionary", "pyarrow use_dictionary=False",
        lambda p: pq.write_table(table, p, use_dictionary=False), [lacks_encodings("RLE_DICTIONARY", "PLAIN_DICTIONARY")])
    add("pyarrow_format_1_0", "pyarrow version='1.0' (PLAIN_DICTIONARY pages, uint32 as INT64; no ns columns)",
        lambda p: pq.write_table(table.drop_columns(["ts_ns", "ts_ns_utc"]), p, version="1.0"), [has_encodings("PLAIN_DICTIONARY")])
    add("pyarrow_int96", "pyarrow use_deprecated_int96_timestamps=True",
        lambda p: pq.write_table(table.select(["ts_ns", "ts_ns_utc", "ts_us_utc", "int32"]), p,
                                 use_deprecated_int96_timestamps=True))
    add("pyarrow_required", "pyarrow, non-nullable fields (REQUIRED columns)",
        lambda p: pq.write_table(required_table(), p))
    groups = row_groups_table()
    add("pyarrow_row_groups", "pyarrow row_group_size=1000, data_page_size=256, write_batch_size=50",
        lambda p: pq.write_table(groups, p, row_group_size=1000, data_page_size=256, write_batch_size=50),
        [row_groups_at_least(5), some_chunk_has_data_pages(10)])
    fallback = fallback_table()
    add("pyarrow_dictionary_fallback", "pyarrow defaults, 300,000 unique values (dictionary > 1 MiB -> PLAIN)",
        lambda p: pq.write_table(fallback, p),
        [column_falls_back("id"), column_falls_back("x"), column_falls_back("name")])
    add("pyarrow_empty", "pyarrow, every type, 0 rows",
        lambda p: pq.write_table(table.slice(0, 0), p))
    add("pyarrow_all_null", "pyarrow, every column entirely null",
        lambda p: pq.write_table(all_null_table(), p))

    frame = pandas_frame()
    # Not an arithmetic progression: pandas would store that as a RangeIndex (metadata only).
    named = frame.set_index(pd.Index(np.arange(len(frame), dtype=np.int64) ** 2 + 100, name="row_id"))
    add("pandas_named_index", f"pandas {pd.__version__} to_parquet, named int64 index",
        lambda p: named.to_parquet(p))
    add("pandas_default_index", "pandas to_parquet, RangeIndex (metadata only)",
        lambda p: frame.to_parquet(p))
    add("fastparquet_default", f"fastparquet {fastparquet.__version__} write defaults (PLAIN, uncompressed)",
        lambda p: fastparquet.write(p, frame.drop(columns=["label"])), [codec_is("UNCOMPRESSED")])

    polars = polars_frame()
    add("polars_default", f"polars {pl.__version__} write_parquet defaults",
        lambda p: polars.write_parquet(p), [codec_is("ZSTD")])

    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    connection.execute(f"CREATE TABLE t AS {DUCKDB_SELECT}")

    def duckdb_copy(options):
        def write(path):
            quoted = path.replace("'", "''")
            connection.execute(f"COPY t TO '{quoted}' (FORMAT parquet{options})")
        return write

    add("duckdb_default", f"duckdb {duckdb.__version__} COPY (FORMAT parquet)", duckdb_copy(""),
        [codec_is("SNAPPY"), has_encodings("PLAIN_DICTIONARY")])
    add("duckdb_v2", "duckdb COPY (FORMAT parquet, PARQUET_VERSION V2, ROW_GROUP_SIZE 4096)",
        duckdb_copy(", PARQUET_VERSION V2, ROW_GROUP_SIZE 4096"),
        [has_encodings("DELTA_BINARY_PACKED", "BYTE_STREAM_SPLIT", "DELTA_LENGTH_BYTE_ARRAY"), row_groups_at_least(2)])
    connection.close()

    for fixture in fixtures:
        path = os.path.join(outdir, fixture["file"])
        expected, notes = expected_table(path, duckdb_column if fixture["name"].startswith("duckdb") else None)
        if notes:
            fixture["expected_notes"] = notes
        with open(os.path.join(outdir, fixture["expected"]), "w", encoding="utf-8") as handle:
            json.dump(expected, handle, ensure_ascii=False)
    with open(os.path.join(outdir, "manifest.json"), "w", encoding="utf-8") as handle:
        json.dump({"version": 1, "digest_above": DIGEST_ABOVE, "fixtures": fixtures}, handle, indent=1)
    return fixtures


def main(argv):
    if len(argv) != 1:
        print("usage: parquet_fixtures.py OUTDIR", file=sys.stderr)
        return 64
    os.makedirs(argv[0], exist_ok=True)
    for fixture in write_fixtures(argv[0]):
        print(f"{fixture['name']:30} {fixture['rows']:>8} rows {fixture['row_groups']:>3} groups "
              f"{','.join(fixture['codecs']):14} {','.join(fixture['encodings'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Reads Parquet files with the real Python libraries and prints them in the canonical form.

Usage:
    parquet_dump.py FILE [FILE...] --with pyarrow[,polars,duckdb,fastparquet,pandas]
                    [--schema] [--digest-above N] [--as-stored] [--columns A,B] [--batch]

With one file, one library and no --schema (and no --batch) it prints that file's canonical
table. Otherwise it prints one document (batching keeps the interop tests to one Python start):

    {"version": 1,
     "files": [{"path": P,
                "tables": {"pyarrow": TABLE | {"error": "..."}, ...},
                "schema": SCHEMA | {"error": "..."}}]}   # "schema" only with --schema

A library that cannot be imported is a hard failure (exit status 2), never a skip: the interop
tests must fail when the environment is incomplete. A library that fails to read one file is
recorded as {"error": ...} for that file, so the other checks still run.

CANONICAL TABLE (shared with Tests/ParquetTests/Support/CanonicalTable.swift):

    {"num_rows": N, "columns": [{"name": str, "type": str, "values": [...]}, ...]}

`type` is the description of our ColumnType: bool, int8, int16, int32, int64, uint8, uint16,
uint32, uint64, float, double, string, binary, date, timestamp[ms|us|ns] (naive) or
timestamp[ms|us|ns, UTC] (any time zone counts as UTC-adjusted), decimal(P, S), float16, uuid. Two more names: "null" for a
column without type information (Arrow's null type, or a pandas object column holding no value:
all null, or no rows), and "unsupported:<arrow type>" for a type we have no ColumnType for,
with its values as text, so a comparison fails readably. Values, one per row:
    null                  -> null
    bool                  -> true / false
    integer types         -> JSON integers, exact (uint64 too)
    timestamp             -> JSON integer: count of the column's unit since the epoch
    date                  -> JSON integer: days since 1970-01-01
    double                -> JSON string: "NaN", "Infinity", "-Infinity", or Python's repr()
                             (the shortest text that parses back to the same double; "-0.0"
                             keeps the sign)
    float (32-bit)        -> JSON string: the repr() of the float's EXACT value widened to a
                             double (float32 -> float64 is exact). Not the shortest float32
                             text. The Swift side parses the text with Double(_:) and compares
                             it with Double(floatValue) bit for bit, so no formatting has to
                             agree between Python and Swift: only correctly rounded parsing.
    string                -> JSON string
    binary                -> JSON string of lowercase hex
    decimal(P, S)         -> JSON string: the exact value in fixed-point notation with S digits
                             after the point (Python's format(Decimal, "f"): "-12.3400", "0.00")
    float16               -> like float: the repr() of the exact value widened to a double
    uuid                  -> JSON string: lowercase 8-4-4-4-12 hex

DIGEST (--digest-above N: columns of tables with more than N rows are summarised instead of
listed, to keep million-row checks cheap). Such a column has, instead of "values",
    "digest": {"nulls": K, "crc32": C}
where C is zlib's crc32 over these bytes, in order:
    1. one byte per row: 1 when the row holds a value, 0 when it is null;
    2. per row, by type (nulls contribute zeros / length 0):
         bool                          1 byte, 0 or 1
         integers, dates, timestamps   8 bytes little-endian two's complement (uint64: its bit
                                       pattern; dates as days, timestamps as counts)
         float, double                 8 bytes little-endian IEEE-754 double (a float widened
                                       exactly); every NaN as 0x7ff8000000000000
         string, binary                8 bytes little-endian byte length
    3. for string and binary only: the bytes of the non-null values, concatenated.

--as-stored (pyarrow only) casts each column pyarrow reads to the type the PARQUET schema
declares, i.e. what a reader that ignores pyarrow's ARROW:schema metadata (like ours) produces.
pyarrow restores some Arrow types from ARROW:schema that Parquet cannot express: timestamp[s]
(stored as MILLIS), a non-UTC time zone (stored as isAdjustedToUTC=true), uint32 written with
version="1.0" (stored as plain INT64). The casts are checked to be lossless. The mapping is the
reader's, from issue 3: BOOLEAN bool; INT32 int32 or, by INT(bits, signed)/INT_*/UINT_*
annotation, int8/int16/uint8/uint16/uint32, DATE date; INT64 int64, uint64 (INT(64, false) or
UINT_64), TIMESTAMP(unit, utc) timestamp[unit(, UTC)], legacy TIMESTAMP_MILLIS/MICROS alone
timestamp[ms/us, UTC]; INT96 timestamp[ns] (naive, as pyarrow reads it); FLOAT float; DOUBLE
double; BYTE_ARRAY with STRING/UTF8/ENUM/JSON string, otherwise binary; FIXED_LEN_BYTE_ARRAY
binary; DECIMAL (logical or legacy) on INT32, INT64, BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY
decimal(P, S); FLOAT16 float16; UUID uuid. The fixtures' expected files are made with it.

SCHEMA (--schema), from pyarrow.parquet.ParquetFile(path).metadata:
    {"created_by", "format_version", "num_rows", "num_row_groups",
     "key_value_metadata": {key: value}, (values decoded as UTF-8, replacement on error)
     "columns": [{"name", "physical_type", "logical_type" (pyarrow's to_json(), parsed,
                  or null), "converted_type" (e.g. "UTF8", "TIMESTAMP_MICROS", "NONE"),
                  "repetition" ("REQUIRED"/"OPTIONAL"/"REPEATED"), "max_definition_level"}],
     "row_groups": [{"num_rows", "columns": [{"name", "compression", "total_compressed_size",
                     "total_uncompressed_size", "encodings",
                     "has_dictionary_page", "null_count" (or null), "has_min_max",
                     "page_types": {"DICTIONARY_PAGE": n, "DATA_PAGE": n, ...},
                     "max_page_values": most values (= rows, flat columns) in one data page
                     (or "page_error" when the page headers do not add up to the chunk)}]}]}
Page headers are walked with a small Thrift compact reader (thrift_compact.py), from the chunk's
first page over total_compressed_size bytes.
"""

import argparse
import json
import math
import os
import sys
import uuid
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from thrift_compact import CompactReader  # noqa: E402

LIBRARIES = ("pyarrow", "polars", "duckdb", "fastparquet", "pandas")

try:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq
except ImportError as error:  # the interop tests must fail, not skip
    print(f"parquet_dump.py: cannot import numpy/pyarrow: {error}. Run scripts/python-env.", file=sys.stderr)
    sys.exit(2)


def import_library(name):
    """Imports a reader library or exits with status 2 naming it."""
    try:
        if name == "polars":
            import polars
            return polars
        if name == "duckdb":
            import duckdb
            return duckdb
        if name == "fastparquet":
            import fastparquet
            return fastparquet
        if name == "pandas":
            import pandas
            return pandas
        return pa
    except ImportError as error:
        print(f"parquet_dump.py: cannot import {name}: {error}. Run scripts/python-env.", file=sys.stderr)
        sys.exit(2)


# ---------------------------------------------------------------------------------------------
# Arrow -> our types


UNIT_NAMES = {"s": "s", "ms": "ms", "us": "us", "ns": "ns"}
INTEGER_TYPES = {
    "int8": pa.int8(), "int16": pa.int16(), "int32": pa.int32(), "int64": pa.int64(),
    "uint8": pa.uint8(), "uint16": pa.uint16(), "uint32": pa.uint32(), "uint64": pa.uint64(),
}


def normalize(array):
    """Returns (our type name, array in a canonical Arrow storage) for an Arrow array.

    Canonical storages: bool; the integer type itself; float32/float64; large_string;
    large_binary; int64 counts for timestamps; int32 days for dates.
    """
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    t = array.type
    if pa.types.is_dictionary(t):
        return normalize(array.dictionary_decode())
    if pa.types.is_null(t):
        return "null", pa.nulls(len(array), pa.large_string())
    if pa.types.is_boolean(t):
        return "bool", array
    for name, integer in INTEGER_TYPES.items():
        if t == integer:
            return name, array
    if pa.types.is_float32(t):
        return "float", array
    if pa.types.is_float64(t):
        return "double", array
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return "string", array.cast(pa.large_string())
    if (pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_binary_view(t)
            or pa.types.is_fixed_size_binary(t)):
        return "binary", array.cast(pa.large_binary())
    if pa.types.is_timestamp(t):
        unit = t.unit
        counts = array.cast(pa.int64())
        # Any time zone is an instant (isAdjustedToUTC); no time zone is a wall-clock time.
        suffix = ", UTC" if t.tz is not None else ""
        return f"timestamp[{UNIT_NAMES[unit]}{suffix}]", counts
    if pa.types.is_time(t):
        # Times of day as int64 counts of the unit since midnight (Arrow times have no zone).
        storage = pa.int32() if pa.types.is_time32(t) else pa.int64()
        return f"time[{UNIT_NAMES[t.unit]}]", array.cast(storage).cast(pa.int64())
    if pa.types.is_decimal(t):
        return f"decimal({t.precision}, {t.scale})", array
    if t == pa.float16():
        return "float16", array
    if getattr(t, "extension_name", None) == "arrow.uuid":
        return "uuid", array
    if pa.types.is_date32(t):
        return "date", array.cast(pa.int32())
    if pa.types.is_date64(t):
        return "date", pc.divide(array.cast(pa.int64()), pa.scalar(86_400_000, pa.int64())).cast(pa.int32())
    return f"unsupported:{t}", array.cast(pa.large_string()) if _castable_to_string(t) else pa.array(
        [None if v is None else str(v) for v in array.to_pylist()], pa.large_string())


def _castable_to_string(t):
    return pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t) or pa.types.is_temporal(t)


def format_real(x):
    if x is None:
        return None
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return repr(float(x))


def canonical_values(type_name, array):
    """The JSON values of one normalized column."""
    values = array.to_pylist()
    if type_name.startswith("decimal("):
        return [None if v is None else format(v, "f") for v in values]
    if type_name == "uuid":
        return [None if v is None else str(v if isinstance(v, uuid.UUID) else uuid.UUID(bytes=bytes(v))) for v in values]
    if type_name == "float16":
        return [format_real(None if v is None else float(v)) for v in values]
    if type_name in ("float", "double"):
        # pyarrow converts float32 to Python float exactly, so repr is that of the widened value.
        return [format_real(v) for v in values]
    if type_name == "binary":
        return [None if v is None else v.hex() for v in values]
    return values


NAN_BITS = np.uint64(0x7FF8000000000000)


def digest(type_name, array):
    """The crc32 digest of one normalized column (see the module docstring)."""
    n = len(array)
    valid = np.ones(n, dtype=np.uint8) if array.null_count == 0 else \
        np.asarray(array.is_valid().to_numpy(zero_copy_only=False), dtype=np.uint8)
    crc = zlib.crc32(valid.tobytes())
    if type_name == "bool":
        payload = np.asarray(array.fill_null(False).to_numpy(zero_copy_only=False), dtype=np.uint8)
        crc = zlib.crc32(payload.tobytes(), crc)
    elif type_name in ("float", "double"):
        doubles = np.asarray(array.cast(pa.float64()).fill_null(0.0).to_numpy(zero_copy_only=False), dtype="<f8")
        bits = doubles.view("<u8").copy()
        bits[np.isnan(doubles)] = NAN_BITS
        crc = zlib.crc32(bits.tobytes(), crc)
    elif type_name in ("string", "binary"):
        filled = array.cast(pa.large_binary()).fill_null(b"")
        buffers = filled.buffers()
        offsets = np.frombuffer(buffers[1], dtype="<i8")[filled.offset: filled.offset + n + 1]
        lengths = np.diff(offsets).astype("<i8")
        crc = zlib.crc32(lengths.tobytes(), crc)
        data = buffers[2]
        if len(offsets) and data is not None:
            crc = zlib.crc32(memoryview(data)[offsets[0]: offsets[-1]], crc)
    elif type_name in ("null", "float16", "uuid") or type_name.startswith(("unsupported:", "decimal(")):
        return {"nulls": array.null_count, "crc32": None}
    else:  # integers, timestamps, dates
        ints = array.cast(pa.int64()) if not type_name == "uint64" else array.view(pa.int64())
        payload = np.asarray(ints.fill_null(0).to_numpy(zero_copy_only=False), dtype="<i8")
        crc = zlib.crc32(payload.tobytes(), crc)
    return {"nulls": array.null_count, "crc32": crc & 0xFFFFFFFF}


def canonical_table(names, arrays, num_rows, digest_above=None, only=None):
    """The canonical table of parallel column names and Arrow arrays (`only`: those named)."""
    columns = []
    use_digest = digest_above is not None and num_rows > digest_above
    for name, array in zip(names, arrays):
        if only is not None and name not in only:
            continue
        type_name, normalized = normalize(array)
        column = {"name": name, "type": type_name}
        if use_digest:
            column["digest"] = digest(type_name, normalized)
        else:
            column["values"] = canonical_values(type_name, normalized)
        columns.append(column)
    return {"num_rows": num_rows, "columns": columns}


def canonical_arrow_table(table, **options):
    return canonical_table(table.column_names, table.columns, table.num_rows, **options)


# ---------------------------------------------------------------------------------------------
# pandas -> Arrow (fastparquet and pandas hand back DataFrames)


def pandas_series_to_arrow(series):
    """An Arrow array holding exactly what a pandas Series holds.

    Float NaN stays NaN (not null): fastparquet and pandas turn nulls of float columns into NaN,
    and the dump must show that rather than guess. Nullable extension dtypes keep their mask.
    """
    import pandas as pd
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return pandas_series_to_arrow(series.astype(dtype.categories.dtype))
    if isinstance(dtype, np.dtype):
        if dtype.kind in "biu":
            return pa.array(series.to_numpy())
        if dtype.kind == "f":
            return pa.array(series.to_numpy(), from_pandas=False)
        if dtype.kind == "M":
            return pa.array(series)  # NaT -> null
        if dtype.kind == "O":
            return _object_to_arrow(series)
        raise ValueError(f"unexpected numpy dtype {dtype} in column {series.name!r}")
    # pandas extension dtypes: nullable ints/floats/booleans, str, datetime64[unit, tz], arrow.
    if isinstance(dtype, pd.ArrowDtype):
        return pa.array(series.array._pa_array if hasattr(series.array, "_pa_array") else series)
    return pa.array(series, from_pandas=False) if dtype.kind == "f" else pa.array(series)


def _object_to_arrow(series):
    import datetime
    values = [None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in series.tolist()]
    kinds = {type(v) for v in values if v is not None}
    if not kinds:  # no value to tell the type by
        return pa.nulls(len(values))
    if kinds <= {str}:
        return pa.array(values, pa.large_string())
    if kinds <= {bytes, bytearray}:
        return pa.array([None if v is None else bytes(v) for v in values], pa.large_binary())
    if kinds <= {bool, np.bool_}:
        return pa.array([None if v is None else bool(v) for v in values], pa.bool_())
    if kinds <= {datetime.date}:
        return pa.array(values, pa.date32())
    return pa.array([None if v is None else repr(v) for v in values], pa.large_string())


def canonical_dataframe(frame, include_index, **options):
    import pandas as pd
    names, arrays = [], []
    for name in frame.columns:
        names.append(str(name))
        arrays.append(pandas_series_to_arrow(frame[name]))
    if include_index and not (isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0 and frame.index.step == 1):
        # Parquet (pandas, pyarrow) stores a non-default index after the data columns.
        index_frame = frame.index.to_frame(index=False)
        for position, name in enumerate(index_frame.columns):
            names.append(f"__index_level_{position}__" if name is None or name == position else str(name))
            arrays.append(pandas_series_to_arrow(index_frame[name]))
    return canonical_table(names, arrays, len(frame), **options)


# ---------------------------------------------------------------------------------------------
# Readers


def read_pyarrow(path, as_stored=False, **options):
    table = pq.read_table(path)
    if as_stored:
        table = cast_to_stored_types(table, path)
    return canonical_arrow_table(table, **options)


def stored_arrow_type(column):
    """The Arrow type of our ColumnType for one Parquet leaf (see --as-stored)."""
    physical = column.physical_type
    logical = column.logical_type
    logical_json = json.loads(logical.to_json()) if logical is not None and logical.type != "NONE" else {}
    kind = logical_json.get("Type")
    converted = column.converted_type
    if kind == "Decimal" or (kind is None and converted == "DECIMAL"):
        if physical in ("INT32", "INT64", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"):
            precision, scale = (logical_json["precision"], logical_json["scale"]) if kind == "Decimal" \
                else (column.precision, column.scale)
            return pa.decimal128(precision, scale) if precision <= 38 else pa.decimal256(precision, scale)
    if physical == "FIXED_LEN_BYTE_ARRAY" and kind == "Float16" and column.length == 2:
        return pa.float16()
    if physical == "FIXED_LEN_BYTE_ARRAY" and kind == "UUID" and column.length == 16:
        return pa.uuid()
    if physical == "BOOLEAN":
        return pa.bool_()
    if physical == "INT32":
        if kind == "Int":
            return _integer_type(logical_json["bitWidth"], logical_json["isSigned"])
        if kind == "Date" or converted == "DATE":
            return pa.date32()
        if (kind == "Time" and logical_json["timeUnit"] == "milliseconds") or (kind is None and converted == "TIME_MILLIS"):
            return pa.time32("ms")
        legacy = {"INT_8": pa.int8(), "INT_16": pa.int16(), "INT_32": pa.int32(), "UINT_8": pa.uint8(),
                  "UINT_16": pa.uint16(), "UINT_32": pa.uint32()}
        return legacy.get(converted, pa.int32())
    if physical == "INT64":
        if kind == "Int":
            return _integer_type(logical_json["bitWidth"], logical_json["isSigned"])
        if kind == "Timestamp":
            unit = {"milliseconds": "ms", "microseconds": "us", "nanoseconds": "ns"}[logical_json["timeUnit"]]
            return pa.timestamp(unit, "UTC" if logical_json["isAdjustedToUTC"] else None)
        if kind == "Time":
            return pa.time64({"microseconds": "us", "nanoseconds": "ns"}[logical_json["timeUnit"]])
        if kind is None and converted == "TIME_MICROS":
            return pa.time64("us")
        if converted == "TIMESTAMP_MILLIS":
            return pa.timestamp("ms", "UTC")
        if converted == "TIMESTAMP_MICROS":
            return pa.timestamp("us", "UTC")
        return pa.uint64() if converted == "UINT_64" else pa.int64()
    if physical == "INT96":
        return pa.timestamp("ns")
    if physical == "FLOAT":
        return pa.float32()
    if physical == "DOUBLE":
        return pa.float64()
    if physical == "BYTE_ARRAY":
        if kind in ("String", "Enum", "JSON") or converted in ("UTF8", "ENUM", "JSON"):
            return pa.large_string()
        return pa.large_binary()
    if physical == "FIXED_LEN_BYTE_ARRAY":
        return pa.large_binary()
    raise ValueError(f"column {column.path}: unexpected physical type {physical}")


def _integer_type(bits, signed):
    return {(8, True): pa.int8(), (16, True): pa.int16(), (32, True): pa.int32(), (64, True): pa.int64(),
            (8, False): pa.uint8(), (16, False): pa.uint16(), (32, False): pa.uint32(),
            (64, False): pa.uint64()}[(bits, signed)]


def cast_to_stored_types(table, path):
    """Casts pyarrow's columns to the types the Parquet schema declares, checking it is lossless."""
    schema = pq.ParquetFile(path).schema
    stored = {schema.column(i).path: stored_arrow_type(schema.column(i)) for i in range(len(schema))}
    columns = []
    for name, column in zip(table.column_names, table.columns):
        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        target = stored[name]
        source = column.type
        if source == target or (pa.types.is_large_string(target) and (pa.types.is_string(source) or pa.types.is_string_view(source))) \
                or (pa.types.is_large_binary(target) and (pa.types.is_binary(source) or pa.types.is_binary_view(source))):
            columns.append(column)
            continue
        if getattr(target, "extension_name", None) == "arrow.uuid" and pa.types.is_fixed_size_binary(source) \
                and source == target.storage_type:
            storage = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
            columns.append(pa.ExtensionArray.from_storage(target, storage))
            continue
        if pa.types.is_timestamp(source) and pa.types.is_timestamp(target) and (source.tz is None) != (target.tz is None):
            raise ValueError(f"column {name}: pyarrow reads {source}, the Parquet schema says {target}")
        cast = column.cast(target)  # safe: raises on overflow or truncation
        if pa.types.is_timestamp(target) or pa.types.is_integer(target):
            back = cast.cast(source)
            if not back.equals(column):
                raise ValueError(f"column {name}: casting {source} to {target} loses values")
        columns.append(cast)
    return pa.table(columns, names=table.column_names)


def read_polars(path, **options):
    import polars as pl
    return canonical_arrow_table(pl.read_parquet(path).to_arrow(), **options)


_duckdb_connection = None


def read_duckdb(path, **options):
    global _duckdb_connection
    import duckdb
    if _duckdb_connection is None:
        _duckdb_connection = duckdb.connect()
        _duckdb_connection.execute("SET TimeZone = 'UTC'")
    quoted = path.replace("'", "''")
    table = _duckdb_connection.sql(f"SELECT * FROM read_parquet('{quoted}')").to_arrow_table()
    return canonical_arrow_table(table, **options)


def read_fastparquet(path, **options):
    import fastparquet
    frame = fastparquet.ParquetFile(path).to_pandas()
    return canonical_dataframe(frame, include_index=True, **options)


def read_pandas(path, **options):
    import pandas as pd
    return canonical_dataframe(pd.read_parquet(path), include_index=True, **options)


READERS = {
    "pyarrow": read_pyarrow, "polars": read_polars, "duckdb": read_duckdb,
    "fastparquet": read_fastparquet, "pandas": read_pandas,
}


def read(library, path, as_stored=False, options=None):
    """The canonical table of `path` as `library` reads it."""
    options = dict(options or {})
    if library == "pyarrow":
        return read_pyarrow(path, as_stored=as_stored, **options)
    return READERS[library](path, **options)


def describe_schema(path):
    metadata = pq.ParquetFile(path).metadata
    with open(path, "rb") as handle:
        data = handle.read()
    schema = metadata.schema
    columns = []
    for index in range(len(schema)):
        column = schema.column(index)
        logical = column.logical_type
        logical_json = None
        if logical is not None and logical.type != "NONE":
            try:
                logical_json = json.loads(logical.to_json())
            except ValueError:
                logical_json = {"Type": str(logical)}
        columns.append({
            "name": column.path,
            "physical_type": column.physical_type,
            "logical_type": logical_json,
            "converted_type": column.converted_type,
            "repetition": _repetition(schema, index),
            "max_definition_level": column.max_definition_level,
        })
    row_groups = []
    for group_index in range(metadata.num_row_groups):
        group = metadata.row_group(group_index)
        chunks = []
        for column_index in range(group.num_columns):
            chunk = group.column(column_index)
            statistics = chunk.statistics
            try:
                pages = describe_pages(data, chunk)
            except Exception as error:
                pages = {"page_error": f"{type(error).__name__}: {error}"}
            chunks.append({**pages,
                "name": chunk.path_in_schema,
                "compression": chunk.compression,
                "total_compressed_size": chunk.total_compressed_size,
                "total_uncompressed_size": chunk.total_uncompressed_size,
                "encodings": list(chunk.encodings),
                "has_dictionary_page": chunk.has_dictionary_page,
                "null_count": statistics.null_count if statistics is not None and statistics.has_null_count else None,
                "has_min_max": bool(statistics is not None and statistics.has_min_max),
            })
        row_groups.append({"num_rows": group.num_rows, "columns": chunks})
    kv = metadata.metadata or {}
    return {
        "created_by": metadata.created_by,
        "format_version": metadata.format_version,
        "num_rows": metadata.num_rows,
        "num_row_groups": metadata.num_row_groups,
        "key_value_metadata": {k.decode("utf-8", "replace"): v.decode("utf-8", "replace") for k, v in kv.items()},
        "columns": columns,
        "row_groups": row_groups,
    }


PAGE_TYPES = {0: "DATA_PAGE", 1: "INDEX_PAGE", 2: "DICTIONARY_PAGE", 3: "DATA_PAGE_V2"}


def describe_pages(data, chunk):
    """Page counts by type and the most rows (values) in one data page, for one column chunk."""
    start = chunk.data_page_offset
    if chunk.has_dictionary_page and chunk.dictionary_page_offset is not None and 0 < chunk.dictionary_page_offset < start:
        start = chunk.dictionary_page_offset
    end = start + chunk.total_compressed_size
    position, counts, max_values = start, {}, 0
    while position < end:
        reader = CompactReader(data, position)
        header = reader.struct()
        kind = PAGE_TYPES.get(header.get(1), str(header.get(1)))
        counts[kind] = counts.get(kind, 0) + 1
        if 5 in header:  # DataPageHeader.num_values (flat columns: rows in the page)
            max_values = max(max_values, header[5].get(1, 0))
        if 8 in header:  # DataPageHeaderV2.num_rows
            max_values = max(max_values, header[8].get(3, 0))
        position = reader.position + header[3]
    if position != end:
        raise ValueError(f"pages end at byte {position}, the chunk at {end}")
    return {"page_types": counts, "max_page_values": max_values}


def _repetition(schema, index):
    column = schema.column(index)
    if column.max_repetition_level > 0:
        return "REPEATED"
    return "OPTIONAL" if column.max_definition_level > 0 else "REQUIRED"


def main(argv):
    parser = argparse.ArgumentParser(description="Print Parquet files in the canonical JSON form.")
    parser.add_argument("files", nargs="+")
    parser.add_argument("--with", dest="libraries", default=None,
                        help="comma-separated: " + ",".join(LIBRARIES) + " (may repeat)", action="append")
    parser.add_argument("--schema", action="store_true", help="also describe the Parquet schema (pyarrow metadata)")
    parser.add_argument("--digest-above", type=int, default=None, metavar="N",
                        help="digest the columns of tables with more than N rows")
    parser.add_argument("--as-stored", action="store_true",
                        help="pyarrow: cast to the types the Parquet schema declares (ignore ARROW:schema)")
    parser.add_argument("--columns", default=None, help="comma-separated: print only these columns")
    parser.add_argument("--batch", action="store_true", help="always print the batch document")
    arguments = parser.parse_args(argv)

    requested = arguments.libraries or ["pyarrow"]
    libraries = []
    for group in requested:
        for name in group.split(","):
            name = name.strip()
            if not name:
                continue
            if name not in LIBRARIES:
                parser.error(f"unknown library {name!r}; choose from {', '.join(LIBRARIES)}")
            if name not in libraries:
                libraries.append(name)
    for name in libraries:
        import_library(name)

    options = {"digest_above": arguments.digest_above}
    if arguments.columns is not None:
        options["only"] = set(arguments.columns.split(","))
    if len(arguments.files) == 1 and len(libraries) == 1 and not arguments.schema and not arguments.batch:
        json.dump(read(libraries[0], arguments.files[0], arguments.as_stored, options), sys.stdout, ensure_ascii=False)
        print()
        return 0

    files = []
    for path in arguments.files:
        entry = {"path": path, "tables": {}}
        for name in libraries:
            try:
                entry["tables"][name] = read(name, path, arguments.as_stored, options)
            except Exception as error:  # recorded per file and library; the test reports it
                entry["tables"][name] = {"error": f"{type(error).__name__}: {error}"}
        if arguments.schema:
            try:
                entry["schema"] = describe_schema(path)
            except Exception as error:
                entry["schema"] = {"error": f"{type(error).__name__}: {error}"}
        files.append(entry)
    json.dump({"version": 1, "files": files}, sys.stdout, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Writes Parquet files with pyarrow, pandas, polars, DuckDB and fastparquet, and prints what
pyarrow reads from each footer, for the footer tests (Tests/ParquetTests/FooterInteropTests.swift).

Usage:
    parquet_footer_files.py OUTPUT_FOLDER

Prints one JSON document:

    {"files": [{"name": "pyarrow_default.parquet", "writer": "pyarrow",
                "num_rows": N, "num_row_groups": G, "created_by": str, "format_version": str,
                "key_value_keys": [str, ...],
                "columns": [{"name", "path", "physical_type", "converted_type",
                             "logical_type": {...} | null, "max_definition_level", "length"}],
                "row_groups": [{"num_rows", "total_byte_size",
                                "columns": [{"path", "compression", "encodings", "num_values",
                                             "total_compressed_size", "total_uncompressed_size",
                                             "data_page_offset", "dictionary_page_offset",
                                             "null_count"}]}]}]}

A library that cannot be imported is a hard failure (non-zero exit), never a skip.
"""
import datetime
import decimal
import json
import os
import sys

import duckdb
import fastparquet
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq


def sample_table(rows):
    """A metrics-like table with every type the footer code must describe."""
    utc = datetime.timezone.utc
    base = datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=utc)
    return pa.table({
        "step": pa.array(range(rows), pa.int64()),
        "value": pa.array([None if i % 7 == 3 else i * 3 for i in range(rows)], pa.int64()),
        "loss": pa.array([None if i % 5 == 1 else 1.0 / (i + 1) for i in range(rows)], pa.float64()),
        "host": pa.array([None if i % 9 == 0 else f"host{i % 20}" for i in range(rows)], pa.string()),
        "ok": pa.array([None if i % 11 == 2 else i % 2 == 0 for i in range(rows)], pa.bool_()),
        "ts": pa.array([base + datetime.timedelta(seconds=i) for i in range(rows)], pa.timestamp("us", tz="UTC")),
        "ts_naive": pa.array([datetime.datetime(2025, 1, 2) + datetime.timedelta(milliseconds=i) for i in range(rows)], pa.timestamp("ms")),
        "ts_ns": pa.array([i * 1000 for i in range(rows)], pa.timestamp("ns")),
        "small": pa.array([i % 100 - 50 for i in range(rows)], pa.int8()),
        "unsigned": pa.array([i * 1000 for i in range(rows)], pa.uint32()),
        "day": pa.array([datetime.date(2024, 1, 1) + datetime.timedelta(days=i % 400) for i in range(rows)], pa.date32()),
        "price": pa.array([decimal.Decimal(i) / 100 for i in range(rows)], pa.decimal128(10, 2)),
        "blob": pa.array([bytes([i % 256]) * (i % 5) for i in range(rows)], pa.binary()),
        "f32": pa.array([float(i) / 3 for i in range(rows)], pa.float32()),
    })


def write_files(folder):
    """Writes every fixture; returns [(name, writer)]."""
    files = []

    def add(name, writer):
        files.append((name, writer))
        return os.path.join(folder, name)

    table = sample_table(500)
    pq.write_table(table, add("pyarrow_default.parquet", "pyarrow"))
    pq.write_table(table, add("pyarrow_zstd_v2pages.parquet", "pyarrow"), compression="zstd",
                   data_page_version="2.0", row_group_size=128, write_page_index=True,
                   write_page_checksum=True)
    pq.write_table(table, add("pyarrow_gzip_plain.parquet", "pyarrow"), compression="gzip",
                   use_dictionary=False, version="1.0")
    pq.write_table(table, add("pyarrow_uncompressed_nostats.parquet", "pyarrow"), compression="none",
                   write_statistics=False, store_schema=False)
    pq.write_table(table.slice(0, 0), add("pyarrow_empty.parquet", "pyarrow"))

    frame = table.select(["step", "value", "loss", "host", "ok", "ts"]).to_pandas()
    frame.index = [f"r{i}" for i in range(len(frame))]
    frame.to_parquet(add("pandas_index.parquet", "pandas"))

    polars_frame = pl.from_arrow(table.select(["step", "value", "loss", "host", "ok", "ts", "day", "small"]))
    polars_frame.write_parquet(add("polars_default.parquet", "polars"))

    con = duckdb.connect()
    con.register("t", table.select(["step", "value", "loss", "host", "ok", "ts", "day", "price"]))
    path = add("duckdb_default.parquet", "duckdb")
    con.execute(f"COPY t TO '{path}' (FORMAT parquet)")
    path = add("duckdb_v2.parquet", "duckdb")
    con.execute(f"COPY t TO '{path}' (FORMAT parquet, PARQUET_VERSION V2, ROW_GROUP_SIZE 200)")
    con.close()

    fastparquet.write(add("fastparquet_default.parquet", "fastparquet"),
                      table.select(["step", "value", "loss", "host", "ts"]).to_pandas())
    return files


def describe(folder, name, writer):
    md = pq.ParquetFile(os.path.join(folder, name)).metadata
    schema = md.schema
    columns = []
    for i in range(len(schema)):
        column = schema.column(i)
        logical = column.logical_type
        columns.append({
            "name": column.name,
            "path": column.path,
            "physical_type": column.physical_type,
            "converted_type": column.converted_type,
            "logical_type": None if logical.type == "NONE" else json.loads(logical.to_json()),
            "max_definition_level": column.max_definition_level,
            "length": column.length,
        })
    row_groups = []
    for r in range(md.num_row_groups):
        group = md.row_group(r)
        chunks = []
        for c in range(group.num_columns):
            chunk = group.column(c)
            stats = chunk.statistics
            chunks.append({
                "path": chunk.path_in_schema,
                "compression": chunk.compression,
                "encodings": list(chunk.encodings),
                "num_values": chunk.num_values,
                "total_compressed_size": chunk.total_compressed_size,
                "total_uncompressed_size": chunk.total_uncompressed_size,
                "data_page_offset": chunk.data_page_offset,
                "dictionary_page_offset": chunk.dictionary_page_offset if chunk.has_dictionary_page else None,
                "null_count": stats.null_count if stats is not None and stats.has_null_count else None,
            })
        row_groups.append({"num_rows": group.num_rows, "total_byte_size": group.total_byte_size, "columns": chunks})
    return {
        "name": name,
        "writer": writer,
        "num_rows": md.num_rows,
        "num_row_groups": md.num_row_groups,
        "created_by": md.created_by,
        "format_version": md.format_version,
        "key_value_keys": sorted(k.decode() for k in (md.metadata or {}).keys()),
        "columns": columns,
        "row_groups": row_groups,
    }


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    files = write_files(folder)
    json.dump({"files": [describe(folder, name, writer) for name, writer in files]}, sys.stdout)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the edge-case Parquet files of Tests/ParquetTests/EdgeFileTests.swift, each with the
table pyarrow reads from it.

Usage: parquet_edge_fixtures.py OUTDIR

For every fixture NAME it writes OUTDIR/NAME.parquet and OUTDIR/NAME.expected.json (the
canonical table pyarrow reads, in the stored types: parquet_dump.py --as-stored; tables of more
than DIGEST_ABOVE rows hold digests). Some fixtures have extra expectations:
OUTDIR/NAME.head.expected.json (the first HEAD_ROWS rows) and OUTDIR/NAME.rgG.expected.json
(row group G alone). OUTDIR/manifest.json lists them:

    {"version": 1, "fixtures": [{"name", "writer", "rows", "row_groups", "codecs",
                                 "extra": ["head", "rg0", ...]}]}

Every fixture is checked to really be what it is named after (pages, page index, bloom filters,
codec, missing statistics, zero row groups); if a library changes its behaviour the script fails
instead of silently testing less. The files that the Swift tests patch (footer offsets, NaN
statistics, key-value metadata, inserted empty pages) start from `patch_base`.

Nothing is random: every value comes from the row index.
"""

import json
import os
import sys

try:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq
    import polars as pl
    import duckdb
except ImportError as error:  # the interop tests must fail, not skip
    print(f"parquet_edge_fixtures.py: cannot import {error.name}: {error}. Run scripts/python-env.", file=sys.stderr)
    sys.exit(2)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import parquet_dump  # noqa: E402

DIGEST_ABOVE = 20_000
HEAD_ROWS = 10


def many_pages_table(n=45_000):
    """Three columns; written one row per page, 22,500 rows per row group."""
    k = np.arange(n, dtype=np.int64)
    return pa.table({
        "id": pa.array(k * 3 - 1000, mask=(k % 7 == 0)),
        "x": pa.array(np.where(k % 11 == 0, np.nan, k * 0.25 - 17.0)),
        "host": pa.array([f"host-{x % 20}" for x in k.tolist()], mask=(k % 13 == 0)),
    })


def metrics_table(n=5_000):
    k = np.arange(n, dtype=np.int64)
    return pa.table({
        "step": pa.array(k),
        "loss": pa.array(np.where(k % 17 == 0, np.nan, 1.0 / (k + 1)), mask=(k % 9 == 0)),
        "host": pa.array([f"host-{x % 12}" for x in k.tolist()], mask=(k % 10 == 0)),
        "uniq": pa.array([f"id-{x:05d}-{x * 7919 % 10007}" for x in k.tolist()]),
        "small": pa.array((k % 200 - 100).astype(np.int32)),
        "ok": pa.array(k % 3 == 0, mask=(k % 8 == 0)),
    })


def patch_base_table(n=600):
    """`host` dictionary-encoded, the others PLAIN; `req` REQUIRED; small pages."""
    k = np.arange(n, dtype=np.int64)
    schema = pa.schema([
        pa.field("host", pa.string()), pa.field("id", pa.int64()), pa.field("x", pa.float64()),
        pa.field("req", pa.int32(), nullable=False),
    ])
    return pa.table([
        pa.array([f"host-{x % 7}" for x in k.tolist()], mask=(k % 9 == 0)),
        pa.array(k * 1_000_003 - 300_000, mask=(k % 5 == 0)),
        pa.array(np.where(k % 13 == 0, np.nan, k / 8.0 - 20)),
        pa.array((k * 37 % 1000 - 500).astype(np.int32)),
    ], schema=schema)


def write_fixtures(outdir):
    fixtures = []

    def add(name, writer, write, checks=(), extra=()):
        path = os.path.join(outdir, f"{name}.parquet")
        write(path)
        metadata = pq.ParquetFile(path).metadata
        chunks = [metadata.row_group(g).column(c) for g in range(metadata.num_row_groups) for c in range(metadata.num_columns)]
        codecs = sorted({chunk.compression for chunk in chunks})
        for check in checks:
            problem = check(metadata, chunks, codecs, path)
            if problem:
                raise SystemExit(f"parquet_edge_fixtures.py: fixture {name} does not exercise what it should: {problem}")
        table = parquet_dump.cast_to_stored_types(pq.read_table(path), path)

        def dump(suffix, part):
            with open(os.path.join(outdir, f"{name}{suffix}.expected.json"), "w", encoding="utf-8") as handle:
                json.dump(parquet_dump.canonical_arrow_table(part, digest_above=DIGEST_ABOVE), handle, ensure_ascii=False)

        dump("", table)
        names = []
        for kind in extra:
            if kind == "head":
                dump(".head", table.slice(0, HEAD_ROWS))
                names.append("head")
            elif kind == "row_groups":
                source = pq.ParquetFile(path)
                for group in range(metadata.num_row_groups):
                    dump(f".rg{group}", parquet_dump.cast_to_stored_types(source.read_row_group(group), path))
                    names.append(f"rg{group}")
        fixtures.append({"name": name, "writer": writer, "rows": metadata.num_rows,
                         "row_groups": metadata.num_row_groups, "codecs": codecs, "extra": names})

    def codec_is(expected):
        return lambda m, chunks, codecs, p: None if codecs == [expected] else f"codecs {codecs}, wanted {expected}"

    def bloom_filters_in(*columns):
        def check(metadata, chunks, codecs, path):
            with_bloom = {chunk.path_in_schema for chunk in chunks if chunk.bloom_filter_offset is not None}
            return None if set(columns) <= with_bloom else f"bloom filters only in {sorted(with_bloom)}"
        return check

    def page_indexes():
        def check(metadata, chunks, codecs, path):
            if all(chunk.has_column_index and chunk.has_offset_index for chunk in chunks):
                return None
            return "not every chunk has a column index and an offset index"
        return check

    def no_statistics():
        return lambda m, chunks, c, p: None if all(not chunk.is_stats_set for chunk in chunks) else "statistics present"

    def row_groups(count):
        return lambda m, c, cs, p: None if m.num_row_groups == count else f"{m.num_row_groups} row groups, wanted {count}"

    version = pa.__version__
    many = many_pages_table()
    add("many_pages", f"pyarrow {version} row_group_size=22500, data_page_size=1, write_batch_size=1 (one row per page)",
        lambda p: pq.write_table(many, p, row_group_size=22_500, data_page_size=1, write_batch_size=1, compression="none"),
        [row_groups(2)], extra=("head", "row_groups"))

    metrics = metrics_table()
    add("pyarrow_page_index_bloom",
        "pyarrow write_page_index=True, bloom_filter_options for host/uniq/step, write_page_checksum=True, row_group_size=2000",
        lambda p: pq.write_table(metrics, p, write_page_index=True, write_page_checksum=True, row_group_size=2000,
                                 data_page_size=1024,
                                 bloom_filter_options={"host": {"ndv": 12}, "uniq": {"ndv": 5000, "fpp": 0.01}, "step": True}),
        [page_indexes(), bloom_filters_in("host", "uniq", "step"), row_groups(3)])

    def duckdb_bloom(path):
        connection = duckdb.connect()
        connection.register("metrics", metrics)
        quoted = path.replace("'", "''")
        connection.execute(f"COPY metrics TO '{quoted}' (FORMAT parquet, ROW_GROUP_SIZE 2048)")
        found = connection.sql(f"SELECT count(*) FROM parquet_metadata('{quoted}') WHERE bloom_filter_offset IS NOT NULL").fetchall()[0][0]
        connection.close()
        if found == 0:
            raise SystemExit("parquet_edge_fixtures.py: duckdb wrote no bloom filter (parquet_metadata)")

    add("duckdb_bloom", f"duckdb {duckdb.__version__} COPY (FORMAT parquet): bloom filters on dictionary columns",
        duckdb_bloom, [bloom_filters_in("host")])

    base = patch_base_table()
    add("patch_base", "pyarrow use_dictionary=['host'], compression='none', row_group_size=300, data_page_size=256",
        lambda p: pq.write_table(base, p, use_dictionary=["host"], compression="none", row_group_size=300,
                                 data_page_size=256, write_batch_size=32, store_schema=False),
        [row_groups(2)])

    add("zero_row_groups", "pyarrow ParquetWriter closed without writing a row group",
        lambda p: pq.ParquetWriter(p, metrics.schema).close(), [row_groups(0)])

    polars = pl.from_arrow(metrics)
    add("polars_no_statistics", f"polars {pl.__version__} write_parquet(statistics=False, use_pyarrow=False)",
        lambda p: polars.write_parquet(p, statistics=False, use_pyarrow=False), [no_statistics()])
    add("pyarrow_lz4", "pyarrow compression='lz4' (LZ4_RAW; pyarrow's metadata calls it LZ4)",
        lambda p: pq.write_table(metrics, p, compression="lz4", row_group_size=2000), [codec_is("LZ4")])
    add("pyarrow_brotli", "pyarrow compression='brotli'",
        lambda p: pq.write_table(metrics, p, compression="brotli", row_group_size=2000), [codec_is("BROTLI")])

    with open(os.path.join(outdir, "manifest.json"), "w", encoding="utf-8") as handle:
        json.dump({"version": 1, "digest_above": DIGEST_ABOVE, "fixtures": fixtures}, handle, indent=1)
    return fixtures


def main(argv):
    if len(argv) != 1:
        print("usage: parquet_edge_fixtures.py OUTDIR", file=sys.stderr)
        return 64
    os.makedirs(argv[0], exist_ok=True)
    for fixture in write_fixtures(argv[0]):
        print(f"{fixture['name']:26} {fixture['rows']:>7} rows {fixture['row_groups']:>2} groups {','.join(fixture['codecs'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

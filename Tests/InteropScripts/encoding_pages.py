"""Writes small Parquet files with pyarrow, one per encoding family, and prints every page body
for the Swift encoding tests (EncodingInteropTests.swift) to decode.

Usage: encoding_pages.py OUTPUT_FOLDER

The page headers are parsed with a tiny Thrift compact-protocol reader (thrift_compact.py), so the Swift side
needs nothing but the encoders and decoders under test. Output, one record per line, fields
separated by spaces:

    file NAME
    column NAME PHYSICAL_TYPE TYPE_LENGTH NULLABLE        (PHYSICAL_TYPE as in parquet.thrift)
    dict COUNT HEX                                         (dictionary page body, PLAIN)
    page 1 ENCODING NUM_VALUES HEX                         (v1: [def levels with u32 length][values])
    page 2 ENCODING NUM_VALUES NUM_NULLS DEF_LENGTH HEX    (v2: [def levels][values])
    expect TOKEN TOKEN ...                                 (the column's values)

Tokens: N for null; integers in decimal; booleans 0/1; float and double as the hex of their
IEEE bits; byte arrays as x followed by the hex of their bytes. Values are uncompressed and rows
are deterministic (fixed seed).
"""

import os
import random
import struct
import sys

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from thrift_compact import CompactReader  # noqa: E402


def token(value, arrow_type):
    if value is None:
        return "N"
    if pa.types.is_boolean(arrow_type):
        return "1" if value else "0"
    if pa.types.is_float32(arrow_type):
        return struct.pack(">f", value).hex()
    if pa.types.is_float64(arrow_type):
        return struct.pack(">d", value).hex()
    if pa.types.is_integer(arrow_type):
        return str(value)
    if isinstance(value, str):
        value = value.encode()
    return "x" + bytes(value).hex()


def dump(path, name, out):
    data = open(path, "rb").read()
    meta = pq.ParquetFile(path).metadata
    table = pq.read_table(path)
    out.append(f"file {name}")
    for c in range(meta.num_columns):
        column_meta = meta.row_group(0).column(c)
        field = table.schema.field(c)
        physical = ["BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"].index(column_meta.physical_type)
        type_length = field.type.byte_width if pa.types.is_fixed_size_binary(field.type) else 0
        out.append(f"column {field.name} {physical} {type_length} {1 if field.nullable else 0}")
        for g in range(meta.num_row_groups):
            chunk = meta.row_group(g).column(c)
            start = chunk.dictionary_page_offset if chunk.has_dictionary_page else chunk.data_page_offset
            end = start + chunk.total_compressed_size
            pos = start
            while pos < end:
                reader = CompactReader(data, pos)
                header = reader.struct()
                body = data[reader.position:reader.position + header[3]]
                pos = reader.position + header[3]
                kind = header[1]
                if kind == 2:
                    out.append(f"dict {header[7][1]} {body.hex()}")
                elif kind == 0:
                    h = header[5]
                    out.append(f"page 1 {h[2]} {h[1]} {body.hex()}")
                elif kind == 3:
                    h = header[8]
                    if h.get(6, 0) != 0:
                        raise ValueError("repetition levels in a flat column")
                    out.append(f"page 2 {h[4]} {h[1]} {h[2]} {h[5]} {body.hex()}")
        out.append("expect " + " ".join(token(v, field.type) for v in table.column(c).to_pylist()))


def main():
    folder = sys.argv[1]
    rng = random.Random(20240607)
    n = 3000

    def maybe_null(values, every):
        return [None if i % every == 3 else v for i, v in enumerate(values)]

    steps = [i * 1000 + rng.randrange(7) for i in range(n)]
    wild = [rng.choice([rng.randrange(-2**63, 2**63), 0, -1, 2**63 - 1, -2**63, i]) for i in range(n)]
    small = [rng.randrange(-2**31, 2**31) if i % 5 else i for i in range(n)]
    words = [f"run-{i // 7:05d}/{rng.choice(['loss', 'lr', 'accuracy', 'grad_norm'])}" for i in range(n)]
    texts = ["".join(rng.choice("abcé€") for _ in range(rng.randrange(0, 40))) for _ in range(n)]
    doubles = [rng.uniform(-1e6, 1e6) if i % 17 else float(i) for i in range(n)]
    floats = [rng.uniform(-10, 10) for _ in range(n)]
    fixed = [bytes(rng.randrange(256) for _ in range(5)) for _ in range(n)]
    prefixed = [b"prefix" + struct.pack(">I", i // 3) for i in range(n)]
    bools = [rng.random() < 0.7 for _ in range(n)]

    table = pa.table({
        "a": pa.array(steps, pa.int64()),
        "w": pa.array(maybe_null(wild, 11), pa.int64()),
        "i": pa.array(maybe_null(small, 9), pa.int32()),
        "s": pa.array(maybe_null(texts, 13), pa.string()),
        "t": pa.array(words, pa.string()),
        "d": pa.array(maybe_null(doubles, 7), pa.float64()),
        "f": pa.array(floats, pa.float32()),
        "bi": pa.array(small, pa.int32()),
        "bl": pa.array(maybe_null(wild, 5), pa.int64()),
        "fx": pa.array(fixed, pa.binary(5)),
        "px": pa.array(prefixed, pa.binary(10)),
        "b": pa.array(maybe_null(bools, 6), pa.bool_()),
    })
    # Required columns: no definition levels.
    schema = pa.schema([pa.field(f.name, f.type, nullable=(table.column(f.name).null_count > 0)) for f in table.schema])
    table = table.cast(schema)
    encodings = {
        "a": "DELTA_BINARY_PACKED", "w": "DELTA_BINARY_PACKED", "i": "DELTA_BINARY_PACKED",
        "s": "DELTA_LENGTH_BYTE_ARRAY", "t": "DELTA_BYTE_ARRAY",
        "d": "BYTE_STREAM_SPLIT", "f": "BYTE_STREAM_SPLIT", "bi": "BYTE_STREAM_SPLIT", "bl": "BYTE_STREAM_SPLIT",
        "fx": "BYTE_STREAM_SPLIT", "px": "DELTA_BYTE_ARRAY", "b": "RLE",
    }
    out = []
    for version in ("1.0", "2.0"):
        path = os.path.join(folder, f"delta-v{version[0]}.parquet")
        pq.write_table(table, path, use_dictionary=False, compression="NONE", column_encoding=encodings,
                       data_page_version=version, data_page_size=4096, write_statistics=False)
        dump(path, os.path.basename(path), out)
    path = os.path.join(folder, "plain.parquet")
    pq.write_table(table, path, use_dictionary=False, compression="NONE", data_page_size=8192)
    dump(path, os.path.basename(path), out)
    path = os.path.join(folder, "dictionary.parquet")
    pq.write_table(table.select(["a", "t", "s", "d", "b"]), path, compression="NONE", data_page_size=2048,
                   dictionary_pagesize_limit=4096)
    dump(path, os.path.basename(path), out)
    print("\n".join(out))


if __name__ == "__main__":
    main()

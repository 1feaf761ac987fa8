#!/usr/bin/env python3
"""Compresses and decompresses with cramjam, the peer of the Parquet codec interop tests.

Usage: codec_cramjam.py < REQUESTS > REPLIES

Batched, so the tests start Python once. Standard input is a sequence of requests, standard
output the replies in the same order; all integers are little-endian u64:

    request = op:u8  codec-name-length:u8  codec-name  size:u64  payload-length:u64  payload
    reply   = result-length:u64  result

op 0 compresses the payload; op 1 decompresses it, `size` being the uncompressed size
(needed by raw LZ4 blocks; checked for every codec). Codec names:

    snappy      raw snappy block (cramjam.snappy.compress_raw / decompress_raw)
    gzip        one gzip member; decompression accepts concatenated members
    gzip2       compression only: the payload split in two halves, as two gzip members
    zstd        one zstd frame (level 3)
    lz4_raw     one raw LZ4 block (no size prefix)
    lz4_frame   the LZ4 frame format (cramjam.lz4.compress / decompress)
    lz4_hadoop  compression only: Hadoop framing, the payload in blocks of at most 100,000 bytes
    brotli      one brotli stream (quality 5)

A missing cramjam is a hard failure (exit status 2), never a skip.
"""
import struct
import sys

try:
    import cramjam
except ImportError as error:  # the interop tests must fail, not skip
    print(f"codec_cramjam.py: cannot import cramjam ({error}); run scripts/python-env", file=sys.stderr)
    sys.exit(2)


def gzip_members(data, parts):
    step = max(1, (len(data) + parts - 1) // parts)
    chunks = [data[i:i + step] for i in range(0, len(data), step)] or [b""]
    return b"".join(bytes(cramjam.gzip.compress(chunk)) for chunk in chunks)


def lz4_hadoop(data, block=100_000):
    out = bytearray()
    for i in range(0, max(len(data), 1), block):
        chunk = data[i:i + block]
        compressed = bytes(cramjam.lz4.compress_block(chunk, store_size=False))
        out += struct.pack(">II", len(chunk), len(compressed)) + compressed
    return bytes(out)


COMPRESS = {
    "snappy": lambda d: cramjam.snappy.compress_raw(d),
    "gzip": lambda d: cramjam.gzip.compress(d),
    "gzip2": lambda d: gzip_members(d, 2),
    "zstd": lambda d: cramjam.zstd.compress(d, level=3),
    "lz4_raw": lambda d: cramjam.lz4.compress_block(d, store_size=False),
    "lz4_frame": lambda d: cramjam.lz4.compress(d),
    "lz4_hadoop": lz4_hadoop,
    "brotli": lambda d: cramjam.brotli.compress(d, level=5),
}

DECOMPRESS = {
    "snappy": lambda d, n: cramjam.snappy.decompress_raw(d),
    "gzip": lambda d, n: cramjam.gzip.decompress(d),
    "zstd": lambda d, n: cramjam.zstd.decompress(d),
    "lz4_raw": lambda d, n: cramjam.lz4.decompress_block(d, output_len=n),
    "lz4_frame": lambda d, n: cramjam.lz4.decompress(d),
    "brotli": lambda d, n: cramjam.brotli.decompress(d),
}


def read_exactly(stream, count):
    data = stream.read(count)
    if len(data) != count:
        raise EOFError(f"expected {count} bytes, got {len(data)}")
    return data


def main():
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while True:
        head = source.read(2)
        if not head:
            break
        if len(head) < 2:
            head += read_exactly(source, 1)
        op, name_length = head[0], head[1]
        name = read_exactly(source, name_length).decode()
        size, payload_length = struct.unpack("<QQ", read_exactly(source, 16))
        payload = read_exactly(source, payload_length)
        if op == 0:
            result = bytes(COMPRESS[name](payload))
        else:
            result = bytes(DECOMPRESS[name](payload, size))
            if len(result) != size:
                raise ValueError(f"{name}: decompressed {len(result)} bytes, expected {size}")
        sink.write(struct.pack("<Q", len(result)) + result)
    sink.flush()


if __name__ == "__main__":
    main()

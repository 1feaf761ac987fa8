"""Peer of specimen-bench's `msgpack` area: times msgpack.packb and msgpack.unpackb (the C
extension, default options) on the bytes of the file given, and prints µs per call:
    pack <µs>
    unpack <µs>
Each figure is the median of 5 repetitions of many calls, like the Swift side's."""
import statistics
import sys
import timeit

import msgpack

data = open(sys.argv[1], "rb").read()
value = msgpack.unpackb(data)
if msgpack.packb(value) != data:
    sys.exit("msgpack_peer: packb does not reproduce the benchmark's bytes")
number = 20000
names = {"packb": msgpack.packb, "unpackb": msgpack.unpackb, "value": value, "data": data}
for label, statement in (("pack", "packb(value)"), ("unpack", "unpackb(data)")):
    timeit.timeit(statement, globals=names, number=number // 10)  # warm-up
    times = timeit.repeat(statement, globals=names, number=number, repeat=5)
    print(f"{label} {statistics.median(times) / number * 1e6:.3f}")

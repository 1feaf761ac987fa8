"""Unpacks stdin with msgpack.unpackb's defaults and writes msgpack.packb of the result to stdout."""
import sys

import msgpack

sys.stdout.buffer.write(msgpack.packb(msgpack.unpackb(sys.stdin.buffer.read())))

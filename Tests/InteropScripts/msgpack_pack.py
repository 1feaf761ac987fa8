"""Python -> Swift: packs every case of msgpack_cases with msgpack.packb and writes, to stdout,
one msgpack array of [name, packed bytes] pairs (itself packed with the defaults)."""
import sys

import msgpack

from msgpack_cases import CODABLE_RECORD, cases

assert msgpack.version >= (1, 0, 0), msgpack.version
pairs = [[name, msgpack.packb(value, **options)] for name, value, options in cases()]
pairs.append(["codable_record", msgpack.packb(CODABLE_RECORD)])
sys.stdout.buffer.write(msgpack.packb(pairs))

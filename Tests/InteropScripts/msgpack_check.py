"""Swift -> Python: reads from stdin one msgpack array of [name, bytes Swift wrote] pairs,
unpacks each with msgpack.unpackb's defaults (raw=False, strict_map_key=True, timestamp=0), and
checks it against the case of that name in msgpack_cases, strictly (types, key order, NaN, -0.0),
as Python itself reads it back after packing it with the case's options (so a float32 case is
compared at float32 precision). Also checks that Python packs the case to exactly the bytes Swift
wrote (except for the Codable record, whose Float Python would widen). Prints the names checked,
one per line; exits 1 naming every mismatch."""
import sys

import msgpack

from msgpack_cases import CODABLE_RECORD, cases, same

expected = {name: (value, options) for name, value, options in cases()}
expected["codable_record"] = (CODABLE_RECORD, None)
failures = []
checked = []
for name, data in msgpack.unpackb(sys.stdin.buffer.read()):
    if name not in expected:
        failures.append(f"{name}: no such case")
        continue
    value, options = expected[name]
    packed = msgpack.packb(value, **(options or {}))
    value = msgpack.unpackb(packed)
    try:
        got = msgpack.unpackb(data)
    except Exception as error:  # noqa: BLE001 - report every failure by name
        failures.append(f"{name}: unpackb raised {error!r}")
        continue
    if not same(got, value):
        failures.append(f"{name}: got {got!r:.200}, expected {value!r:.200}")
    elif options is not None and packed != data:
        failures.append(f"{name}: Python packs {packed.hex()[:80]}, Swift wrote {data.hex()[:80]}")
    checked.append(name)
if failures:
    print("\n".join(failures), file=sys.stderr)
    sys.exit(1)
print("\n".join(checked))

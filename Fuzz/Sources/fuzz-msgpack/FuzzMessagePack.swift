// What the MessagePack fuzz target does with one input (Main.swift holds libFuzzer's entry
// points). Thrown errors are expected on most inputs; only traps, crashes and sanitizer reports
// are findings. Tests/MessagePackTests/FuzzTarget links this file, so CI replays the seeds and
// every committed crasher through exactly this code.
import MessagePack

/// Visits every part of a decoded value, so lazily built or shared storage is really read.
func touch(_ value: MessagePackValue, into hasher: inout Hasher) {
    switch value {
    case .nil: hasher.combine(0)
    case .bool(let b): hasher.combine(b)
    case .int(let i): hasher.combine(i)
    case .uint(let u): hasher.combine(u)
    case .float32(let f): hasher.combine(f.bitPattern)
    case .float64(let d): hasher.combine(d.bitPattern)
    case .string(let s):
        hasher.combine(s.utf8.count); hasher.combine(s)
        // A decoded str (made directly when short) behaves as a String made the ordinary way.
        let copy = String(decoding: Array(s.utf8), as: UTF8.self)
        if copy != s || copy.hashValue != s.hashValue { fatalError("a decoded str differs from its copy") }
    case .binary(let b): hasher.combine(b)
    case .array(let items): for item in items { touch(item, into: &hasher) }
    case .map(let pairs):
        for pair in pairs {
            touch(pair.key, into: &hasher)
            touch(pair.value, into: &hasher)
            // Looking a str key up finds a pair with that key.
            if case .string(let key) = pair.key, pairs[key] == nil { fatalError("a map's str key is not found by lookup") }
        }
    case .ext(let type, let data): hasher.combine(type); hasher.combine(data)
    case .timestamp(let t):
        hasher.combine(t.seconds)
        hasher.combine(t.nanoseconds)
        hasher.combine(t.iso8601)
    }
}

/// Decodes `bytes` as one value, then as a stream of values; re-encodes what decoded and checks
/// that it decodes back to an equal value.
func fuzzOne(_ bytes: [UInt8]) {
    var hasher = Hasher()
    if let value = try? MessagePackValue(decoding: bytes) {
        touch(value, into: &hasher)
        hasher.combine(value)
        hasher.combine(String(describing: value))
        let again = value.encoded()
        guard let back = try? MessagePackValue(decoding: again) else {
            fatalError("a decoded value re-encodes to bytes that do not decode")
        }
        if back != value {
            fatalError("a decoded value does not survive re-encoding: \(value) vs \(back)")
        }
    }
    // The same bytes as a stream of values with a shallow depth limit.
    bytes.withUnsafeBytes { buffer in
        var reader = MessagePackReader(buffer, options: .init(maximumDepth: 16, allowsTrailingBytes: true))
        while !reader.isAtEnd {
            guard let value = try? reader.readValue() else { break }
            touch(value, into: &hasher)
        }
    }
    _ = hasher.finalize()
}

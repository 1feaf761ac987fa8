import MessagePack
import Specimens

extension JSONText {
    /// Where the text stood, to go back to when a value cannot be written after all.
    struct Mark {
        fileprivate var count: Int
        fileprivate var depth: Int
        fileprivate var hadValue: Bool?
        fileprivate var afterKey: Bool
    }

    /// The current position, for ``rollback(to:)``.
    var mark: Mark {
        Mark(count: bytes.count, depth: openCount, hadValue: lastHasValue, afterKey: isAfterKey)
    }

    /// Forgets everything written since `mark` was taken (brackets opened since are dropped).
    mutating func rollback(to mark: Mark) {
        restore(count: mark.count, depth: mark.depth, hadValue: mark.hadValue, afterKey: mark.afterKey)
    }

    /// Writes the value at `at` straight from MessagePack bytes, as ``append(_:)-(MessagePackValue)``
    /// writes it once decoded, when it holds only nil, bools, numbers, ASCII strings, arrays and
    /// maps keyed by ASCII strings; otherwise (or when the bytes are malformed) returns false,
    /// having written part of it: the caller rolls back to a ``mark`` and decodes instead.
    mutating func appendScanned(_ scanner: MessagePackScanner, at: Int, depth: Int = 0) -> Bool {
        guard depth < 32, let h = scanner.header(at) else { return false }
        switch h.kind {
        case .nil: appendNull()
        case .bool: append(h.bits != 0)
        case .int:
            guard let value = scanner.int(at) else { return false }
            append(value)
        case .uint:
            guard let value = scanner.uint(at) else { return false }
            append(value)
        case .float32:
            guard let value = scanner.double(at) else { return false }
            let float = Float(value)
            if float.isFinite { append(float) } else { append(Self.nonFiniteName(value)) }
        case .float64:
            guard let value = scanner.double(at) else { return false }
            if value.isFinite { append(value) } else { append(Self.nonFiniteName(value)) }
        case .string:
            guard let text = Self.asciiBytes(scanner, h) else { return false }
            append(utf8: text)
        case .array:
            guard h.count <= scanner.bytes.count - h.start else { return false }
            beginArray()
            var next = h.start
            for _ in 0 ..< h.count {
                guard appendScanned(scanner, at: next, depth: depth + 1), let after = scanner.skip(next) else { return false }
                next = after
            }
            endArray()
        case .map:
            guard h.count <= scanner.bytes.count - h.start else { return false }
            beginObject()
            var next = h.start
            for _ in 0 ..< h.count {
                guard let k = scanner.header(next), k.kind == .string, let name = Self.asciiBytes(scanner, k) else { return false }
                key(utf8: name)
                let value = k.start + k.count
                guard appendScanned(scanner, at: value, depth: depth + 1), let after = scanner.skip(value) else { return false }
                next = after
            }
            endObject()
        case .binary, .ext:
            return false
        }
        return true
    }

    /// The bytes of the str `h` when they are all ASCII (so valid UTF-8, as decoding demands).
    static func asciiBytes(_ scanner: MessagePackScanner, _ h: MessagePackScanner.Header) -> UnsafeRawBufferPointer? {
        guard h.kind == .string, h.start >= 0, h.count <= scanner.bytes.count - h.start else { return nil }
        let text = UnsafeRawBufferPointer(rebasing: scanner.bytes[h.start ..< h.start + h.count])
        for byte in text where byte >= 0x80 { return nil }
        return text
    }

    static func nonFiniteName(_ value: Double) -> String {
        value.isNaN ? "NaN" : value < 0 ? "-Infinity" : "Infinity"
    }
}

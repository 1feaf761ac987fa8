#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A run's ID: the UTC time the run was created, `YYYYMMDD_HHMMSS`, with a `_NN` suffix
/// (`01` … `99`) when several runs were created in the same second.
///
/// IDs sort in creation order, lexically and as values. The initializer validates its text,
/// so a `RunID` can never name a path outside the `runs/` folder.
///
/// ```swift
/// let id = try RunID("20251222_194653_02")
/// id.collisionIndex   // 2
/// RunID("../etc")     // throws SpecimenError.invalidName
/// ```
public struct RunID: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The ID's text, as the folder is named.
    public let rawValue: String
    /// `YYYYMMDDHHMMSS * 100 + NN`, which orders IDs as their text does.
    let key: UInt64

    /// Validates `text` as a run ID; throws `SpecimenError` (`.invalidName`) otherwise.
    public init(_ text: String) throws {
        guard let key = RunID.parse(text) else {
            throw SpecimenError(.invalidName, "'\(text)' is not a run ID; run IDs look like 20251222_194653 or 20251222_194653_01 (UTC date and time)", recovery: "List the specimen's runs to see their IDs")
        }
        self.rawValue = text
        self.key = key
    }

    /// A run ID that is known to be valid (`key` computed by `parse`).
    init(unchecked text: String, key: UInt64) {
        self.rawValue = text
        self.key = key
    }

    /// The ID whose key is `key` (as `parse` made it from a name of 15 characters, or of 18
    /// with a collision index above 0): its text is made from the key's digits.
    init(key: UInt64) {
        let hasIndex = key % 100 != 0
        self.rawValue = String(unsafeUninitializedCapacity: hasIndex ? 18 : 15) { buffer in
            var rest = hasIndex ? key : key / 100
            var at = hasIndex ? 17 : 14
            while at >= 0 {
                if at == 8 || at == 15 {
                    buffer[at] = UInt8(ascii: "_")
                } else {
                    buffer[at] = UInt8(truncatingIfNeeded: 48 &+ rest % 10)
                    rest /= 10
                }
                at -= 1
            }
            return hasIndex ? 18 : 15
        }
        self.key = key
    }

    /// The ID for the UTC second `seconds` since 1970, with collision index `index` (0 = none).
    init(seconds: Int64, index: Int) {
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        let year = Int(parts.tm_year) + 1900
        var text = ""
        text.reserveCapacity(18)
        func digits(_ value: Int, _ width: Int) {
            var s = String(value)
            while s.utf8.count < width { s = "0" + s }
            text += s
        }
        digits(year, 4); digits(Int(parts.tm_mon) + 1, 2); digits(Int(parts.tm_mday), 2)
        text += "_"
        digits(Int(parts.tm_hour), 2); digits(Int(parts.tm_min), 2); digits(Int(parts.tm_sec), 2)
        if index > 0 { text += "_"; digits(index, 2) }
        self.rawValue = text
        self.key = RunID.parse(text) ?? 0
    }

    /// The collision index: 0 for `YYYYMMDD_HHMMSS`, `NN` for `YYYYMMDD_HHMMSS_NN`.
    public var collisionIndex: Int { Int(key % 100) }

    /// The creation second, as seconds since 1970 (UTC), or nil for an impossible date.
    public var seconds: Int64? {
        let stamp = key / 100
        var parts = tm()
        parts.tm_year = Int32(stamp / 10_000_000_000) - 1900
        parts.tm_mon = Int32(stamp / 100_000_000 % 100) - 1
        parts.tm_mday = Int32(stamp / 1_000_000 % 100)
        parts.tm_hour = Int32(stamp / 10_000 % 100)
        parts.tm_min = Int32(stamp / 100 % 100)
        parts.tm_sec = Int32(stamp % 100)
        let value = timegm(&parts)
        return value == -1 ? nil : Int64(value)
    }

    /// The ID's text.
    public var description: String { rawValue }

    /// Orders IDs by creation time, then collision index.
    public static func < (lhs: RunID, rhs: RunID) -> Bool { lhs.key < rhs.key }

    /// Equal when the text is equal.
    public static func == (lhs: RunID, rhs: RunID) -> Bool { lhs.key == rhs.key }

    /// Hashes the ID.
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }

    /// Decodes an ID from its text, validating it.
    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the ID as its text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// `^[0-9]{8}_[0-9]{6}(_[0-9]{2})?$` → the sort key, or nil. No allocation.
    static func parse(_ text: String) -> UInt64? {
        var text = text
        return text.withUTF8 { parse(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// The same check on raw bytes (a directory entry's name).
    static func parse(bytes: UnsafeRawBufferPointer) -> UInt64? {
        let count = bytes.count
        guard count == 15 || count == 18 else { return nil }
        var key: UInt64 = 0
        for index in 0 ..< count {
            let byte = bytes[index]
            if index == 8 || index == 15 {
                guard byte == UInt8(ascii: "_") else { return nil }
                continue
            }
            guard byte &- 48 < 10 else { return nil }
            key = key &* 10 &+ UInt64(byte &- 48)
        }
        return count == 15 ? key &* 100 : key
    }
}

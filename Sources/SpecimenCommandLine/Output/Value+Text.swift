import Parquet
import Specimens
import Foundation

/// How a table cell is written in each output format of `cat` and `export`.
extension Value {
    /// Appends the cell as JSON: integers exact; floats as the shortest round-trip text, with
    /// NaN and infinities as the strings "NaN", "Infinity", "-Infinity"; binary as
    /// `{"$binary": "<base64>"}`; timestamps and dates as ISO 8601 text; times of day as `HH:MM:SS[.fraction]`; decimals as a string
    /// holding their exact text (`"-12.3400"`: JSON parsers would round a number to a double);
    /// UUIDs as their 8-4-4-4-12 text.
    func append(to json: inout JSONText) {
        switch self {
        case .null: json.appendNull()
        case .bool(let v): json.append(v)
        case .int(let v): json.append(v)
        case .uint(let v): json.append(v)
        case .float(let v): if v.isFinite { json.append(v) } else { json.append(Self.nonFiniteName(Double(v))) }
        case .double(let v): if v.isFinite { json.append(v) } else { json.append(Self.nonFiniteName(v)) }
        case .string(let v): json.append(v)
        case .binary(let v):
            json.beginObject()
            json.key("$binary")
            json.appendBase64(v)
            json.endObject()
        case .timestamp, .date, .time, .decimal, .uuid: json.append(description)
        }
    }

    /// The cell as a CSV field (RFC 4180): empty for null, quoted when it holds a comma, quote,
    /// line break or surrounding space; binary as base64.
    var csvField: String {
        let text: String
        switch self {
        case .null: return ""
        case .float(let v): text = v.isFinite ? v.description : Self.nonFiniteName(Double(v))
        case .double(let v): text = v.isFinite ? v.description : Self.nonFiniteName(v)
        case .binary(let v): text = JSONText.base64(v)
        default: text = description
        }
        let needsQuotes = text.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
            || text.first == " " || text.last == " "
        return needsQuotes ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    /// The cell for an aligned table: one line, control characters shown as escapes.
    var cellText: String {
        switch self {
        case .float(let v): return v.isFinite ? v.description : Self.nonFiniteName(Double(v))
        case .double(let v): return v.isFinite ? v.description : Self.nonFiniteName(v)
        case .string(let v):
            guard v.unicodeScalars.contains(where: { $0.value < 32 || $0.value == 127 }) else { return v }
            return String(v.unicodeScalars.map { scalar -> String in
                switch scalar {
                case "\n": "\\n"
                case "\t": "\\t"
                case "\r": "\\r"
                default: scalar.value < 32 || scalar.value == 127 ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
                }
            }.joined())
        default: return description
        }
    }

    private static func nonFiniteName(_ value: Double) -> String {
        value.isNaN ? "NaN" : value > 0 ? "Infinity" : "-Infinity"
    }
}

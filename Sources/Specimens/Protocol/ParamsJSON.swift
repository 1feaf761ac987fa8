import MessagePack

/// Params as a JSON object for `SPECIMEN_PARAMS`, for launches that do not bring their own
/// text: numbers exact (non-finite ones as null), strings escaped, binary and extension values
/// as strings of their description.
enum ParamsJSON {
    /// The value as JSON text.
    static func text(_ value: MessagePackValue) -> String {
        var out = ""
        append(value, to: &out)
        return out
    }

    private static func append(_ value: MessagePackValue, to out: inout String) {
        switch value {
        case .nil: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .int(let number): out += String(number)
        case .uint(let number): out += String(number)
        case .float32(let number): out += number.isFinite ? "\(number)" : "null"
        case .float64(let number): out += number.isFinite ? "\(number)" : "null"
        case .string(let text): quote(text, to: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                append(item, to: &out)
            }
            out += "]"
        case .map(let pairs):
            out += "{"
            for (index, pair) in pairs.enumerated() {
                if index > 0 { out += "," }
                quote(pair.key.stringValue ?? "\(pair.key)", to: &out)
                out += ":"
                append(pair.value, to: &out)
            }
            out += "}"
        default: quote("\(value)", to: &out)
        }
    }

    private static func quote(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

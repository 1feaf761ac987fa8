/// Escaping for every context a report puts untrusted text in.
///
/// | context | function | what it guarantees |
/// |---|---|---|
/// | element text, SVG `<text>`, `<title>` | `text(_:)` | no tag, no entity can start |
/// | a quoted attribute value (HTML or SVG) | `attribute(_:)` | the value cannot end its quotes |
/// | a JSON string inside `<script type="application/json">` | `scriptJSON(_:)` | no `</script>`, no `<!--`, no U+2028/2029 |
///
/// Control characters other than tab, newline and carriage return are replaced by U+FFFD, so a
/// hostile run cannot put bytes on the page that an HTML parser treats as errors.
enum HTMLText {
    /// `value` as HTML (or SVG) element text.
    static func text(_ value: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count + 8)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: appendPlain(scalar, to: &out)
            }
        }
        return out
    }

    /// `value` inside a double-quoted attribute (HTML or SVG).
    static func attribute(_ value: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count + 8)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "`": out += "&#96;"
            default: appendPlain(scalar, to: &out)
            }
        }
        return out
    }

    /// `value` as a JSON string literal (with its quotes) that is safe inside a `<script>`
    /// element: `<`, `>`, `&`, U+2028 and U+2029 are written as `\u` escapes.
    static func scriptJSON(_ value: some StringProtocol) -> String {
        var out = "\""
        out.reserveCapacity(value.utf8.count + 8)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 || (0x7f ... 0x9f).contains(scalar.value) {
                    out += "\\ufffd"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
        return out
    }

    private static func appendPlain(_ scalar: Unicode.Scalar, to out: inout String) {
        let v = scalar.value
        if (v < 0x20 && v != 0x09 && v != 0x0a && v != 0x0d) || (0x7f ... 0x9f).contains(v) {
            out.unicodeScalars.append("\u{FFFD}")
        } else {
            out.unicodeScalars.append(scalar)
        }
    }
}

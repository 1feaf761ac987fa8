import Foundation

/// Numbers as the page shows them: compact for axes and tables, exact for hover and JSON.
enum NumberText {
    /// The shortest text that reads back as `value` (`0.1`, `1e-12`, `12345`); `NaN`, `inf`,
    /// `-inf` for the non-finite values.
    static func exact(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// A compact text for tables and ticks: at most `digits` significant digits, SI-free,
    /// exponent notation outside 1e-4 … 1e6 (`0.0123`, `1.5e-12`, `2.5e9`, `12,000` is `12000`).
    static func compact(_ value: Double, digits: Int = 4) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e-4 && magnitude < 1e6 {
            // Round to `digits` significant digits; the shortest text of the rounded double is
            // that decimal (Swift prints the shortest round-trip form), without String(format:).
            let decimals = max(0, digits - 1 - Int(floor(log10(magnitude))))
            if decimals <= 15 {
                let scale = pow(10, Double(decimals))
                let rounded = (value * scale).rounded() / scale
                var text = rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int64(rounded)) : "\(rounded)"
                if !text.contains("e") {
                    if text.hasSuffix(".0") { text.removeLast(2) }
                    return text == "-0" ? "0" : text
                }
            }
            var text = String(format: "%.\(digits)g", value)
            if text.contains("e") { text = String(format: "%.\(max(0, digits - 1 - Int(floor(log10(magnitude)))))f", value) }
            return trimmed(text)
        }
        let text = String(format: "%.\(max(0, digits - 1))e", value)
        guard let e = text.firstIndex(of: "e") else { return text }
        let mantissa = trimmed(String(text[..<e]))
        var exponent = String(text[text.index(after: e)...])
        let negative = exponent.hasPrefix("-")
        exponent = String(exponent.drop { $0 == "+" || $0 == "-" || $0 == "0" })
        return mantissa + "e" + (negative ? "-" : "") + (exponent.isEmpty ? "0" : exponent)
    }

    /// Labels for axis ticks: `compact` with the fewest significant digits (4 to 15) that
    /// keep every label distinct (`123456.7`, `123456.75` rather than `1.235e5` twice).
    static func labels(_ values: [Double]) -> [String] {
        var labels = values.map { compact($0) }
        var digits = 5
        while Set(labels).count < labels.count && digits <= 15 {
            labels = values.map { compact($0, digits: digits) }
            digits += 1
        }
        return labels
    }

    /// A coordinate in an SVG path: one decimal, no trailing `.0`.
    static func coordinate(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        guard tenths.isFinite, abs(tenths) < 1e9 else { return "0" }
        let whole = Int(tenths)
        if whole % 10 == 0 { return String(whole / 10) }
        let sign = whole < 0 ? "-" : ""
        let magnitude = abs(whole)
        return sign + String(magnitude / 10) + "." + String(magnitude % 10)
    }

    /// A JSON number, or `null` for NaN and the infinities (which JSON cannot hold).
    static func json(_ value: Double) -> String {
        value.isFinite ? exact(value) : "null"
    }

    private static func trimmed(_ text: String) -> String {
        guard text.contains("."), !text.contains("e") else { return text }
        var text = text
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

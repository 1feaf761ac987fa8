import InteropSupport
/// Bytes from hex text such as "cd 01 00" (spaces ignored).
func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.unicodeScalars.filter { $0 != " " && $0 != "\n" })
    precondition(digits.count % 2 == 0, "odd number of hex digits in \(text)")
    return stride(from: 0, to: digits.count, by: 2).map { index in
        UInt8(String(String.UnicodeScalarView(digits[index ..< index + 2])), radix: 16)!
    }
}

/// Hex text of bytes, for messages.
func hexText(_ bytes: [UInt8]) -> String {
    bytes.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined(separator: " ")
}

/// The big-endian bytes of a length or count.
func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.bigEndian) { Array($0) }
}

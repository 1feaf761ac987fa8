#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import InteropSupport
import Testing
@testable import Specimens

/// `JSONNumber` against the C library's `strtod`, bit for bit, on seeded random and edge inputs.
@Suite("JSON numbers")
struct JSONNumberTests {
    /// Parses `text` with both; records the first few differences in `failures`.
    static func compare(_ text: [UInt8], _ failures: inout [String], checked: inout Int) {
        let parsed = text.withUnsafeBufferPointer { JSONNumber.parse($0.baseAddress!, count: $0.count) }
        let expected: Double = (text + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { strtod($0.baseAddress!, nil) }
        }
        switch parsed {
        case .double(let value, let length):
            checked += 1
            if value.bitPattern != expected.bitPattern || length != text.count {
                failures.append("\(String(decoding: text, as: UTF8.self)): \(value) (length \(length)), strtod \(expected)")
            }
        case .int(let value, let length):
            checked += 1
            if Double(value).bitPattern != expected.bitPattern && !(value == 0 && expected == 0) || length != text.count {
                failures.append("\(String(decoding: text, as: UTF8.self)): int \(value), strtod \(expected)")
            }
        case .other:
            failures.append("\(String(decoding: text, as: UTF8.self)): not parsed")
        }
    }

    /// Random digit strings: up to 25 integer and 25 fraction digits, exponents up to ±400.
    @Test("random decimal text, 1,500,000 inputs, agrees with strtod bit for bit")
    func randomDecimals() {
        var generator = SeededGenerator(seed: 0x4A53_4F4E)
        var failures: [String] = []
        var checked = 0
        var text: [UInt8] = []
        for _ in 0 ..< 1_500_000 {
            text.removeAll(keepingCapacity: true)
            if Bool.random(using: &generator) { text.append(UInt8(ascii: "-")) }
            let integerDigits = Int.random(in: 1 ... 25, using: &generator)
            let leadingZeros = Int.random(in: 0 ... 3, using: &generator) == 0
            for index in 0 ..< integerDigits {
                text.append(leadingZeros && index < 3 ? UInt8(ascii: "0") : UInt8.random(in: 0x30 ... 0x39, using: &generator))
            }
            let fraction = Int.random(in: 0 ... 25, using: &generator)
            let hasExponent = fraction == 0 || Bool.random(using: &generator)
            if fraction > 0 {
                text.append(UInt8(ascii: "."))
                for _ in 0 ..< fraction { text.append(UInt8.random(in: 0x30 ... 0x39, using: &generator)) }
            }
            if hasExponent {
                text.append(Bool.random(using: &generator) ? UInt8(ascii: "e") : UInt8(ascii: "E"))
                switch Int.random(in: 0 ..< 3, using: &generator) {
                case 0: text.append(UInt8(ascii: "-"))
                case 1: text.append(UInt8(ascii: "+"))
                default: break
                }
                let magnitude = Int.random(in: 0 ... 3, using: &generator) == 0 ? Int.random(in: 0 ... 400, using: &generator) : Int.random(in: 0 ... 30, using: &generator)
                text.append(contentsOf: Array(String(magnitude).utf8))
            }
            Self.compare(text, &failures, checked: &checked)
            if failures.count >= 10 { break }
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(checked == 1_500_000)
    }

    /// Every kind of double (normal, subnormal, huge) as its shortest text and with 17 and 25
    /// significant digits.
    @Test("random doubles' bit patterns as text, 3 × 400,000 inputs, agree with strtod")
    func randomBitPatterns() {
        var generator = SeededGenerator(seed: 0xB175)
        var failures: [String] = []
        var checked = 0
        var buffer = [CChar](repeating: 0, count: 64)
        for _ in 0 ..< 400_000 {
            let value = Double(bitPattern: generator.next())
            guard value.isFinite else { continue }
            Self.compare(Array(value.description.utf8), &failures, checked: &checked)
            for precision in [16, 24] {   // %.Ne: N + 1 significant digits
                let count = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.\(precision)e", $0) }
                let bytes = buffer[0 ..< Int(count)].map { UInt8(bitPattern: $0) }
                Self.compare(bytes, &failures, checked: &checked)
            }
            if failures.count >= 10 { break }
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(checked > 1_000_000)
    }

    /// Exact midpoints between neighbouring doubles (where rounding half to even decides), and
    /// just above and below them, with 16 to 24 significant digits.
    @Test("halfway cases between doubles agree with strtod")
    func halfwayCases() {
        var generator = SeededGenerator(seed: 0x4841_4C46)
        var failures: [String] = []
        var checked = 0
        for _ in 0 ..< 200_000 {
            let mantissa = UInt64.random(in: (1 << 52) ..< (1 << 53), using: &generator)
            let odd = UInt128(2 * mantissa + 1)
            let shift = Int.random(in: -10 ... 10, using: &generator)
            var digits: String
            var exponent = 0
            if shift >= 0 {
                digits = String(odd << UInt128(shift))
            } else {
                var five: UInt128 = 1
                for _ in 0 ..< -shift { five *= 5 }
                digits = String(odd * five)
                exponent = shift
            }
            for suffix in ["", "0000000001", "9999999999"] {
                var text = digits
                var textExponent = exponent
                if suffix == "9999999999" {
                    // Just below the midpoint: one less in the last digit, then nines.
                    guard let last = text.last, last != "0" else { continue }
                    text.removeLast()
                    text.append(Character(Unicode.Scalar(last.asciiValue! - 1)))
                }
                text += suffix
                textExponent -= suffix.count
                Self.compare(Array((text + ".0e\(textExponent)").utf8), &failures, checked: &checked)
            }
            if failures.count >= 10 { break }
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(checked > 500_000)
    }

    @Test("edge cases: zeros, subnormals, the largest doubles, long digit strings, huge exponents")
    func edgeCases() {
        let zeros400 = String(repeating: "0", count: 400)
        let cases = [
            "0.0", "-0.0", "0e0", "-0e-5", "0.000", "-0", "0", "00.5", "1.0", "-1.5",
            "0.1", "0.2", "0.3", "1e23", "8.98846567431158e307", "1.7976931348623157e308", "1.7976931348623158e308",
            "1.7976931348623159e308", "-1.7976931348623157e308", "1e308", "1e309", "1e400", "-1e400",
            "2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072014e-308",
            "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "5e-324", "1e-323",
            "1e-400", "-1e-400", "1e-342", "1e-343", "9.999999999999999e-343",
            "9007199254740993.0", "9007199254740992.0", "9007199254740993.0000000001", "9007199254740995.0",
            "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124",
            "1.00000000000000011102230246251565404236316680908203126",
            "7.2057594037927933e16", "123456789012345678901234567890.5", "1" + zeros400 + ".0",
            "0." + zeros400 + "1", "0." + zeros400 + "1e400", "1." + zeros400 + "1",
            String(repeating: "9", count: 800) + ".9", "1e99999999999999999999", "1e-99999999999999999999",
            "0e99999999999999999999", "1.5e+3", "1.5E-3", "2.5e0", "3.0000000000000004", "0.30000000000000004",
            "1e22", "1e-22", "9007199254740991e22", "9007199254740993e-22", "123456789e-30",
        ]
        var failures: [String] = []
        var checked = 0
        for text in cases { Self.compare(Array(text.utf8), &failures, checked: &checked) }
        #expect(failures.isEmpty, "\(failures)")
        #expect(checked == cases.count)
    }

    @Test("eight digits at once: every byte checked, values exact")
    func eightDigits() {
        func eight(_ text: String) -> UInt64? {
            Array(text.utf8).withUnsafeBufferPointer { JSONNumber.eightDigits($0.baseAddress!) }
        }
        #expect(eight("12345678") == 12_345_678)
        #expect(eight("00000000") == 0)
        #expect(eight("99999999") == 99_999_999)
        #expect(eight("00000907") == 907)
        for position in 0 ..< 8 {
            for bad: UInt8 in [0x2F, 0x3A, 0x2E, 0x65, 0x45, 0x2D, 0x2B, 0x20, 0x00, 0xB0, 0xF9] {
                var bytes = Array("12345678".utf8)
                bytes[position] = bad
                #expect(bytes.withUnsafeBufferPointer { JSONNumber.eightDigits($0.baseAddress!) } == nil, "\(bytes)")
            }
        }
    }

    @Test("integers: up to 18 digits exact; longer ones and non-JSON text left to the general path")
    func integersAndOther() {
        func parse(_ text: String) -> JSONNumber.Parsed {
            Array(text.utf8).withUnsafeBufferPointer { JSONNumber.parse($0.baseAddress!, count: $0.count) }
        }
        #expect(parse("0") == .int(0, length: 1))
        #expect(parse("-12,") == .int(-12, length: 3))
        #expect(parse("999999999999999999}") == .int(999_999_999_999_999_999, length: 18))
        #expect(parse("-999999999999999999") == .int(-999_999_999_999_999_999, length: 19))
        #expect(parse("1234567890123456789") == .other)
        #expect(parse("1.5,\"a\"") == .double(1.5, length: 3))
        #expect(parse("1e5 ") == .double(100_000, length: 3))
        for text in ["", "-", "+1", ".5", "-.5", "1.", "1.e5", "1e", "1e+", "NaN", "Infinity", "-Infinity", "nan", "x"] {
            #expect(parse(text) == .other, "\(text)")
        }
    }
}

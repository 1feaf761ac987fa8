import InteropSupport
import Testing
@testable import Parquet

/// Decodes every page body pyarrow writes with each encoding (Tests/InteropScripts/encoding_pages.py
/// cuts them out of real files) and compares the values with what pyarrow reads; then re-encodes
/// the values with our encoders and compares the bytes. Fails, never skips, without Python.
@Suite("Encoding interop with pyarrow")
struct EncodingInteropTests {
    struct Page {
        var version: Int
        var encoding: Int
        var numValues: Int
        var numNulls: Int
        var definitionLength: Int
        var body: [UInt8]
    }

    struct Column {
        var file: String
        var name: String
        var physical: PhysicalType
        var typeLength: Int
        var nullable: Bool
        var dictionary: (count: Int, body: [UInt8])?
        var pages: [Page] = []
        var expected: [String] = []
    }

    @Test("pages written by pyarrow decode to pyarrow's values; our encoders write the same bytes")
    func pyarrowPages() throws {
        let folder = try TemporaryFolder()
        let output = try Python.run("encoding_pages.py", [folder.path])
        let columns = try Self.parse(String(decoding: output, as: UTF8.self))
        #expect(columns.count == 12 + 12 + 12 + 5)
        var seen: Set<String> = []
        for column in columns {
            let place = "\(column.file) column \(column.name)"
            var decoded: [String] = []
            let dictionary = try column.dictionary.map { try Self.decodeDense(column, encoding: 0, $0.body, count: $0.count, dictionary: nil, check: false) }
            for page in column.pages {
                seen.insert("\(Self.name(column.physical)) \(Encoding(rawValue: Int32(page.encoding))?.description ?? "?") v\(page.version)")
                decoded += try Self.decodePage(column, page, dictionary: dictionary)
            }
            #expect(decoded.count == column.expected.count, "\(place)")
            if decoded != column.expected {
                let first = zip(decoded, column.expected).enumerated().first { $0.element.0 != $0.element.1 }
                Issue.record("\(place): values differ, first at \(first.map { "\($0.offset): \($0.element.0) ≠ \($0.element.1)" } ?? "the end")")
            }
        }
        // Every encoding pyarrow writes for flat columns was seen.
        for expected in ["int64 DELTA_BINARY_PACKED v1", "int32 DELTA_BINARY_PACKED v2", "byteArray DELTA_LENGTH_BYTE_ARRAY v1",
                         "byteArray DELTA_BYTE_ARRAY v2", "fixedLenByteArray DELTA_BYTE_ARRAY v1", "double BYTE_STREAM_SPLIT v2",
                         "float BYTE_STREAM_SPLIT v1", "int32 BYTE_STREAM_SPLIT v1", "int64 BYTE_STREAM_SPLIT v2",
                         "fixedLenByteArray BYTE_STREAM_SPLIT v1", "boolean RLE v2", "boolean RLE v1", "byteArray RLE_DICTIONARY v1",
                         "double PLAIN v1"] {
            #expect(seen.contains(expected), "\(expected) not seen")
        }
    }

    static func name(_ type: PhysicalType) -> String {
        switch type {
        case .boolean: "boolean"
        case .int32: "int32"
        case .int64: "int64"
        case .int96: "int96"
        case .float: "float"
        case .double: "double"
        case .byteArray: "byteArray"
        case .fixedLenByteArray: "fixedLenByteArray"
        }
    }

    /// Decodes one page into value tokens, nulls included.
    static func decodePage(_ column: Column, _ page: Page, dictionary: [String]?) throws -> [String] {
        var levels = [UInt32](repeating: 1, count: page.numValues)
        var offset = 0
        try page.body.withUnsafeBytes { raw in
            if page.version == 1, column.nullable {
                var (decoder, section) = try RLEHybridDecoder.lengthPrefixed(raw, bitWidth: 1)
                try levels.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
                offset = section
            } else if page.version == 2, page.definitionLength > 0 {
                var decoder = try RLEHybridDecoder(UnsafeRawBufferPointer(rebasing: raw[0 ..< page.definitionLength]), bitWidth: 1)
                try levels.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
                offset = page.definitionLength
            }
        }
        let nonNull = levels.lazy.filter { $0 == 1 }.count
        if page.version == 2 { #expect(page.numValues - nonNull == page.numNulls) }
        let dense = try decodeDense(column, encoding: page.encoding, Array(page.body[offset...]), count: nonNull, dictionary: dictionary, check: true)
        var values: [String] = []
        var next = 0
        for level in levels {
            if level == 1 {
                values.append(dense[next])
                next += 1
            } else {
                values.append("N")
            }
        }
        return values
    }

    /// Decodes a values section into tokens; with `check`, also verifies the bytes consumed and
    /// that our encoder reproduces the section byte for byte.
    static func decodeDense(_ column: Column, encoding: Int, _ bytes: [UInt8], count: Int, dictionary: [String]?, check: Bool) throws -> [String] {
        let place = "\(column.file) \(column.name) encoding \(encoding)"
        var consumed = bytes.count
        var reencoded: [UInt8]? = nil
        var tokens: [String] = []
        try bytes.withUnsafeBytes { raw in
            switch (Encoding(rawValue: Int32(encoding))!, column.physical) {
            case (.plain, .boolean):
                var values: [Bool] = []
                consumed = try PlainDecoder.decodeBooleans(raw, count: count, into: &values)
                tokens = values.map { $0 ? "1" : "0" }
                reencoded = []
                values.withUnsafeBufferPointer { PlainEncoder.encodeBooleans($0, into: &reencoded!) }
            case (.rle, .boolean):
                var (decoder, section) = try RLEHybridDecoder.lengthPrefixed(raw, bitWidth: 1)
                var values = [Bool](repeating: false, count: count)
                try values.withUnsafeMutableBufferPointer { try decoder.decodeBooleans(into: $0) }
                consumed = section
                tokens = values.map { $0 ? "1" : "0" }
            case (.plain, .int32):
                var values: [Int32] = []
                consumed = try PlainDecoder.decode(raw, count: count, into: &values)
                tokens = values.map { "\($0)" }
                reencoded = []
                values.withUnsafeBufferPointer { PlainEncoder.encode($0, into: &reencoded!) }
            case (.plain, .int64):
                var values: [Int64] = []
                consumed = try PlainDecoder.decode(raw, count: count, into: &values)
                tokens = values.map { "\($0)" }
                reencoded = []
                values.withUnsafeBufferPointer { PlainEncoder.encode($0, into: &reencoded!) }
            case (.plain, .float):
                var values: [Float] = []
                consumed = try PlainDecoder.decode(raw, count: count, into: &values)
                tokens = values.map { hexToken(UInt64($0.bitPattern), digits: 8) }
                reencoded = []
                values.withUnsafeBufferPointer { PlainEncoder.encode($0, into: &reencoded!) }
            case (.plain, .double):
                var values: [Double] = []
                consumed = try PlainDecoder.decode(raw, count: count, into: &values)
                tokens = values.map { hexToken($0.bitPattern, digits: 16) }
                reencoded = []
                values.withUnsafeBufferPointer { PlainEncoder.encode($0, into: &reencoded!) }
            case (.plain, .byteArray):
                var values = ByteArrays()
                consumed = try PlainDecoder.decodeByteArrays(raw, count: count, into: &values)
                tokens = byteTokens(values)
                reencoded = []
                PlainEncoder.encodeByteArrays(values, into: &reencoded!)
            case (.plain, .fixedLenByteArray):
                var values = ByteArrays()
                consumed = try PlainDecoder.decodeFixedLenByteArrays(raw, count: count, typeLength: column.typeLength, into: &values)
                tokens = byteTokens(values)
                reencoded = []
                try PlainEncoder.encodeFixedLenByteArrays(values, typeLength: column.typeLength, into: &reencoded!)
            case (.deltaBinaryPacked, .int32):
                var decoder = try DeltaBinaryPackedDecoder(raw)
                #expect(decoder.totalCount == count, "\(place)")
                var values = [Int32](repeating: 0, count: count)
                try values.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
                consumed = decoder.bytesConsumed
                tokens = values.map { "\($0)" }
                reencoded = []
                values.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &reencoded!) }
            case (.deltaBinaryPacked, .int64):
                var decoder = try DeltaBinaryPackedDecoder(raw)
                #expect(decoder.totalCount == count, "\(place)")
                var values = [Int64](repeating: 0, count: count)
                try values.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
                consumed = decoder.bytesConsumed
                tokens = values.map { "\($0)" }
                reencoded = []
                // pyarrow writes INT64 in blocks of 256.
                values.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &reencoded!, blockSize: 256) }
            case (.deltaLengthByteArray, .byteArray):
                var values = ByteArrays()
                consumed = try DeltaLengthByteArrayDecoder.decode(raw, count: count, into: &values)
                tokens = byteTokens(values)
                reencoded = []
                DeltaLengthByteArrayEncoder.encode(values, into: &reencoded!)
            case (.deltaByteArray, .byteArray), (.deltaByteArray, .fixedLenByteArray):
                var values = ByteArrays()
                let fixed = column.physical == .fixedLenByteArray ? column.typeLength : nil
                consumed = try DeltaByteArrayDecoder.decode(raw, count: count, into: &values, fixedLength: fixed)
                tokens = byteTokens(values)
                reencoded = []
                DeltaByteArrayEncoder.encode(values, into: &reencoded!)
            case (.byteStreamSplit, .float):
                var values: [Float] = []
                try ByteStreamSplitDecoder.decode(raw, count: count, into: &values)
                tokens = values.map { hexToken(UInt64($0.bitPattern), digits: 8) }
                reencoded = []
                values.withUnsafeBufferPointer { ByteStreamSplitEncoder.encode($0, into: &reencoded!) }
            case (.byteStreamSplit, .double):
                var values: [Double] = []
                try ByteStreamSplitDecoder.decode(raw, count: count, into: &values)
                tokens = values.map { hexToken($0.bitPattern, digits: 16) }
                reencoded = []
                values.withUnsafeBufferPointer { ByteStreamSplitEncoder.encode($0, into: &reencoded!) }
            case (.byteStreamSplit, .int32):
                var values: [Int32] = []
                try ByteStreamSplitDecoder.decode(raw, count: count, into: &values)
                tokens = values.map { "\($0)" }
                reencoded = []
                values.withUnsafeBufferPointer { ByteStreamSplitEncoder.encode($0, into: &reencoded!) }
            case (.byteStreamSplit, .int64):
                var values: [Int64] = []
                try ByteStreamSplitDecoder.decode(raw, count: count, into: &values)
                tokens = values.map { "\($0)" }
                reencoded = []
                values.withUnsafeBufferPointer { ByteStreamSplitEncoder.encode($0, into: &reencoded!) }
            case (.byteStreamSplit, .fixedLenByteArray):
                var values = ByteArrays()
                try ByteStreamSplitDecoder.decodeFixedLenByteArrays(raw, count: count, typeLength: column.typeLength, into: &values)
                tokens = byteTokens(values)
                reencoded = []
                try ByteStreamSplitEncoder.encodeFixedLenByteArrays(values, typeLength: column.typeLength, into: &reencoded!)
            case (.rleDictionary, _), (.plainDictionary, _):
                guard let dictionary else {
                    Issue.record("\(place): a dictionary-encoded page without a dictionary page")
                    return
                }
                var decoder = try RLEHybridDecoder.dictionaryIndices(raw)
                var indices = [UInt32](repeating: 0, count: count)
                try indices.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
                consumed = 1 + decoder.bytesConsumed
                for index in indices {
                    guard Int(index) < dictionary.count else {
                        Issue.record("\(place): index \(index) outside the dictionary of \(dictionary.count)")
                        return
                    }
                    tokens.append(dictionary[Int(index)])
                }
            default:
                Issue.record("\(place): no decoder for \(column.physical) with encoding \(encoding)")
            }
        }
        if check {
            #expect(consumed == bytes.count, "\(place): consumed \(consumed) of \(bytes.count) bytes")
            if let reencoded, reencoded != bytes {
                Issue.record("\(place): our encoder wrote different bytes (\(reencoded.count) vs \(bytes.count)): \(hexString(Array(reencoded.prefix(40)))) vs \(hexString(Array(bytes.prefix(40))))")
            }
        }
        return tokens
    }

    static func hexToken(_ bits: UInt64, digits: Int) -> String {
        let text = String(bits, radix: 16)
        return String(repeating: "0", count: digits - text.count) + text
    }

    static func byteTokens(_ values: ByteArrays) -> [String] {
        (0 ..< values.count).map { "x" + hexString(Array(values[$0])) }
    }

    /// Parses the script's line records.
    static func parse(_ text: String) throws -> [Column] {
        var columns: [Column] = []
        var file = ""
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            switch fields[0] {
            case "file":
                file = fields[1]
            case "column":
                columns.append(Column(file: file, name: fields[1], physical: PhysicalType(rawValue: Int32(fields[2])!)!, typeLength: Int(fields[3])!, nullable: fields[4] == "1"))
            case "dict":
                columns[columns.count - 1].dictionary = (Int(fields[1])!, hexBytes(fields[2]))
            case "page" where fields[1] == "1":
                columns[columns.count - 1].pages.append(Page(version: 1, encoding: Int(fields[2])!, numValues: Int(fields[3])!, numNulls: -1, definitionLength: -1, body: hexBytes(fields[4])))
            case "page":
                columns[columns.count - 1].pages.append(Page(version: 2, encoding: Int(fields[2])!, numValues: Int(fields[3])!, numNulls: Int(fields[4])!, definitionLength: Int(fields[5])!, body: hexBytes(fields[6])))
            case "expect":
                columns[columns.count - 1].expected = Array(fields.dropFirst())
            default:
                Issue.record("unknown record \(fields[0])")
            }
        }
        return columns
    }
}

import Parquet
import InteropSupport
import Testing

/// Randomized mutation testing of footer and page-header decoding, seeded with real footers
/// and page headers from the interop fixtures. Every input must decode or throw a
/// `ParquetError`; a trap would end the test process. What decodes must survive an
/// encode-decode round trip unchanged.
@Suite("Footer mutations")
struct FooterMutationTests {
    /// Bytes that make interesting Thrift: stops, list and struct headers, long varints.
    static let interestingBytes: [UInt8] = [0x00, 0x01, 0x02, 0x0C, 0x0F, 0x19, 0x1C, 0x7F, 0x80, 0xF0, 0xF9, 0xFF]

    /// Applies one to three random mutations to `input`.
    static func mutate(_ input: [UInt8], _ random: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0 ..< Int.random(in: 1 ... 3, using: &random) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0 ..< bytes.count, using: &random)
            switch Int.random(in: 0 ..< 8, using: &random) {
            case 0 where !bytes.isEmpty: // flip a bit
                bytes[position] ^= 1 << UInt8.random(in: 0 ..< 8, using: &random)
            case 1 where !bytes.isEmpty: // an interesting byte
                bytes[position] = interestingBytes.randomElement(using: &random)!
            case 2 where !bytes.isEmpty: // a random byte
                bytes[position] = UInt8.random(in: 0 ... 255, using: &random)
            case 3 where !bytes.isEmpty: // delete a range
                let end = Swift.min(bytes.count, position + Int.random(in: 1 ... 16, using: &random))
                bytes.removeSubrange(position ..< end)
            case 4: // insert random bytes
                let count = Int.random(in: 1 ... 16, using: &random)
                bytes.insert(contentsOf: (0 ..< count).map { _ in UInt8.random(in: 0 ... 255, using: &random) }, at: position)
            case 5 where !bytes.isEmpty: // copy a range elsewhere (repeats structures)
                let start = Int.random(in: 0 ..< bytes.count, using: &random)
                let end = Swift.min(bytes.count, start + Int.random(in: 1 ... 64, using: &random))
                bytes.insert(contentsOf: bytes[start ..< end], at: position)
            case 6: // a huge varint
                let huge: [[UInt8]] = [[0xFF, 0xFF, 0xFF, 0xFF, 0x07], [0xFF, 0xFF, 0xFF, 0xFF, 0x0F], [UInt8](repeating: 0xFF, count: 9) + [0x01], [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]]
                bytes.insert(contentsOf: huge.randomElement(using: &random)!, at: position)
            default: // truncate
                bytes.removeSubrange(position...)
            }
        }
        return bytes
    }

    /// Outcomes of one run, for the report and the sanity checks.
    struct Tally {
        var decoded = 0
        var thrown = 0
    }

    /// Whether re-encoding `metadata` can lose information: a union member this library reads
    /// as unknown under a known id — a TIME/TIMESTAMP with an unknown unit, or any LogicalType
    /// or ColumnOrder member of the wrong wire type (skipped, as Apache Thrift skips it) —
    /// encodes as the known member without its payload.
    static func hasLossyUnion(_ metadata: FileMetaData) -> Bool {
        metadata.schema.contains { element in
            if case .other(let id)? = element.logicalType { return (1 ... 15).contains(id) }
            return false
        } || (metadata.columnOrders ?? []).contains { order in
            if case .unknown(let id) = order { return (1 ... 3).contains(id) }
            return false
        }
    }

    /// Decodes `bytes` as FileMetaData; checks the round trip of what decodes.
    static func checkFooter(_ bytes: [UInt8], _ tally: inout Tally) {
        do {
            let metadata = try Footer.decodeMetadata(bytes, fileOffset: 100)
            tally.decoded += 1
            guard !hasLossyUnion(metadata) else { return }
            var writer = ThriftCompactWriter()
            metadata.write(to: &writer)
            let again = try Footer.decodeMetadata(writer.bytes)
            #expect(again == metadata)
        } catch let error as ParquetError {
            tally.thrown += 1
            if let offset = error.location.offset {
                #expect(offset >= 100 && offset <= 100 + bytes.count, "\(error)")
            }
        } catch {
            Issue.record("not a ParquetError: \(error)")
        }
    }

    /// Decodes `bytes` as a whole file; only checks that it decodes or throws a ParquetError.
    static func checkFile(_ bytes: [UInt8], _ tally: inout Tally) {
        do {
            _ = try Footer.read(from: bytes)
            tally.decoded += 1
        } catch is ParquetError {
            tally.thrown += 1
        } catch {
            Issue.record("not a ParquetError: \(error)")
        }
    }

    /// Decodes `bytes` as a page header; checks its length and its round trip.
    static func checkPageHeader(_ bytes: [UInt8], _ tally: inout Tally) {
        do {
            let (header, count) = try PageHeader.decode(from: bytes)
            tally.decoded += 1
            #expect(count > 0 && count <= bytes.count)
            #expect(try PageHeader.decode(from: header.encoded()).header == header)
        } catch is ParquetError {
            tally.thrown += 1
        } catch {
            Issue.record("not a ParquetError: \(error)")
        }
    }

    @Test("100,000+ mutated footers and page headers decode or throw, never trap")
    func mutations() throws {
        let fixtures = try FooterFixtures.all()
        var footers: [[UInt8]] = []
        var files: [[UInt8]] = []
        var pageHeaders: [[UInt8]] = []
        for fixture in fixtures {
            let metadata = try Footer.read(from: fixture.bytes)
            let range = try Footer.metadataRange(trailer: fixture.bytes.suffix(8), fileSize: fixture.bytes.count)
            let footer = Array(fixture.bytes[range])
            footers.append(footer)
            files.append(Footer.magic + footer + fixture.bytes.suffix(8))
            // A few page headers per file (dictionary, v1 and v2 data pages), with some body bytes.
            let headers = try FooterFixtures.pageHeaders(of: fixture, metadata: metadata)
            var seen: Set<[UInt8]> = []
            for (bytes, _) in headers where seen.count < 12 && seen.insert(bytes).inserted {
                pageHeaders.append(bytes + [0x03, 0x00, 0x00, 0x00])
            }
        }
        // Hand-made seeds too: every metadata struct fully populated.
        var writer = ThriftCompactWriter()
        MetadataSamples.fullFile.write(to: &writer)
        footers.append(writer.bytes)
        pageHeaders += MetadataSamples.pageHeaders.map { $0.encoded() }
        #expect(footers.count >= 10 && pageHeaders.count >= 30)

        var random = SeededGenerator(seed: 0x5EED_F007)
        var footerTally = Tally(), fileTally = Tally(), pageTally = Tally()
        let rounds = 100_000
        for round in 0 ..< rounds {
            switch round % 10 {
            case 0 ..< 4:
                Self.checkFooter(Self.mutate(footers.randomElement(using: &random)!, &random), &footerTally)
            case 4:
                Self.checkFile(Self.mutate(files.randomElement(using: &random)!, &random), &fileTally)
            default:
                Self.checkPageHeader(Self.mutate(pageHeaders.randomElement(using: &random)!, &random), &pageTally)
            }
        }
        let total = footerTally.decoded + footerTally.thrown + fileTally.decoded + fileTally.thrown + pageTally.decoded + pageTally.thrown
        #expect(total == rounds)
        // Both outcomes must be common, or the mutations are not exercising the decoders.
        for tally in [footerTally, fileTally, pageTally] {
            #expect(tally.decoded > 100)
            #expect(tally.thrown > 100)
        }
    }

    @Test("every single-byte change of a real footer decodes or throws")
    func exhaustiveByteChanges() throws {
        let fixture = try #require(try FooterFixtures.all().first { $0.name == "duckdb_default.parquet" })
        let range = try Footer.metadataRange(trailer: fixture.bytes.suffix(8), fileSize: fixture.bytes.count)
        let footer = Array(fixture.bytes[range])
        var tally = Tally()
        for position in footer.indices {
            for value in Self.interestingBytes {
                var bytes = footer
                bytes[position] = value
                Self.checkFooter(bytes, &tally)
            }
        }
        #expect(tally.decoded + tally.thrown == footer.count * Self.interestingBytes.count)
    }
}

import Testing
import Parquet

@Suite("Footer: trailer checks, reading and writing")
struct FooterTests {
    /// A file of `dataSize` filler bytes between the magic and `metadata`'s footer.
    static func file(metadata: FileMetaData, dataSize: Int = 10) throws -> [UInt8] {
        var bytes = Footer.magic + [UInt8](repeating: 0xEE, count: dataSize)
        try FooterWriter.append(metadata, to: &bytes)
        return bytes
    }

    /// A file holding raw `metadata` bytes.
    static func file(rawMetadata: [UInt8], dataSize: Int = 10) -> [UInt8] {
        let length = UInt32(rawMetadata.count)
        return Footer.magic + [UInt8](repeating: 0xEE, count: dataSize) + rawMetadata
            + [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)] + Footer.magic
    }

    /// A trailer: 4-byte little-endian length and 4 magic bytes.
    static func trailer(_ length: UInt32, _ magic: String = "PAR1") -> [UInt8] {
        [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)] + Array(magic.utf8)
    }

    @Test("the metadata range sits just before the trailer")
    func metadataRange() throws {
        #expect(try Footer.metadataRange(trailer: Self.trailer(100), fileSize: 1000) == 892 ..< 992)
        // The largest valid length leaves room for the leading magic only.
        #expect(try Footer.metadataRange(trailer: Self.trailer(88), fileSize: 100) == 4 ..< 92)
        #expect(try Footer.metadataRange(trailer: Self.trailer(0), fileSize: 12) == 4 ..< 4)
    }

    @Test("a length that points before the start is corrupt")
    func lengthBeforeStart() throws {
        for length: UInt32 in [89, 1000, UInt32.max] {
            let error = ThriftTesting.error { _ = try Footer.metadataRange(trailer: Self.trailer(length), fileSize: 100) }
            #expect(error?.code == .corrupt)
            #expect(error?.message.contains("footer length \(length) points before the start") == true)
            #expect(error?.location.offset == 92)
        }
    }

    @Test("an encrypted footer (PARE) is unsupported")
    func encryptedFooter() throws {
        let error = ThriftTesting.error { _ = try Footer.metadataRange(trailer: Self.trailer(10, "PARE"), fileSize: 100) }
        #expect(error?.code == .unsupported)
        #expect(error?.message.contains("encrypted footer") == true)
    }

    @Test("a wrong magic, a tiny file and a short trailer are rejected")
    func badTrailers() throws {
        let wrong = ThriftTesting.error { _ = try Footer.metadataRange(trailer: Self.trailer(10, "PAR2"), fileSize: 100) }
        #expect(wrong?.code == .corrupt)
        #expect(wrong?.message.contains("\"PAR2\"") == true)
        #expect(wrong?.location.offset == 96)
        let binary = ThriftTesting.error { _ = try Footer.metadataRange(trailer: [0, 0, 0, 0, 0xFF, 0, 1, 2], fileSize: 100) }
        #expect(binary?.message.contains("ff 00 01 02") == true)
        #expect(ThriftTesting.error { _ = try Footer.metadataRange(trailer: Self.trailer(0), fileSize: 11) }?.code == .corrupt)
        #expect(ThriftTesting.error { _ = try Footer.metadataRange(trailer: [1, 2, 3], fileSize: 100) }?.code == .invalidArgument)
        for size in 0 ..< 12 {
            let error = ThriftTesting.error { _ = try Footer.read(from: [UInt8](repeating: 0, count: size)) }
            #expect(error?.message.contains("too small") == true)
        }
    }

    @Test("a file must start with PAR1")
    func leadingMagic() throws {
        var bytes = try Self.file(metadata: MetadataSamples.fullFile)
        bytes[0] = UInt8(ascii: "Q")
        let error = ThriftTesting.error { _ = try Footer.read(from: bytes) }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("does not start with the Parquet magic") == true)
        #expect(error?.location.offset == 0)
    }

    @Test("written footers read back, in memory and through a read closure")
    func roundTrip() throws {
        let bytes = try Self.file(metadata: MetadataSamples.fullFile, dataSize: 1000)
        #expect(try Footer.read(from: bytes) == MetadataSamples.fullFile)
        var reads: [Range<Int>] = []
        let metadata = try Footer.read(fileSize: bytes.count) { offset, count in
            reads.append(offset ..< offset + count)
            return Array(bytes[offset ..< offset + count])
        }
        #expect(metadata == MetadataSamples.fullFile)
        #expect(reads.count == 3)
        #expect(reads[0] == bytes.count - 8 ..< bytes.count)
        #expect(!reads.contains { $0.overlaps(4 ..< 1004) }, "the column data is never read")
    }

    @Test("the writer appends metadata, its length and the magic")
    func writerLayout() throws {
        let minimal = FileMetaData(schema: [SchemaElement(name: "root", numChildren: 0)], numRows: 0, rowGroups: [])
        let footer = try FooterWriter.serialize(minimal)
        let metadata = ThriftTesting.hex("15 02 19 1c 48 04 72 6f 6f 74 15 00 00 16 00 19 0c 00")
        #expect(footer == metadata + [UInt8(metadata.count), 0, 0, 0] + Array("PAR1".utf8))
        var existing: [UInt8] = [1, 2, 3]
        let length = try FooterWriter.append(minimal, to: &existing)
        #expect(length == metadata.count)
        #expect(existing == [1, 2, 3] + footer)
    }

    @Test("decoding errors carry file offsets")
    func errorOffsets() throws {
        // A SchemaElement without a name; it starts 4 bytes into the metadata.
        let metadata = ThriftTesting.hex("15 02 19 1c 15 04 00 16 00 19 0c 00")
        let bytes = Self.file(rawMetadata: metadata, dataSize: 10)
        let error = ThriftTesting.error { _ = try Footer.read(from: bytes) }
        #expect(error?.message == "SchemaElement is missing required field 4 (name)")
        #expect(error?.location.offset == 14 + 4)
        let direct = ThriftTesting.error { _ = try Footer.decodeMetadata(metadata, fileOffset: 1_000) }
        #expect(direct?.location.offset == 1_004)
    }

    @Test("metadata that is cut short is corrupt, with an offset inside the file")
    func truncatedMetadata() throws {
        var writer = ThriftCompactWriter()
        MetadataSamples.fullFile.write(to: &writer)
        let full = writer.bytes
        for cut in stride(from: 0, to: full.count, by: 7) {
            let bytes = Self.file(rawMetadata: Array(full[..<cut]))
            let error = ThriftTesting.error { _ = try Footer.read(from: bytes) }
            #expect(error?.code == .corrupt)
            if let offset = error?.location.offset { #expect(offset >= 14 && offset <= 14 + cut) }
        }
    }

    @Test("page headers report how many bytes they took")
    func pageHeaderLength() throws {
        for header in MetadataSamples.pageHeaders {
            var bytes: [UInt8] = [9, 9]
            header.append(to: &bytes)
            #expect(Array(bytes.prefix(2)) == [9, 9])
            let body: [UInt8] = [1, 2, 3]
            let encoded = Array(bytes.dropFirst(2))
            let (decoded, count) = try PageHeader.decode(from: encoded + body)
            #expect(decoded == header)
            #expect(count == encoded.count)
            #expect(encoded == header.encoded())
        }
    }
}

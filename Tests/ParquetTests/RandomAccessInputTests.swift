import Testing
import Parquet

@Suite("Reading through a RandomAccessInput")
struct RandomAccessInputTests {
    /// Bytes in memory that answer reads the way a test asks: honestly, short, or long.
    struct ScriptedInput: RandomAccessInput {
        enum Behaviour: Sendable { case honest, short, long }
        let bytes: [UInt8]
        let behaviour: Behaviour
        let name = "scripted://file"
        var size: Int { bytes.count }

        func read(offset: Int, count: Int) throws -> [UInt8] {
            let exact = Array(bytes[offset ..< offset + count])
            switch behaviour {
            case .honest: return exact
            case .short: return Array(exact.dropLast())
            case .long: return exact + [0]
            }
        }
    }

    static func sampleFile() throws -> [UInt8] {
        let table = try Table(columns: [Column(name: "step", int64s: [0, 1, 2]), Column(name: "loss", doubles: [1, 0.5, 0.25])])
        return try ParquetWriter.encode(table)
    }

    @Test("a file read through an input equals the same file read from memory")
    func honestInput() throws {
        let bytes = try Self.sampleFile()
        let table = try ParquetReader(input: ScriptedInput(bytes: bytes, behaviour: .honest)).read()
        #expect(table == (try ParquetReader(bytes: bytes).read()))
        #expect(table.rowCount == 3)
    }

    @Test("an input that returns fewer or more bytes than asked is an error naming it, never used", arguments: [ScriptedInput.Behaviour.short, .long])
    func misbehavingInput(_ behaviour: ScriptedInput.Behaviour) throws {
        let input = ScriptedInput(bytes: try Self.sampleFile(), behaviour: behaviour)
        let error = #expect(throws: ParquetError.self) { _ = try ParquetReader(input: input).read() }
        #expect(error?.code == .io)
        #expect("\(error.map { "\($0)" } ?? "")".contains("scripted://file"))
    }
}

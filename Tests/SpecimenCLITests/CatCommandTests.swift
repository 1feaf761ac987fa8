import Foundation
import InteropSupport
import MessagePack
import Parquet
import Testing

@Suite("specimen cat")
struct CatCommandTests {
    @Test func messagePackPrintsOneJSONDocument() throws {
        let folder = try TemporaryFolder()
        let value: MessagePackValue = .map([
            (.string("nil"), .nil), (.string("t"), .bool(true)), (.string("min"), .int(Int64.min)), (.string("max"), .uint(UInt64.max)),
            (.string("f32"), .float32(1.5)), (.string("f64"), .float64(0.1)), (.string("nan"), .float64(.nan)),
            (.string("inf"), .float64(.infinity)), (.string("ninf"), .float64(-.infinity)), (.string("s"), .string("a\"b\n")),
            (.string("bin"), .binary([0, 1, 255])), (.string("arr"), .array([.int(1), .string("x")])),
            (.string("intkeys"), .map([(.int(1), .string("one"))])),
            (.string("ts"), .timestamp(MessagePackTimestamp(seconds: 1_734_689_472, nanoseconds: 500_000_000))),
            (.string("old"), .timestamp(MessagePackTimestamp(seconds: -62_167_219_201, nanoseconds: 0))),
            (.string("ext"), .ext(type: 5, data: [1, 2])),
        ])
        let path = folder.file("value.msgpack")
        try Data(value.encoded()).write(to: URL(fileURLWithPath: path))
        let result = try CLI.run(["cat", path])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stderrText.isEmpty)
        #expect(result.stdoutText == #"{"nil":null,"t":true,"min":-9223372036854775808,"max":18446744073709551615,"f32":1.5,"f64":0.1,"nan":"NaN","inf":"Infinity","ninf":"-Infinity","s":"a\"b\n","bin":{"$binary":"AAH/"},"arr":[1,"x"],"intkeys":{"$map":[[1,"one"]]},"ts":{"$timestamp":"2024-12-20T10:11:12.5Z"},"old":{"$timestamp":"-0001-12-31T23:59:59Z"},"ext":{"$ext":5,"data":"AQI="}}"# + "\n")
    }

    @Test func invalidMessagePackFailsWithNothingOnStdout() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("bad.msgpack")
        try Data([0x92, 0x01]).write(to: URL(fileURLWithPath: path))  // an array of 2 with one element
        let result = try CLI.run(["cat", path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderrText.contains(path))
    }

    private func sampleTable() throws -> Table {
        try Table(columns: [
            Column(name: "step", int64s: [0, 1, nil]),
            Column(name: "loss", doubles: [0.25, .nan, -.infinity]),
            Column(name: "f", floats: [1.5, nil, .infinity]),
            Column(name: "name", strings: ["a,b", "say \"hi\"", nil]),
            Column(name: "blob", binaries: [[0xde, 0xad], nil, []]),
            Column(name: "at", timestamps: [1_734_689_472_500_000, 0, nil], unit: .microseconds),
            Column(name: "local", timestamps: [1_500, nil, -1], unit: .milliseconds, isAdjustedToUTC: false),
            Column(name: "day", dates: [0, 19_000, nil]),
            Column(name: "ok", bools: [true, false, nil]),
        ])
    }

    @Test func parquetAsJSONLines() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("t.parquet")
        try ParquetWriter.write(sampleTable(), to: path)
        let result = try CLI.run(["cat", path, "--format", "jsonl"])
        #expect(result.status == 0, "\(result.stderrText)")
        let lines = result.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines == [
            #"{"step":0,"loss":0.25,"f":1.5,"name":"a,b","blob":{"$binary":"3q0="},"at":"2024-12-20T10:11:12.5Z","local":"1970-01-01T00:00:01.5","day":"1970-01-01","ok":true}"#,
            #"{"step":1,"loss":"NaN","f":null,"name":"say \"hi\"","blob":null,"at":"1970-01-01T00:00:00Z","local":null,"day":"2022-01-08","ok":false}"#,
            #"{"step":null,"loss":"-Infinity","f":"Infinity","name":null,"blob":{"$binary":""},"at":null,"local":"1969-12-31T23:59:59.999","day":null,"ok":null}"#,
        ])
    }

    @Test func parquetAsCSVWithColumnsAndLimit() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("t.parquet")
        try ParquetWriter.write(sampleTable(), to: path)
        let result = try CLI.run(["cat", path, "--format", "csv", "--columns", "name,step", "--limit", "2"])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText == "name,step\n\"a,b\",0\n\"say \"\"hi\"\"\",1\n")
    }

    @Test func parquetAsAlignedTable() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("t.parquet")
        try ParquetWriter.write(try sampleTable().selecting(["step", "name", "ok"]), to: path)
        let result = try CLI.run(["cat", path])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText == """
            step  name      ok
            ----  --------  -----
            0     a,b       true
            1     say "hi"  false
            null  null      null

            """)
    }

    /// A file pyarrow writes with DECIMAL on INT32 and FIXED_LEN_BYTE_ARRAY, FLOAT16 and UUID.
    private func pyarrowAnnotatedFile(in folder: TemporaryFolder) throws -> String {
        let path = folder.file("annotated.parquet")
        try Python.run(code: """
            import sys, uuid
            from decimal import Decimal
            import pyarrow as pa, pyarrow.parquet as pq
            table = pa.table({
                "price": pa.array([Decimal("-12.34"), Decimal("0.00"), None], pa.decimal128(5, 2)),
                "big": pa.array([Decimal("-9999999999999999999999999999.9999999999"), Decimal("1E-10"), None], pa.decimal128(38, 10)),
                "half": pa.array([1.5, None, float("-inf")], pa.float16()),
                "id": pa.array([uuid.UUID("123e4567-e89b-12d3-a456-426614174000").bytes, None, bytes(16)], pa.uuid()),
            })
            pq.write_table(table, sys.argv[1], store_decimal_as_integer=True)
            """, [path])
        return path
    }

    @Test func parquetDecimalUUIDAndFloat16PrintExactly() throws {
        let folder = try TemporaryFolder()
        let path = try pyarrowAnnotatedFile(in: folder)
        let jsonl = try CLI.run(["cat", path, "--format", "jsonl"])
        #expect(jsonl.status == 0, "\(jsonl.stderrText)")
        #expect(jsonl.stdoutText.split(separator: "\n").map(String.init) == [
            #"{"price":"-12.34","big":"-9999999999999999999999999999.9999999999","half":1.5,"id":"123e4567-e89b-12d3-a456-426614174000"}"#,
            #"{"price":"0.00","big":"0.0000000001","half":null,"id":null}"#,
            #"{"price":null,"big":null,"half":"-Infinity","id":"00000000-0000-0000-0000-000000000000"}"#,
        ])
        let csv = try CLI.run(["cat", path, "--format", "csv"])
        #expect(csv.stdoutText == """
            price,big,half,id
            -12.34,-9999999999999999999999999999.9999999999,1.5,123e4567-e89b-12d3-a456-426614174000
            0.00,0.0000000001,,
            ,,-Infinity,00000000-0000-0000-0000-000000000000

            """)
        let schema = try CLI.run(["schema", path])
        #expect(schema.status == 0, "\(schema.stderrText)")
        for type in ["decimal(5, 2)", "decimal(38, 10)", "float16", "uuid"] {
            #expect(schema.stdoutText.contains(type), "\(schema.stdoutText)")
        }
    }

    @Test func missingColumnAndMissingFileAreErrors() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("t.parquet")
        try ParquetWriter.write(sampleTable(), to: path)
        let unknown = try CLI.run(["cat", path, "--columns", "nope"])
        #expect(unknown.status == 1)
        #expect(unknown.stderrText.contains("no column 'nope'"))
        let missing = try CLI.run(["cat", folder.file("absent.parquet")])
        #expect(missing.status == 1)
        #expect(missing.stderrText.contains("does not exist"))
        let usage = try CLI.run(["cat", path, "--format", "xml"])
        #expect(usage.status == 64)
    }

    @Test func truncatedParquetNamesTheFile() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("t.parquet")
        let bytes = try ParquetWriter.encode(sampleTable())
        try Data(bytes.prefix(bytes.count - 9)).write(to: URL(fileURLWithPath: path))
        let result = try CLI.run(["cat", path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderrText.contains(path))
    }
}

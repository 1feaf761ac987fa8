import Parquet
import Specimens

/// A file already read whole (an appended file's chunks, concatenated), for the Parquet reader.
struct S3BytesInput: RandomAccessInput {
    let name: String
    let bytes: [UInt8]

    var size: Int { bytes.count }

    func read(offset: Int, count: Int) throws -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= bytes.count, count <= bytes.count - offset else {
            throw SpecimenError(.damaged, "bytes \(offset)..<\(offset &+ count) are outside \(name)'s \(bytes.count) bytes", path: name)
        }
        return Array(bytes[offset ..< offset + count])
    }
}

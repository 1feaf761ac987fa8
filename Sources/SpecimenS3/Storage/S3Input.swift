import Parquet

/// An object read by range GETs, for the Parquet reader (`S3Storage.openInput`): its size
/// comes from one HEAD, then each read is one range GET, checked for length.
struct S3Input: RandomAccessInput {
    let client: S3Client
    let key: String
    let name: String
    let size: Int

    func read(offset: Int, count: Int) throws -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw S3Error(.invalidRange, operation: "GetObject", bucket: client.bucket, key: key,
                          message: "bytes \(offset)..<\(offset &+ count) are outside the object's \(size) bytes")
        }
        let bytes = try client.get(key, range: offset ..< offset + count)
        guard bytes.count == count else {
            throw S3Error(.malformedResponse, operation: "GetObject", bucket: client.bucket, key: key,
                          message: "asked for \(count) bytes at \(offset), got \(bytes.count) (the object changed or was cut short)")
        }
        return bytes
    }
}

import Foundation
import SpecimenS3

/// Copies a local folder into a bucket, for tests: every file under `folder` (hidden ones too)
/// to `prefix/<relative path>`, with a plain PUT.
enum S3Upload {
    static func folder(_ folder: String, to prefix: String, client: S3Client) throws {
        let manager = FileManager.default
        guard let walker = manager.enumerator(atPath: folder) else { return }
        while let relative = walker.nextObject() as? String {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: folder + "/" + relative, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/" + relative)))
            try client.put(prefix + "/" + relative, bytes)
        }
    }

    /// A fresh temporary folder.
    static func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "specimen-s3-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

import Parquet
import SystemPackage

/// A local file opened once for the Parquet reader's byte-range reads (`pread`); closed when
/// the last reference goes.
final class LocalInput: RandomAccessInput {
    let name: String
    let size: Int
    private let descriptor: FileDescriptor

    /// Opens `path`; throws `.notFound`, `.notAFolder`-style errors as `SpecimenError`s naming it.
    init(path: String) throws {
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
        } catch let error as Errno {
            throw SpecimenError.system("open", path, errno: error.rawValue)
        }
        do {
            let info = try descriptor.stat()
            guard info.type == .regular else {
                throw SpecimenError(.damaged, "\(path) is not a regular file", path: path)
            }
            size = Int(info.size)
        } catch let error as Errno {
            try? descriptor.close()
            throw SpecimenError.system("stat", path, errno: error.rawValue)
        } catch {
            try? descriptor.close()
            throw error
        }
        self.descriptor = descriptor
        name = path
    }

    deinit {
        try? descriptor.close()
    }

    func read(offset: Int, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var total = 0
        while total < count {
            let n: Int
            do {
                n = try bytes.withUnsafeMutableBytes { buffer in
                    try descriptor.read(fromAbsoluteOffset: Int64(offset + total), into: UnsafeMutableRawBufferPointer(rebasing: buffer[total...]))
                }
            } catch let error as Errno {
                throw SpecimenError.system("read", name, errno: error.rawValue)
            }
            if n == 0 { break }
            total += n
        }
        bytes.removeSubrange(total...)
        return bytes
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file opened for random-access reads with `pread(2)`, or bytes already in memory.
package final class InputFile: @unchecked Sendable {
    private let descriptor: Int32?
    private let memory: [UInt8]
    /// The file's path (or `<memory>`), for error messages.
    package let path: String
    /// The file's size in bytes.
    package let size: Int

    /// Opens `path` for reading.
    package init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ParquetError.system("cannot open the file", path: path) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let error = ParquetError.system("cannot read the file's size", path: path)
            Glibc.close(fd)
            throw error
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            Glibc.close(fd)
            throw ParquetError(.invalidArgument, "is a folder, not a Parquet file", location: .init(file: path))
        }
        descriptor = fd
        memory = []
        self.path = path
        size = Int(info.st_size)
    }

    /// Reads from bytes in memory.
    package init(bytes: [UInt8], name: String = "<memory>") {
        descriptor = nil
        memory = bytes
        path = name
        size = bytes.count
    }

    deinit {
        if let descriptor { Glibc.close(descriptor) }
    }

    /// Reads `count` bytes at `offset`; throws when the range is outside the file.
    package func read(offset: Int, count: Int) throws -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw ParquetError(.corrupt, "a read of \(count) bytes at \(offset) reaches past the end of the \(size)-byte file",
                               location: .init(file: path, offset: offset))
        }
        guard let descriptor else { return Array(memory[offset ..< offset + count]) }
        var result = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = 0
            while initialized < count {
                let n = pread(descriptor, buffer.baseAddress! + initialized, count - initialized, off_t(offset + initialized))
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                initialized += n
            }
        }
        if result.count != count {
            let error = ParquetError.system("cannot read \(count) bytes at \(offset) (the file may have shrunk)", path: path)
            result = []
            throw error
        }
        return result
    }
}

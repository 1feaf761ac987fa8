#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto

/// Sizes and SHA-256 digests of files, read in 1 MiB chunks.
enum FileDigest {
    /// The file's size and lowercase hexadecimal SHA-256.
    static func sha256(_ path: String) throws -> (size: Int, hex: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SpecimenError.system("open", path, errno: errno) }
        defer { close(fd) }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var size = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SpecimenError.system("read", path, errno: errno)
            }
            if n == 0 { break }
            size += n
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0 ..< n])) }
        }
        return (size, hex(hasher.finalize()))
    }

    /// The size and SHA-256 of a file in `storage`: on disk as above; elsewhere read in
    /// 8 MiB range reads.
    static func sha256(_ path: String, storage: any StorageBackend) throws -> (size: Int, hex: String) {
        guard !(storage is LocalStorage) else { return try sha256(path) }
        var hasher = SHA256()
        var size = 0
        let chunk = 8 << 20
        while true {
            let bytes = try storage.read(path, range: size ..< size + chunk)
            bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            size += bytes.count
            if bytes.count < chunk { break }
        }
        return (size, hex(hasher.finalize()))
    }

    /// The SHA-256 of bytes in memory.
    static func sha256(bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The visible files under `folder` (recursively; names starting with `.` are skipped at
    /// every level), as paths relative to it, sorted. Symbolic links are listed, not followed.
    static func visibleFiles(in folder: String, excludingTopLevel excluded: Set<String> = [],
                             storage: any StorageBackend = LocalStorage.shared) -> [String] {
        var result: [String] = []
        func walk(_ relative: String) {
            let absolute = relative.isEmpty ? folder : folder + "/" + relative
            guard let names = storage.list(absolute) else { return }
            for name in names where !name.hasPrefix(".") {
                if relative.isEmpty && excluded.contains(name) { continue }
                let child = relative.isEmpty ? name : relative + "/" + name
                guard let info = storage.entry(folder + "/" + child) else { continue }
                if info.kind == .folder { walk(child) } else { result.append(child) }
            }
        }
        walk("")
        return result.sorted()
    }
}

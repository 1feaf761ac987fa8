#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `specimen export` writes as it goes: standard output, or a file that appears only when
/// complete. A file is written under a hidden temporary name in the same folder
/// (`.<name>.specimen-export-<pid>`) and linked into place at the end without replacing
/// anything (`link(2)` fails when the name exists); a failed export leaves no file behind.
///
/// ```
/// open(".<name>.specimen-export-<pid>", O_EXCL) ─ write … write ─ link(temp, name) ─ unlink(temp)
/// ```
final class ExportOutput {
    /// The file descriptor to write to (1 for standard output).
    let fileDescriptor: Int32
    /// The file named with -o, or nil for standard output.
    let path: String?
    private let temporary: String?
    private var buffer: [UInt8] = []
    private var finished = false

    /// Standard output (`path` nil) or a new temporary file beside `path`; throws when `path`
    /// exists already or the temporary file cannot be created.
    init(path: String?) throws {
        self.path = path
        guard let path else {
            fileDescriptor = 1
            temporary = nil
            return
        }
        try Self.checkFree(path)
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temporary = folder + "." + name + ".specimen-export-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CommandFailure("cannot create \(temporary): \(String(cString: strerror(errno)))", fix: "Check that the folder of \(path) exists and is writable")
        }
        fileDescriptor = fd
        self.temporary = temporary
    }

    deinit {
        guard !finished else { return }
        discard()
    }

    /// Appends bytes (buffered: handed to the system a megabyte or more at a time).
    func write(_ bytes: [UInt8]) throws {
        if bytes.count >= 1 << 20 {
            try flush()
            try writeAll(bytes)   // a large chunk: no copy into the buffer
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Hands the buffered bytes to the system.
    func flush() throws {
        try writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        var offset = 0
        try bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = Glibc.write(fileDescriptor, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw CommandFailure("cannot write \(path ?? "to standard output"): \(String(cString: strerror(errno)))", fix: "Check the free space and the permissions")
                }
                offset += n
            }
        }
    }

    /// Flushes, and for a file closes it and links it into place without replacing anything.
    func commit() throws {
        try flush()
        finished = true
        guard let path, let temporary else { return }
        defer { unlink(temporary) }
        close(fileDescriptor)
        if link(temporary, path) != 0 {
            if errno == EEXIST { throw Self.exists(path) }
            // A file system without hard links: rename, having checked the name is free.
            try Self.checkFree(path)
            guard rename(temporary, path) == 0 else {
                throw CommandFailure("cannot create \(path): \(String(cString: strerror(errno)))", fix: "Check the folder's permissions")
            }
        }
    }

    /// Removes the temporary file, if any (after a failure).
    func discard() {
        finished = true
        guard let temporary else { return }
        close(fileDescriptor)
        unlink(temporary)
    }

    private static func checkFree(_ path: String) throws {
        var info = stat()
        if lstat(path, &info) == 0 { throw exists(path) }
    }

    private static func exists(_ path: String) -> CommandFailure {
        CommandFailure("\(path) already exists", fix: "Remove it, or give another file with -o")
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hands a command that needs S3 to `specimen-s3`, which sits beside `specimen`.
enum RemoteHandoff {
    /// The executable that has S3 support.
    static let executableName = "specimen-s3"

    /// Whether the command names an `s3://` address anywhere, or SPECIMEN_ROOT is one. A false
    /// positive (say `--where 'notes contains "s3://"'`) only costs the larger executable's start.
    static func isNeeded(arguments: [String]) -> Bool {
        if let root = getenv("SPECIMEN_ROOT"), String(cString: root).hasPrefix("s3://") { return true }
        return arguments.dropFirst().contains { $0.contains("s3://") }
    }

    /// Replaces this process with `specimen-s3` and the same arguments: the one beside this
    /// executable, else the first on PATH. Returns only when neither can be run, after saying so
    /// on stderr, and then exits 1.
    static func replaceProcess(arguments: [String]) -> Never {
        let beside = ownDirectory().map { $0 + "/" + executableName }
        let argv = ([executableName] + arguments.dropFirst()).map { strdup($0) } + [nil]
        if let beside { execv(beside, argv) }
        execvp(executableName, argv)
        let reason = String(cString: strerror(errno))
        let message = "specimen: s3:// addresses are handled by \(executableName), which could not be run (\(beside ?? executableName): \(reason)). "
            + "Install \(executableName) beside specimen (swift build -c release --product \(executableName)), or put it on PATH.\n"
        message.utf8CString.withUnsafeBufferPointer { _ = write(2, $0.baseAddress, $0.count - 1) }
        exit(1)
    }

    /// The folder of this executable, from `/proc/self/exe` (Linux) or the first argument.
    private static func ownDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let path: String
        if length > 0 {
            path = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        } else if let first = CommandLine.arguments.first, first.contains("/") {
            path = first
        } else {
            return nil
        }
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return String(path[..<slash])
    }
}

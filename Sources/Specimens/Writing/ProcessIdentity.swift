#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who a process is, in a way that survives pid reuse: pid, the kernel's start time of the
/// process (field 22 of `/proc/<pid>/stat`, clock ticks since boot), the host name and the
/// boot ID (so a reboot is seen too).
struct ProcessIdentity: Equatable, Sendable {
    var pid: Int64
    var processStart: Int64?
    var host: String
    var bootID: String?

    /// The calling process.
    static let current: ProcessIdentity = ProcessIdentity(
        pid: Int64(getpid()), processStart: startTime(of: Int64(getpid())), host: hostName, bootID: bootID)

    /// This machine's host name.
    static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }()

    /// The kernel's boot ID, when it has one (Linux).
    static let bootID: String? = {
        guard let bytes = try? LocalStorage.shared.read("/proc/sys/kernel/random/boot_id", limit: 4096) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace }
        return text.isEmpty ? nil : text
    }()

    /// Field 22 (`starttime`) of `/proc/<pid>/stat`, or nil when the process does not exist or
    /// the system has no `/proc`.
    static func startTime(of pid: Int64) -> Int64? {
        guard let bytes = try? LocalStorage.shared.read("/proc/\(pid)/stat", limit: 1 << 16) else { return nil }
        // "pid (comm) state ppid …": comm may hold spaces and parentheses, so start after the
        // last ')'; the state is field 3, starttime field 22, i.e. the 20th after the ')'.
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = bytes[(close + 1)...].split(separator: UInt8(ascii: " "))
        guard fields.count >= 20 else { return nil }
        return Int64(String(decoding: fields[fields.startIndex + 19], as: UTF8.self))
    }

    /// Whether `pid` names a live process (a zombie counts as gone).
    static func isAlive(_ pid: Int64) -> Bool {
        guard pid > 0, pid <= Int64(Int32.max) else { return false }
        if kill(pid_t(pid), 0) != 0 && errno != EPERM { return false }
        #if os(Linux)
        if let bytes = try? LocalStorage.shared.read("/proc/\(pid)/stat", limit: 1 << 16),
           let close = bytes.lastIndex(of: UInt8(ascii: ")")), close + 2 < bytes.count,
           bytes[close + 2] == UInt8(ascii: "Z") || bytes[close + 2] == UInt8(ascii: "X")
        {
            return false
        }
        #endif
        return true
    }
}

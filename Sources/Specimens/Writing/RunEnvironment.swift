import Foundation
import MessagePack
import Parallel

/// What a run records about where it ran: git state, host, runtime, protocol, command line.
/// Gathered once per run, at creation; nothing here is on the logging path.
enum RunEnvironment {
    /// `{hostname, os, arch, cpus}`.
    static let host: MessagePackValue = {
        #if os(Linux)
        let os = "linux"
        #elseif os(macOS)
        let os = "macos"
        #else
        let os = "unknown"
        #endif
        #if arch(x86_64)
        let arch = "x86_64"
        #elseif arch(arm64)
        let arch = "arm64"
        #else
        let arch = "unknown"
        #endif
        return .map([
            ("hostname", .string(ProcessIdentity.hostName)),
            ("os", .string(os)),
            ("os_version", .string(ProcessInfo.processInfo.operatingSystemVersionString)),
            ("arch", .string(arch)),
            ("cpus", .int(Int64(ProcessInfo.processInfo.activeProcessorCount))),
        ])
    }()

    /// `{swift, specimen}`: the compiler that built the library and the library's version.
    static let runtime: MessagePackValue = {
        #if compiler(>=6.4)
        let swift = "6.4+"
        #elseif compiler(>=6.3)
        let swift = "6.3"
        #elseif compiler(>=6.2)
        let swift = "6.2"
        #elseif compiler(>=6.1)
        let swift = "6.1"
        #else
        let swift = "6.0"
        #endif
        return .map([("language", "swift"), ("swift", .string(swift)), ("specimen", .string(specimenVersion))])
    }()

    private static let gitCache = Lock()
    nonisolated(unsafe) private static var gitByFolder: [String: MessagePackValue?] = [:]

    /// `{commit, branch, dirty}` when `folder` is inside a git work tree and git is installed;
    /// one `git status` call per folder per process.
    static func git(for folder: String) -> MessagePackValue? {
        if let cached = gitCache.withLock({ gitByFolder[folder] }) { return cached }
        let value = runGit(in: folder)
        gitCache.withLock { gitByFolder[folder] = value }
        return value
    }

    private static func runGit(in folder: String) -> MessagePackValue? {
        guard GitCommand.mayBeInRepository(folder),
              let result = GitCommand.run(["status", "--porcelain=v2", "--branch", "--untracked-files=no"], in: folder, limit: 16 << 20),
              result.status == 0 else { return nil }
        let data = result.output
        var commit: String?
        var branch: String?
        var dirty = false
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            if line.hasPrefix("# branch.oid ") {
                let oid = String(line.dropFirst("# branch.oid ".count))
                commit = oid == "(initial)" ? nil : oid
            } else if line.hasPrefix("# branch.head ") {
                let head = String(line.dropFirst("# branch.head ".count))
                branch = head == "(detached)" ? nil : head
            } else if !line.hasPrefix("#") {
                dirty = true
            }
        }
        return .map([
            ("commit", commit.map { .string($0) } ?? .nil),
            ("branch", branch.map { .string($0) } ?? .nil),
            ("dirty", .bool(dirty)),
        ])
    }

    /// `{path, sha256}` of the specimen's `protocol.*` file, if there is one (the first by name).
    static func protocolFile(in specimen: String) -> MessagePackValue? {
        guard let names = LocalStorage.shared.list(specimen) else { return nil }
        guard let name = names.filter({ $0.hasPrefix("protocol.") && $0.count > "protocol.".count }).sorted().first,
              let digest = try? FileDigest.sha256(specimen + "/" + name)
        else { return nil }
        return .map([("path", .string(name)), ("sha256", .string(digest.hex))])
    }

    /// The command line, as an array of strings.
    static var command: MessagePackValue { .array(CommandLine.arguments.map { .string($0) }) }
}

import Foundation
import MessagePack

/// The running executable's path and SHA-256, hashed once per process.
enum ExecutableIdentity {
    /// `{path, sha256}` of this process's executable, or nil when it cannot be read.
    static let current: MessagePackValue? = {
        #if os(Linux)
        let path = LocalStorage.shared.resolved("/proc/self/exe")
        #else
        let path = LocalStorage.shared.resolved(Bundle.main.executablePath ?? CommandLine.arguments.first ?? "")
        #endif
        guard !path.isEmpty, let digest = try? FileDigest.sha256(path) else { return nil }
        return .map([("path", .string(path)), ("sha256", .string(digest.hex))])
    }()
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Runs `git` with arguments in a folder and collects its stdout, up to a limit.
///
/// Spawned with `posix_spawn` and reaped with `waitpid`, not through Foundation's `Process`:
/// on Linux, `Process.waitUntilExit()` looks at the child every 50 ms, so each git call cost
/// `specimen run` about 50 ms of waiting (two or three calls per run).
enum GitCommand {
    /// Whether `folder` may be inside a git repository: it or a folder above it holds a `.git`
    /// entry (a folder, or a file pointing elsewhere), or `GIT_DIR` names a repository. When
    /// false, git could only answer "not a git repository", so callers do not start it (each
    /// start costs `specimen run` about 10 ms). Git itself may still find no repository where
    /// this says true (a ceiling, another file system): it is the one to ask then.
    static func mayBeInRepository(_ folder: String) -> Bool {
        if getenv("GIT_DIR") != nil { return true }
        var path = LocalStorage.shared.resolved(folder)
        if !path.hasPrefix("/") { path = FileManager.default.currentDirectoryPath + "/" + path }
        var status = stat()
        while true {
            if lstat(path + "/.git", &status) == 0 { return true }
            guard let slash = path.lastIndex(of: "/"), path != "/" else { return false }
            path = slash == path.startIndex ? "/" : String(path[..<slash])
        }
    }

    /// The exit status, the output (at most `limit` bytes), and whether there was more; nil
    /// when git cannot be started.
    static func run(_ arguments: [String], in folder: String, limit: Int) -> (status: Int32, output: [UInt8], truncated: Bool)? {
        let candidates = ["/usr/bin/git", "/usr/local/bin/git", "/opt/homebrew/bin/git", "/bin/git"]
        guard let git = candidates.first(where: { access($0, X_OK) == 0 }) else { return nil }
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_OPTIONAL_LOCKS"] = "0"
        environment["LC_ALL"] = "C"
        environment["GIT_PAGER"] = "cat"

        var out: [Int32] = [0, 0]
        guard pipe(&out) == 0 else { return nil }
        _ = fcntl(out[0], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, out[1])
        let request = SpawnRequest(arguments: [git, "-C", folder] + arguments, environment: environment, defaultSignals: [SIGPIPE])
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, git, &actions, &request.attributes, request.argv, request.envp)
        close(out[1])
        guard spawned == 0 else {
            close(out[0])
            return nil
        }
        // Everything is read (past the limit too, and dropped), so git never blocks on a full pipe.
        var output: [UInt8] = []
        var truncated = false
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(out[0], $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            if output.count + count > limit { truncated = true } else if !truncated { output += buffer[0 ..< count] }
        }
        close(out[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return nil }
        }
        let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (code, truncated ? [] : output, truncated)
    }
}

import Dispatch
import Foundation
import Parallel

/// A progress line on stderr for work that turns out to take more than a second: nothing is
/// printed when the work finishes sooner, or when stderr is not a terminal.
///
/// `@unchecked Sendable`: `shown` and `done` are only touched while holding `lock`.
final class Progress: @unchecked Sendable {
    private let lock = Lock()
    private var shown = false
    private var done = false
    private let message: String

    /// Starts the clock for `message` (e.g. "reading 1000 runs").
    init(_ message: String) {
        self.message = message
        guard isatty(2) != 0 else { return }
        DispatchQueue.global().asyncAfter(deadline: .now() + 1) { [self] in
            lock.lock()
            defer { lock.unlock() }
            guard !done else { return }
            shown = true
            FileHandle.standardError.write(Data("specimen: \(message)…\r".utf8))
        }
    }

    /// Ends the work; clears the line if it was shown.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        done = true
        if shown { FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: message.count + 12) + "\r").utf8)) }
    }
}

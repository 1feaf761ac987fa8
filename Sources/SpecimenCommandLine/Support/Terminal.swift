#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Facts about where output goes: whether stdout is a terminal, its width, whether to colour.
enum Terminal {
    /// Whether standard output is a terminal (asked once: a process's stdout does not change,
    /// and a listing of 1,000 runs asks for every row).
    static let isInteractive: Bool = isatty(STDOUT_FILENO) != 0

    /// The terminal's width in columns: `$COLUMNS`, else the window size, else 80; nil when
    /// standard output is not a terminal (nothing to truncate to).
    static var width: Int? {
        guard isInteractive else { return nil }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    /// Whether to colour output: only on a terminal, and never when `NO_COLOR` is set.
    static let useColor: Bool = isInteractive && getenv("NO_COLOR") == nil
}

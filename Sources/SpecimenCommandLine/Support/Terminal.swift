#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Facts about where output goes: whether stdout is a terminal, its width, whether to colour.
enum Terminal {
    /// Whether standard output is a terminal.
    static var isInteractive: Bool { isatty(STDOUT_FILENO) != 0 }

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
    static var useColor: Bool {
        isInteractive && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }
}

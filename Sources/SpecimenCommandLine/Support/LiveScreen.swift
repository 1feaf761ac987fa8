#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The signal that asked a live screen to end (0: none yet), and whether the window changed
/// size; written by the signal handler, so kept in plain memory allocated before it is installed.
nonisolated(unsafe) private let liveSignals: UnsafeMutablePointer<sig_atomic_t> = {
    let pointer = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: 2)
    pointer[0] = 0   // SIGINT, SIGTERM or SIGHUP received
    pointer[1] = 0   // SIGWINCH received
    return pointer
}()

/// The terminal used as one screen redrawn in place (`specimen view --follow`): the alternate
/// screen with the cursor hidden while it lives, each frame drawn from the top-left corner with
/// every line cleared to its end, nothing scrolled. Ctrl-C (SIGINT), SIGTERM and SIGHUP end
/// `pause` instead of the process, so `restore()` always puts the terminal back as it was.
///
/// ```swift
/// let screen = LiveScreen()
/// defer { screen.restore() }
/// repeat { screen.draw(lines) } while screen.pause(1)
/// ```
final class LiveScreen {
    private var restored = false

    /// Switches to the alternate screen, hides the cursor, and catches the ending signals.
    init() {
        liveSignals[0] = 0
        liveSignals[1] = 0
        for number in [SIGINT, SIGTERM, SIGHUP, SIGWINCH] {
            var action = sigaction()
            #if canImport(Darwin)
            action.__sigaction_u.__sa_handler = LiveScreen.handler
            #else
            action.__sigaction_handler.sa_handler = LiveScreen.handler
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0   // no SA_RESTART: a signal ends the pause at once
            sigaction(number, &action, nil)
        }
        write("\u{1B}[?1049h\u{1B}[?25l\u{1B}[H\u{1B}[2J")
    }

    deinit { restore() }

    /// The window's size: columns (at least 20) and rows (at least 5).
    var size: (columns: Int, rows: Int) {
        var window = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0 else { return (Terminal.width ?? 80, 24) }
        return (Swift.max(20, Int(window.ws_col)), Swift.max(5, Int(window.ws_row)))
    }

    /// Draws `lines` (already fitted to the width) over the previous frame; lines past the
    /// window's height are left out.
    func draw(_ lines: [String]) {
        let height = size.rows
        var frame = "\u{1B}[H"
        for (index, line) in lines.prefix(height).enumerated() {
            frame += line + "\u{1B}[K"
            if index < Swift.min(lines.count, height) - 1 { frame += "\r\n" }
        }
        frame += "\u{1B}[J"
        write(frame)
    }

    /// Sleeps `seconds`, or until a signal arrives; false when one asked to end.
    func pause(_ seconds: Double) -> Bool {
        if liveSignals[0] != 0 { return false }
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0, errno == EINTR {
            if liveSignals[0] != 0 { return false }
            if liveSignals[1] != 0 { liveSignals[1] = 0; return true }   // resized: redraw now
            request = remaining
        }
        return liveSignals[0] == 0
    }

    /// Shows the cursor and leaves the alternate screen (the terminal as it was); restores the
    /// default signal handling. Calling it again does nothing.
    func restore() {
        guard !restored else { return }
        restored = true
        write("\u{1B}[?25h\u{1B}[?1049l")
        for number in [SIGINT, SIGTERM, SIGHUP, SIGWINCH] { signal(number, SIG_DFL) }
    }

    private func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buffer in
                #if canImport(Glibc)
                Glibc.write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                #else
                Darwin.write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                #endif
            }
            if n < 0 { if errno == EINTR { continue } else { return } }
            offset += n
        }
    }

    /// The handler: records the signal, nothing else (async-signal-safe).
    private static let handler: @convention(c) (Int32) -> Void = { number in
        if number == SIGWINCH { liveSignals[1] = 1 } else { liveSignals[0] = number }
    }
}

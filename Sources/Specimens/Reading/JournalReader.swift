import MessagePack

/// Reads a journal (see `Journal`) back into rows, stopping cleanly at the first torn or
/// corrupt frame (``JournalTail`` reads one as it grows).
struct JournalReader {
    /// What a journal held up to its first bad frame.
    struct Contents {
        var rows = MetricBuffers()
        /// The header record, if present.
        var header: MessagePackValue?
        /// Update records (notes, tags), in order.
        var updates: [MessagePackValue] = []
        /// How far `metrics.jsonl` was ingested into this journal (the last lines record).
        var lines: LinesProgress?
        /// Frames read intact.
        var frames = 0
        /// Bytes after the last intact frame (a torn write, or damage).
        var trailingBytes = 0
        /// Problems met inside intact frames.
        var warnings: [String] = []
    }

    /// Replays `bytes` (a whole journal file named `name`).
    static func read(_ bytes: [UInt8], name: String) -> Contents {
        var tail = JournalTail()
        bytes.withUnsafeBytes { tail.consume($0, name: name) }
        return tail.contents
    }
}

extension CommandFailure {
    /// A failure saying what happened (naming the path) and what to do next.
    init(_ message: String, fix: String?) {
        guard let fix else { self.init(message); return }
        self.init(message + (message.hasSuffix(".") ? " " : ". ") + fix)
    }
}

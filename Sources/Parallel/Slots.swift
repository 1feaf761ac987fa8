/// Results filled in from several threads, one index each, and read once they are done.
///
/// `@unchecked Sendable`: `storage` is only read or written while holding `lock`.
public final class Slots<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = Lock()

    /// `count` empty slots.
    public init(count: Int) { storage = Array(repeating: nil, count: count) }

    /// Fills slot `index`.
    public func set(_ index: Int, _ value: T) { lock.withLock { storage[index] = value } }

    /// Every slot, nil where nothing was set.
    public var values: [T?] { lock.withLock { storage } }
}

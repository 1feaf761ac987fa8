import Foundation

/// Results filled in from several threads, one index each.
final class Slots<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()

    /// `count` empty slots.
    init(count: Int) { storage = Array(repeating: nil, count: count) }

    /// Fills slot `index`.
    func set(_ index: Int, _ value: T) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    /// Every slot.
    var values: [T?] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}

/// The bytes of one encoded column chunk, as pieces to write in order: ranges of its own
/// buffer (page headers, levels, encoded or compressed bodies) and ranges of the table's value
/// arrays, which a PLAIN page of fixed-width values without nulls stores unchanged when it is
/// not compressed (on a little-endian host).
///
/// ```
/// pieces:  [header₁][levels₁][values₁ → column memory][header₂][levels₂][values₂ → …] …
/// buffer:  header₁ levels₁ header₂ levels₂ …
/// ```
/// Borrowing the values spares two copies of every byte of a noisy floating column (into the
/// page body, then into the chunk) and the fresh memory they would fill; the file's bytes are
/// the same.
package struct ChunkBytes: Sendable {
    /// One piece of the chunk.
    package enum Piece: Sendable {
        /// `buffer[range]`.
        case own(Range<Int>)
        /// Bytes `range` of `sources[source]`'s values.
        case borrowed(source: Int, range: Range<Int>)
    }

    /// The bytes the chunk owns; pieces refer to ranges of it.
    package var buffer: [UInt8] = []
    /// The pieces, in file order.
    package private(set) var pieces: [Piece] = []
    /// The value arrays borrowed pieces point into, held so they outlive the chunk.
    package private(set) var sources: [ColumnValues] = []
    /// The chunk's size in bytes: the sum of its pieces.
    package private(set) var count = 0
    /// The segment whose values `sources.last` is.
    private var sourceSegment = -1

    /// The most value arrays one chunk borrows from. `withBuffers` opens them one inside the
    /// other, so a row group gathered from thousands of small tables must not borrow from each:
    /// past this many, pages copy their values as usual.
    package static let maxSources = 64

    /// An empty chunk.
    package init() {}

    /// Whether a page of segment `segment` may borrow its values: that segment already lends
    /// to this chunk, or fewer than `maxSources` do.
    package func canBorrow(segment: Int) -> Bool {
        segment == sourceSegment || sources.count < Self.maxSources
    }

    /// Appends `buffer[range]` as the next piece.
    package mutating func appendPiece(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        if case .own(let last) = pieces.last, last.upperBound == range.lowerBound {
            pieces[pieces.count - 1] = .own(last.lowerBound ..< range.upperBound)
        } else {
            pieces.append(.own(range))
        }
        count += range.count
    }

    /// Appends `bytes` to the buffer and as the next piece.
    package mutating func append(_ bytes: UnsafeRawBufferPointer) {
        let start = buffer.count
        buffer.append(contentsOf: bytes)
        appendPiece(start ..< buffer.count)
    }

    /// Appends bytes `range` of `values` (fixed-width values) as the next piece, without
    /// copying them.
    package mutating func appendBorrowed(_ values: ColumnValues, bytes range: Range<Int>, segment: Int) {
        guard !range.isEmpty else { return }
        // One source per segment of the chunk: a new segment adds its values once.
        if segment != sourceSegment {
            sources.append(values)
            sourceSegment = segment
        }
        pieces.append(.borrowed(source: sources.count - 1, range: range))
        count += range.count
    }

    /// Moves the pieces of `other`, which borrows nothing (a dictionary page), in front of
    /// this chunk's, appending its buffer to this one's.
    package mutating func prepend(_ other: ChunkBytes) {
        assert(other.sources.isEmpty, "a prepended chunk holds only its own bytes")
        let shift = buffer.count
        buffer.append(contentsOf: other.buffer)
        let moved: [Piece] = other.pieces.map { piece in
            guard case .own(let range) = piece else { return piece }
            return .own(range.lowerBound + shift ..< range.upperBound + shift)
        }
        pieces.insert(contentsOf: moved, at: 0)
        count += other.count
    }

    /// Calls `body` with the pieces as buffers, in file order; the pointers are valid only
    /// inside `body`.
    package func withBuffers<R>(_ body: ([UnsafeRawBufferPointer]) throws -> R) rethrows -> R {
        try buffer.withUnsafeBytes { own in
            try withSources(from: 0, bases: []) { bases in
                try body(pieces.map { piece in
                    switch piece {
                    case .own(let range): UnsafeRawBufferPointer(rebasing: own[range])
                    case .borrowed(let source, let range): UnsafeRawBufferPointer(rebasing: bases[source][range])
                    }
                })
            }
        }
    }

    /// Opens `sources[index...]` one inside the other and calls `body` with all their bytes.
    private func withSources<R>(from index: Int, bases: [UnsafeRawBufferPointer], _ body: ([UnsafeRawBufferPointer]) throws -> R) rethrows -> R {
        guard index < sources.count else { return try body(bases) }
        return try sources[index].withUnsafeFixedWidthBytes { raw in
            try withSources(from: index + 1, bases: bases + [raw], body)
        }
    }

    /// All the chunk's bytes in one array (for tests and in-memory use).
    package var joined: [UInt8] {
        withBuffers { buffers in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(count)
            for buffer in buffers { bytes.append(contentsOf: buffer) }
            return bytes
        }
    }
}

extension ColumnValues {
    /// Calls `body` with the raw bytes of fixed-width values (empty for booleans and byte
    /// arrays, which are never borrowed).
    func withUnsafeFixedWidthBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch self {
        case .int32(let v): try v.withUnsafeBytes(body)
        case .int64(let v): try v.withUnsafeBytes(body)
        case .float(let v): try v.withUnsafeBytes(body)
        case .double(let v): try v.withUnsafeBytes(body)
        case .bool, .bytes: try body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
    }
}

/// Names and doubles zipped into the `(key, value)` pairs `MetricBuffers.append` takes, without
/// building an array of pairs (the fast path for rows of doubles).
struct NamedDoubles: RandomAccessCollection {
    let names: UnsafeBufferPointer<String>
    let values: UnsafeBufferPointer<Double>

    var startIndex: Int { 0 }
    var endIndex: Int { names.count }

    @inline(__always) subscript(position: Int) -> (key: String, value: MetricValue) {
        (names[position], .double(values[position]))
    }
}

/// The growing storage of a column while its pages are decoded (also used for a chunk's
/// dictionary). Values arrive densely — one per non-null row — and are spread over the rows
/// by the definition levels, in place.
package struct ColumnOutput {
    let type: ColumnType
    private var bools: [Bool] = []
    private var int32s: [Int32] = []
    private var int64s: [Int64] = []
    private var floats: [Float] = []
    private var doubles: [Double] = []
    private var bytes = ByteArrays()
    private var scratch = ByteArrays()
    private var validity: Validity?
    /// The number of rows decoded so far.
    package private(set) var rows = 0

    /// Storage for a column of `type`, with room for `capacity` rows.
    package init(type: ColumnType, capacity claimed: Int) {
        self.type = type
        // Claims come from the file; reserve at most 1 Mi rows up front and grow from there.
        let capacity = min(claimed, 1 << 20)
        switch type.storage {
        case .bool: bools.reserveCapacity(capacity); HugePages.adviseReserved(&bools)
        case .int32: int32s.reserveCapacity(capacity); HugePages.adviseReserved(&int32s)
        case .int64: int64s.reserveCapacity(capacity); HugePages.adviseReserved(&int64s)
        case .float: floats.reserveCapacity(capacity); HugePages.adviseReserved(&floats)
        case .double: doubles.reserveCapacity(capacity); HugePages.adviseReserved(&doubles)
        case .bytes: bytes.reserveCapacity(values: capacity, bytes: 0)
        }
    }

    /// Appends `count` PLAIN values, none null (a dictionary page's contents).
    package mutating func appendDense(physical: PhysicalType, typeLength: Int, plain: UnsafeRawBufferPointer, count: Int) throws {
        try append(encoding: .plain, physical: physical, typeLength: typeLength, plain, nonNull: count, levels: nil, rows: count)
    }

    /// Appends `rows` rows whose `nonNull` values are encoded in `values`; `levels` (nil when no
    /// row is null) holds one definition level per row, 1 for a value and 0 for a null.
    package mutating func append(encoding: Encoding, physical: PhysicalType, typeLength: Int, _ values: UnsafeRawBufferPointer,
                                 nonNull: Int, levels: UnsafeBufferPointer<UInt32>?, rows count: Int) throws {
        if encoding == .plain {
            // PLAIN values take at least this many bytes; check before growing any storage.
            let minimum = physical == .boolean ? (nonNull + 7) / 8
                : physical == .byteArray ? nonNull.multipliedReportingOverflow(by: 4).partialValue
                : nonNull.multipliedReportingOverflow(by: Self.plainWidth(physical, typeLength)).partialValue
            guard minimum >= 0, minimum <= values.count else {
                throw ParquetError.corrupt("the page holds \(values.count) bytes of PLAIN values, too few for \(nonNull) values of type \(physical)")
            }
        }
        switch (type.storage, physical) {
        case (.bool, _):
            try Self.fill(&bools, zero: false, rows: count, nonNull: nonNull, levels: levels) { dest in
                switch encoding {
                case .plain: _ = try PlainDecoder.decodeBooleans(values, into: dest)
                case .rle:
                    var (decoder, _) = try RLEHybridDecoder.lengthPrefixed(values, bitWidth: 1)
                    try decoder.decodeBooleans(into: dest)
                default: throw Self.unsupported(encoding, physical)
                }
            }
        case (.int32, _):
            try Self.fill(&int32s, zero: 0, rows: count, nonNull: nonNull, levels: levels) { dest in
                try Self.decodeFixed(encoding, physical, values, into: dest)
            }
        case (.int64, .int96):
            try Self.fill(&int64s, zero: 0, rows: count, nonNull: nonNull, levels: levels) { dest in
                guard encoding == .plain else { throw Self.unsupported(encoding, physical) }
                try PlainDecoder.decodeInt96(values, into: dest, microseconds: type == .timestamp(.microseconds, isAdjustedToUTC: false))
            }
        case (.int64, _):
            try Self.fill(&int64s, zero: 0, rows: count, nonNull: nonNull, levels: levels) { dest in
                try Self.decodeFixed(encoding, physical, values, into: dest)
            }
        case (.float, _):
            try Self.fill(&floats, zero: 0, rows: count, nonNull: nonNull, levels: levels) { dest in
                try Self.decodeFixed(encoding, physical, values, into: dest)
            }
        case (.double, _):
            try Self.fill(&doubles, zero: 0, rows: count, nonNull: nonNull, levels: levels) { dest in
                try Self.decodeFixed(encoding, physical, values, into: dest)
            }
        case (.bytes, _):
            if levels == nil {
                try Self.decodeBytes(encoding, physical, typeLength, values, count: nonNull, into: &bytes)
            } else {
                scratch.removeAll()
                try Self.decodeBytes(encoding, physical, typeLength, values, count: nonNull, into: &scratch)
                spreadBytes(scratch, levels: levels!, rows: count) { $0 }
            }
        }
        appendValidity(levels, rows: count)
    }

    /// Appends `rows` rows whose non-null values are `dictionary` entries chosen by `indices`.
    package mutating func appendGathered(from dictionary: ColumnOutput, indices: UnsafeBufferPointer<UInt32>,
                                         levels: UnsafeBufferPointer<UInt32>?, rows count: Int) throws {
        var largest: UInt32 = 0
        for index in indices where index > largest { largest = index }
        if !indices.isEmpty, Int(largest) >= dictionary.rows {
            throw ParquetError.corrupt("dictionary index \(largest) is out of range: the dictionary has \(dictionary.rows) values")
        }
        func gather<T>(_ source: [T], _ dest: UnsafeMutableBufferPointer<T>) {
            source.withUnsafeBufferPointer { source in
                for k in 0 ..< dest.count { dest[k] = source[Int(indices[k])] }
            }
        }
        switch type.storage {
        case .bool: Self.fill(&bools, zero: false, rows: count, nonNull: indices.count, levels: levels) { gather(dictionary.bools, $0) }
        case .int32: Self.fill(&int32s, zero: 0, rows: count, nonNull: indices.count, levels: levels) { gather(dictionary.int32s, $0) }
        case .int64: Self.fill(&int64s, zero: 0, rows: count, nonNull: indices.count, levels: levels) { gather(dictionary.int64s, $0) }
        case .float: Self.fill(&floats, zero: 0, rows: count, nonNull: indices.count, levels: levels) { gather(dictionary.floats, $0) }
        case .double: Self.fill(&doubles, zero: 0, rows: count, nonNull: indices.count, levels: levels) { gather(dictionary.doubles, $0) }
        case .bytes:
            if let levels {
                spreadBytes(dictionary.bytes, levels: levels, rows: count) { Int(indices[$0]) }
            } else {
                bytes.append(gathering: indices, from: dictionary.bytes)
            }
        }
        appendValidity(levels, rows: count)
    }

    /// Appends `rows` byte values: the row holding the n-th non-null value gets
    /// `source[pick(n)]`; null rows get an empty placeholder.
    private mutating func spreadBytes(_ source: ByteArrays, levels: UnsafeBufferPointer<UInt32>, rows count: Int, pick: (Int) -> Int) {
        var next = 0
        for row in 0 ..< count {
            if levels[row] != 0 {
                bytes.append(valueAt: pick(next), of: source)
                next += 1
            } else {
                bytes.appendEmpty()
            }
        }
    }

    private mutating func appendValidity(_ levels: UnsafeBufferPointer<UInt32>?, rows count: Int) {
        rows += count
        guard let levels else {
            validity?.append(repeating: true, count: count)
            return
        }
        if validity == nil {
            var all = Validity(count: 0)
            all.reserveCapacity(max(rows, count))
            all.append(repeating: true, count: rows - count)
            validity = all
        }
        for level in levels { validity!.append(level != 0) }
    }

    /// Grows `array` by `count` rows: `decode` fills the first `nonNull` new slots densely, and
    /// the values are then moved right to their rows (walking backwards, so in place).
    private static func fill<T>(_ array: inout [T], zero: T, rows count: Int, nonNull: Int, levels: UnsafeBufferPointer<UInt32>?,
                                _ decode: (UnsafeMutableBufferPointer<T>) throws -> Void) rethrows {
        let base = array.count
        array.append(contentsOf: repeatElement(zero, count: count))
        try array.withUnsafeMutableBufferPointer { buffer in
            let dest = UnsafeMutableBufferPointer(rebasing: buffer[base ..< base + count])
            try decode(UnsafeMutableBufferPointer(rebasing: dest[0 ..< nonNull]))
            guard let levels, nonNull < count else { return }
            var source = nonNull - 1
            var row = count - 1
            while row > source {
                if levels[row] != 0 {
                    dest[row] = dest[source]
                    source -= 1
                } else {
                    dest[row] = zero
                }
                row -= 1
            }
        }
    }

    private static func decodeFixed<T: PlainFixedWidthValue>(_ encoding: Encoding, _ physical: PhysicalType, _ values: UnsafeRawBufferPointer,
                                                             into dest: UnsafeMutableBufferPointer<T>) throws {
        switch encoding {
        case .plain: _ = try PlainDecoder.decode(values, into: dest)
        default: try decodeOtherFixed(encoding, physical, values, into: dest)
        }
    }

    private static func decodeBytes(_ encoding: Encoding, _ physical: PhysicalType, _ typeLength: Int, _ values: UnsafeRawBufferPointer,
                                    count: Int, into output: inout ByteArrays) throws {
        switch (encoding, physical) {
        case (.plain, .fixedLenByteArray):
            _ = try PlainDecoder.decodeFixedLenByteArrays(values, count: count, typeLength: typeLength, into: &output)
        case (.plain, _):
            _ = try PlainDecoder.decodeByteArrays(values, count: count, into: &output)
        default:
            try decodeOtherBytes(encoding, physical, typeLength, values, count: count, into: &output)
        }
    }

    private static func plainWidth(_ physical: PhysicalType, _ typeLength: Int) -> Int {
        switch physical {
        case .boolean, .byteArray: 0
        case .int32, .float: 4
        case .int64, .double: 8
        case .int96: 12
        case .fixedLenByteArray: max(0, typeLength)
        }
    }

    static func unsupported(_ encoding: Encoding, _ physical: PhysicalType) -> ParquetError {
        ParquetError.unsupported("values of physical type \(physical) encoded as \(encoding)")
    }

    /// The finished column, cut to `limit` rows.
    package mutating func finish(name: String, rows limit: Int) -> Column {
        let values: ColumnValues
        switch type.storage {
        case .bool: values = .bool(Array(bools.prefix(limit)))
        case .int32: values = .int32(Array(int32s.prefix(limit)))
        case .int64: values = .int64(Array(int64s.prefix(limit)))
        case .float: values = .float(Array(floats.prefix(limit)))
        case .double: values = .double(Array(doubles.prefix(limit)))
        case .bytes:
            if bytes.count > limit {
                var cut = ByteArrays()
                for index in 0 ..< limit { cut.append(valueAt: index, of: bytes) }
                values = .bytes(cut)
            } else {
                values = .bytes(bytes)
            }
        }
        var cutValidity = validity
        if let full = validity, full.count > limit {
            var prefix = Validity(count: 0)
            for index in 0 ..< limit { prefix.append(full.isValid(index)) }
            cutValidity = prefix
        }
        return Column(unchecked: name, type: type, values: values, validity: cutValidity)
    }
}

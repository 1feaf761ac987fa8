/// Value encodings beyond PLAIN and dictionary: DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY,
/// DELTA_BYTE_ARRAY and BYTE_STREAM_SPLIT (what DuckDB's V2 writer and pyarrow's
/// `column_encoding` produce).
extension ColumnOutput {
    static func decodeOtherFixed<T: PlainFixedWidthValue>(_ encoding: Encoding, _ physical: PhysicalType, _ values: UnsafeRawBufferPointer,
                                                          into dest: UnsafeMutableBufferPointer<T>) throws {
        switch encoding {
        case .deltaBinaryPacked:
            var decoder = try DeltaBinaryPackedDecoder(values)
            guard decoder.totalCount >= dest.count else {
                throw ParquetError.corrupt("the DELTA_BINARY_PACKED values hold \(decoder.totalCount) values but the page needs \(dest.count)")
            }
            if let target = dest as? UnsafeMutableBufferPointer<Int64> {
                try decoder.decode(into: target)
            } else if let target = dest as? UnsafeMutableBufferPointer<Int32> {
                try decoder.decode(into: target)
            } else {
                throw unsupported(encoding, physical)
            }
        case .byteStreamSplit:
            try ByteStreamSplitDecoder.decode(values, into: dest)
        default:
            throw unsupported(encoding, physical)
        }
    }

    static func decodeOtherBytes(_ encoding: Encoding, _ physical: PhysicalType, _ typeLength: Int, _ values: UnsafeRawBufferPointer,
                                 count: Int, into output: inout ByteArrays) throws {
        switch (encoding, physical) {
        case (.deltaLengthByteArray, .byteArray):
            _ = try DeltaLengthByteArrayDecoder.decode(values, count: count, into: &output)
        case (.deltaByteArray, .byteArray):
            _ = try DeltaByteArrayDecoder.decode(values, count: count, into: &output)
        case (.deltaByteArray, .fixedLenByteArray):
            _ = try DeltaByteArrayDecoder.decode(values, count: count, into: &output, fixedLength: typeLength)
        case (.byteStreamSplit, .fixedLenByteArray):
            try ByteStreamSplitDecoder.decodeFixedLenByteArrays(values, count: count, typeLength: typeLength, into: &output)
        default:
            throw unsupported(encoding, physical)
        }
    }
}

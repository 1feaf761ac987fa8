/// Value encodings beyond PLAIN and dictionary: DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY,
/// DELTA_BYTE_ARRAY and BYTE_STREAM_SPLIT.
extension ColumnOutput {
    static func decodeOtherFixed<T: PlainFixedWidthValue>(_ encoding: Encoding, _ physical: PhysicalType, _ values: UnsafeRawBufferPointer,
                                                          into dest: UnsafeMutableBufferPointer<T>) throws {
        throw unsupported(encoding, physical)
    }

    static func decodeOtherBytes(_ encoding: Encoding, _ physical: PhysicalType, _ typeLength: Int, _ values: UnsafeRawBufferPointer,
                                 count: Int, into output: inout ByteArrays) throws {
        throw unsupported(encoding, physical)
    }
}

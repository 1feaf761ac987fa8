/// A fixed-width value stored little-endian in PLAIN and BYTE_STREAM_SPLIT pages:
/// `Int32`, `Int64`, `Float` and `Double`.
///
/// ```
/// Int32 1 = 01 00 00 00     Double 1.0 = 00 00 00 00 00 00 f0 3f
/// ```
package protocol PlainFixedWidthValue: BitwiseCopyable, Equatable {
    /// The zero value.
    init()
    /// Reads a value from `byteCount`-wide little-endian bytes at `source` (any alignment).
    static func loadLittleEndian(from source: UnsafeRawPointer) -> Self
    /// Writes the value as little-endian bytes at `destination` (any alignment).
    func storeLittleEndian(to destination: UnsafeMutableRawPointer)
    /// The value's bits, zero-extended to 64 bits; equal bit patterns mean equal dictionary entries.
    var bitPattern64: UInt64 { get }
}

extension Int32: PlainFixedWidthValue {
    /// Reads a little-endian `Int32`.
    @inline(__always) package static func loadLittleEndian(from source: UnsafeRawPointer) -> Int32 {
        Int32(littleEndian: source.loadUnaligned(as: Int32.self))
    }
    /// Writes the value little-endian.
    @inline(__always) package func storeLittleEndian(to destination: UnsafeMutableRawPointer) {
        destination.storeBytes(of: littleEndian, as: Int32.self)
    }
    /// The value's bits.
    @inline(__always) package var bitPattern64: UInt64 { UInt64(UInt32(bitPattern: self)) }
}

extension Int64: PlainFixedWidthValue {
    /// Reads a little-endian `Int64`.
    @inline(__always) package static func loadLittleEndian(from source: UnsafeRawPointer) -> Int64 {
        Int64(littleEndian: source.loadUnaligned(as: Int64.self))
    }
    /// Writes the value little-endian.
    @inline(__always) package func storeLittleEndian(to destination: UnsafeMutableRawPointer) {
        destination.storeBytes(of: littleEndian, as: Int64.self)
    }
    /// The value's bits.
    @inline(__always) package var bitPattern64: UInt64 { UInt64(bitPattern: self) }
}

extension Float: PlainFixedWidthValue {
    /// Reads a little-endian IEEE 754 single.
    @inline(__always) package static func loadLittleEndian(from source: UnsafeRawPointer) -> Float {
        Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(as: UInt32.self)))
    }
    /// Writes the value little-endian.
    @inline(__always) package func storeLittleEndian(to destination: UnsafeMutableRawPointer) {
        destination.storeBytes(of: bitPattern.littleEndian, as: UInt32.self)
    }
    /// The value's bits (so -0.0 and 0.0, and NaNs with different payloads, are distinct).
    @inline(__always) package var bitPattern64: UInt64 { UInt64(bitPattern) }
}

extension Double: PlainFixedWidthValue {
    /// Reads a little-endian IEEE 754 double.
    @inline(__always) package static func loadLittleEndian(from source: UnsafeRawPointer) -> Double {
        Double(bitPattern: UInt64(littleEndian: source.loadUnaligned(as: UInt64.self)))
    }
    /// Writes the value little-endian.
    @inline(__always) package func storeLittleEndian(to destination: UnsafeMutableRawPointer) {
        destination.storeBytes(of: bitPattern.littleEndian, as: UInt64.self)
    }
    /// The value's bits (so -0.0 and 0.0, and NaNs with different payloads, are distinct).
    @inline(__always) package var bitPattern64: UInt64 { bitPattern }
}

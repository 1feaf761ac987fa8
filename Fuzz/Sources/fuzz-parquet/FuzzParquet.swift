// What the Parquet fuzz target does with one input (Main.swift holds libFuzzer's entry points).
// Thrown errors are expected on most inputs; only traps, crashes and sanitizer reports are
// findings. Tests/ParquetTests/FuzzTarget links this file, so CI replays the seeds and every
// committed crasher through exactly this code.
import Parquet

/// Limits small enough that a claimed huge page, footer or value count is rejected with an
/// error instead of being allocated (inputs are at most 64 KiB).
func fuzzOptions(verifyChecksums: Bool) -> ReadOptions {
    var options = ReadOptions()
    options.maxPageSize = 1 << 20
    options.maxFooterSize = 1 << 20
    options.maxValuesPerPage = 1 << 16
    options.verifyChecksums = verifyChecksums
    return options
}

/// Reads every value of every column.
func touch(_ table: Table, into hasher: inout Hasher) {
    hasher.combine(table.rowCount)
    for column in table.columns {
        hasher.combine(column.name)
        hasher.combine(column.count)
        hasher.combine(column.nullCount)
        for index in 0 ..< column.count {
            let value = column[index]
            hasher.combine(value)
            hasher.combine(value.description)
        }
    }
}

/// What the target does with one input: ``fuzzOne(_:verifyChecksums:)`` without checksum
/// verification, then with it.
func fuzzOne(_ bytes: [UInt8]) {
    fuzzOne(bytes, verifyChecksums: false)
    fuzzOne(bytes, verifyChecksums: true)
}

/// Opens the bytes, reads the metadata, the whole file, each row group and each column alone.
func fuzzOne(_ bytes: [UInt8], verifyChecksums: Bool) {
    var hasher = Hasher()
    guard let reader = try? ParquetReader(bytes: bytes, name: "fuzz", options: fuzzOptions(verifyChecksums: verifyChecksums)) else { return }
    hasher.combine(String(describing: reader.metadata))
    hasher.combine(reader.rowCount)
    hasher.combine(reader.nestedColumns)
    for field in reader.schema.fields { hasher.combine(String(describing: field)) }
    for pair in reader.keyValueMetadata { hasher.combine(String(describing: pair)) }
    if let table = try? reader.read() { touch(table, into: &hasher) }
    if let table = try? reader.read(limit: 3) { touch(table, into: &hasher) }
    for group in 0 ..< reader.rowGroupCount {
        if let table = try? reader.readRowGroup(group) { touch(table, into: &hasher) }
    }
    for field in reader.schema.fields {
        if let table = try? reader.read(columns: [field.name]) { touch(table, into: &hasher) }
    }
    _ = hasher.finalize()
}

// Helpers for errors found while decoding Thrift metadata.

extension ParquetError {
    /// The error for a required field that a struct lacks, e.g.
    /// "FileMetaData is missing required field 3 (num_rows)".
    package static func missingField(_ structName: String, _ id: Int16, _ fieldName: String, offset: Int) -> ParquetError {
        .corrupt("\(structName) is missing required field \(id) (\(fieldName))", offset: offset)
    }

    /// A copy whose byte offset is moved by `base`: turns an offset relative to a buffer into one
    /// relative to the file holding it (an unknown offset becomes `base`).
    package func shifted(by base: Int) -> ParquetError {
        var copy = self
        let (sum, overflow) = (location.offset ?? 0).addingReportingOverflow(base)
        copy.location.offset = overflow ? nil : sum
        return copy
    }
}

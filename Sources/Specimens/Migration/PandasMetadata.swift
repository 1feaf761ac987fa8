import Foundation

/// Rewrites the `pandas` key-value entry of a legacy metrics file so that it describes the
/// migrated file, which has a `run_id` string column in front.
///
/// The entry is JSON: `{index_columns, column_indexes, columns: [{name, field_name,
/// pandas_type, numpy_type, metadata}], creator, pandas_version, attrs?}`. pandas and pyarrow
/// look columns up by `field_name`, so adding one entry for `run_id` is enough; everything
/// else (the index, time zones, the column index) stays as the legacy writer recorded it.
enum PandasMetadata {
    /// The rewritten JSON, or nil when the entry is not the JSON object pandas writes (then it
    /// is dropped rather than kept describing another schema).
    static func addingRunID(to json: String) -> String? {
        guard let data = json.data(using: .utf8),
              var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              var columns = object["columns"] as? [Any]
        else { return nil }
        let exists = columns.contains { ($0 as? [String: Any])?["field_name"] as? String == "run_id" }
        if !exists {
            let entry: [String: Any] = [
                "name": "run_id", "field_name": "run_id", "pandas_type": "unicode", "numpy_type": "object",
                "metadata": NSNull(),
            ]
            columns.insert(entry, at: 0)
        }
        object["columns"] = columns
        guard let out = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return nil }
        return String(decoding: out, as: UTF8.self)
    }
}

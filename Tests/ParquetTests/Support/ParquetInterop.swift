import Foundation
import InteropSupport
import Parquet

/// A Python library the interop tests read Parquet files with.
enum InteropLibrary: String, CaseIterable, Sendable, CustomStringConvertible {
    case pyarrow, polars, duckdb, fastparquet, pandas

    var description: String { rawValue }
}

/// Tables with more rows than this are compared by digest, not value by value (the scripts
/// get `--digest-above` with it; `parquet_fixtures.py` uses the same number).
let interopDigestAbove = 20_000

/// What one run of `parquet_dump.py` printed for one file.
struct DumpedFile {
    /// Per library, the canonical table it read or the error it raised.
    var tables: [InteropLibrary: Result<CanonicalTable, CanonicalTableError>]
    /// The Parquet schema description (`--schema`), or nil when not asked for.
    var schema: InteropJSON?
}

/// Runs `Tests/InteropScripts/parquet_dump.py`.
enum ParquetDump {
    /// Reads every file with every library in one Python process. Throws when Python, a
    /// library or the script fails as a whole; a library that fails on one file is recorded
    /// as that file's error.
    static func run(_ files: [String], libraries: [InteropLibrary], schema: Bool = false,
                    digestAbove: Int? = interopDigestAbove, asStored: Bool = false,
                    columns: [String]? = nil) throws -> [String: DumpedFile] {
        var arguments = files + ["--batch", "--with", libraries.map(\.rawValue).joined(separator: ",")]
        if let columns { arguments += ["--columns", columns.joined(separator: ",")] }
        if schema { arguments.append("--schema") }
        if let digestAbove { arguments += ["--digest-above", String(digestAbove)] }
        if asStored { arguments.append("--as-stored") }
        let output = try Python.run("parquet_dump.py", arguments)
        let document = try InteropJSON.parse(output)
        guard let entries = document["files"]?.arrayValue else {
            throw CanonicalTableError(description: "parquet_dump.py printed no files: \(String(document.description.prefix(300)))")
        }
        var result: [String: DumpedFile] = [:]
        for entry in entries {
            guard let path = entry["path"]?.stringValue else { continue }
            var dumped = DumpedFile(tables: [:], schema: entry["schema"])
            for library in libraries {
                guard let json = entry["tables"]?[library.rawValue] else {
                    dumped.tables[library] = .failure(CanonicalTableError(description: "no result from \(library)"))
                    continue
                }
                do {
                    dumped.tables[library] = .success(try CanonicalTable(json: json))
                } catch let error as CanonicalTableError {
                    dumped.tables[library] = .failure(error)
                } catch {
                    dumped.tables[library] = .failure(CanonicalTableError(description: "\(error)"))
                }
            }
            result[path] = dumped
        }
        return result
    }
}

/// Temporary folders that live as long as the test process (shared, generated once) and are
/// removed when it exits — unless `SPECIMEN_KEEP_INTEROP_FILES` is set, for looking at the
/// files after a failure (each folder's path is then printed on standard error).
final class ProcessLifetimeFolders: @unchecked Sendable {
    static let shared = ProcessLifetimeFolders()

    private let lock = NSLock()
    private var folders: [TemporaryFolder] = []

    private init() {
        atexit { ProcessLifetimeFolders.shared.removeAll() }
    }

    /// A new temporary folder, removed at exit.
    func make() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        lock.withLock { folders.append(folder) }
        if keep { FileHandle.standardError.write(Data("interop files kept in \(folder.path)\n".utf8)) }
        return folder
    }

    private let keep = !(ProcessInfo.processInfo.environment["SPECIMEN_KEEP_INTEROP_FILES"] ?? "").isEmpty

    private func removeAll() {
        if keep {
            // TemporaryFolder removes itself on deinit; these are never released, and exit
            // does not run deinitialisers, so the files stay.
            return
        }
        let all = lock.withLock { () -> [TemporaryFolder] in
            defer { folders.removeAll() }
            return folders
        }
        for folder in all { try? FileManager.default.removeItem(at: folder.url) }
    }
}

extension InteropJSON {
    /// Parses the JSON file at `path`.
    static func parse(contentsOf path: String) throws -> InteropJSON {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CanonicalTableError(description: "cannot read \(path)")
        }
        return try parse([UInt8](data))
    }
}

/// A failure while preparing shared interop inputs (generating fixtures, writing files),
/// kept as text so it can be stored in a `static let` and reported by every test that needs it.
struct InteropSetupError: Error, CustomStringConvertible, Sendable {
    var description: String
}

extension Result where Failure == InteropSetupError {
    /// Runs `body`, keeping its value or its error's description.
    static func capturing(_ body: () throws -> Success) -> Result<Success, InteropSetupError> {
        do { return .success(try body()) } catch { return .failure(InteropSetupError(description: "\(error)")) }
    }
}

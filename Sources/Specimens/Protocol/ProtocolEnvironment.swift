import Foundation

/// The environment a protocol runs in: the one home of the `SPECIMEN_*` variable names and of
/// `metrics.jsonl`, the file through which a protocol in any language logs rows.
///
/// ```swift
/// var environment = ProcessInfo.processInfo.environment
/// environment.merge(ProtocolEnvironment.variables(runFolder: "/abs/specimens/x/runs/20260101_120000",
///                                                 runID: id, paramsJSON: "{}", specimenFolder: "/abs/specimens/x")) { $1 }
/// ```
public enum ProtocolEnvironment {
    /// `SPECIMEN_RUN_DIR`: the absolute folder of the run the protocol belongs to.
    public static let runDirectory = "SPECIMEN_RUN_DIR"
    /// `SPECIMEN_RUN_ID`: the run's ID.
    public static let runID = "SPECIMEN_RUN_ID"
    /// `SPECIMEN_METRICS`: the file to which the protocol appends one JSON object per line.
    public static let metrics = "SPECIMEN_METRICS"
    /// `SPECIMEN_PARAMS`: the run's params, one JSON object.
    public static let params = "SPECIMEN_PARAMS"
    /// `SPECIMEN_SPECIMEN`: the absolute folder of the specimen (the protocol's working folder).
    public static let specimen = "SPECIMEN_SPECIMEN"
    /// The name of the metrics file in the run folder, `metrics.jsonl`.
    public static let metricsFileName = RunFolder.metricsLines
    /// The name of the protocol's captured stdout and stderr in the run folder, `output.log`.
    public static let outputLogName = "output.log"

    /// The variables `specimen run` sets for a protocol, all paths absolute.
    public static func variables(runFolder: String, runID: RunID, paramsJSON: String, specimenFolder: String) -> [String: String] {
        [
            runDirectory: runFolder,
            self.runID: runID.rawValue,
            metrics: runFolder + "/" + metricsFileName,
            params: paramsJSON,
            specimen: specimenFolder,
        ]
    }

    /// The whole environment of a protocol: this process's, with the variables above, and
    /// `PYTHONUNBUFFERED=1` unless set (so Python's output passes through live).
    static func environment(runFolder: String, runID: RunID, paramsJSON: String, specimenFolder: String) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in variables(runFolder: runFolder, runID: runID, paramsJSON: paramsJSON, specimenFolder: specimenFolder) {
            environment[key] = value
        }
        if environment["PYTHONUNBUFFERED"] == nil { environment["PYTHONUNBUFFERED"] = "1" }
        return environment
    }

    /// `path` made absolute against the current folder.
    public static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        let base = FileManager.default.currentDirectoryPath
        return path == "." ? base : base + "/" + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
    }
}

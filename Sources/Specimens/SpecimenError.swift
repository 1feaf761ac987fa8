#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// The one error type of the store: what happened, where (the specimen, run or file path),
/// what to do next, and the underlying error when there is one.
///
/// ```swift
/// do { _ = try SpecimenStorage(at: "specimens/mnist") }
/// catch let error as SpecimenError where error.code == .notAFolder {
///     print(error)   // "…/runs is a file, not a folder. Move or rename it, then try again."
/// }
/// ```
public struct SpecimenError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is; stable, for code that reacts to errors. A struct over a
    /// private enum, so adding a code breaks no client.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case invalidName, notAFolder, notFound, fileSystem, alreadyExists, runIDsExhausted, runSealed, runNotSealed, typeMismatch, damaged, metrics, params, noRuns
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A name (specimen, run ID, column, option) is not valid.
        public static let invalidName = Code(.invalidName)
        /// A path that should be a folder is a file or something else.
        public static let notAFolder = Code(.notAFolder)
        /// The specimen or run does not exist.
        public static let notFound = Code(.notFound)
        /// The file system refused an operation (permissions, space, I/O).
        public static let fileSystem = Code(.fileSystem)
        /// A file exists where a new one was to be created; nothing was replaced.
        public static let alreadyExists = Code(.alreadyExists)
        /// All 100 run IDs of one second are taken.
        public static let runIDsExhausted = Code(.runIDsExhausted)
        /// The run is sealed (or being sealed): its files can no longer change.
        public static let runSealed = Code(.runSealed)
        /// The run is not sealed yet, so what was asked needs a sealed run.
        public static let runNotSealed = Code(.runNotSealed)
        /// A value's type clashes with the column's type.
        public static let typeMismatch = Code(.typeMismatch)
        /// A file of the run (manifest, metrics, journal, marker) is corrupt or foreign.
        public static let damaged = Code(.damaged)
        /// The run's metrics could not be encoded or decoded.
        public static let metrics = Code(.metrics)
        /// The parameters could not be encoded.
        public static let params = Code(.params)
        /// Nothing matched (e.g. no sealed run with metrics).
        public static let noRuns = Code(.noRuns)

        /// The code's name, e.g. `notFound`.
        public var description: String {
            switch value {
            case .invalidName: "invalidName"
            case .notAFolder: "notAFolder"
            case .notFound: "notFound"
            case .fileSystem: "fileSystem"
            case .alreadyExists: "alreadyExists"
            case .runIDsExhausted: "runIDsExhausted"
            case .runSealed: "runSealed"
            case .runNotSealed: "runNotSealed"
            case .typeMismatch: "typeMismatch"
            case .damaged: "damaged"
            case .metrics: "metrics"
            case .params: "params"
            case .noRuns: "noRuns"
            }
        }
    }

    /// Where a failure happened: the path concerned and, when one is concerned, the run.
    public struct Location: Hashable, Sendable {
        /// The file or folder concerned.
        public var path: String?
        /// The run concerned.
        public var run: RunID?

        /// Creates a location; both fields default to unknown.
        public init(path: String? = nil, run: RunID? = nil) {
            self.path = path
            self.run = run
        }
    }

    /// What kind of failure this is.
    public var code: Code
    /// What happened, naming the path or column concerned.
    public var message: String
    /// Where it happened.
    public var location: Location
    /// What to do next, when there is something to do.
    public var recovery: String?
    /// The error that caused this one, if any.
    public var underlying: (any Error & Sendable)?

    /// The path concerned, when there is one (`location.path`).
    public var path: String? {
        get { location.path }
        set { location.path = newValue }
    }

    /// Creates an error.
    public init(_ code: Code, _ message: String, path: String? = nil, run: RunID? = nil, recovery: String? = nil,
                underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.location = Location(path: path, run: run)
        self.recovery = recovery
        self.underlying = underlying
    }

    /// The message, what to do next and the underlying error, in one line.
    public var description: String {
        var text = message
        if let recovery { text += ". " + recovery }
        if let underlying { text += " (\(underlying))" }
        return text
    }
}

extension SpecimenError {
    /// An error for a failed system call on `path`, with errno's text.
    static func system(_ operation: String, _ path: String, errno code: Int32, recovery: String? = nil) -> SpecimenError {
        let reason = String(cString: strerror(code))
        let hint: String?
        switch code {
        case EACCES, EPERM: hint = recovery ?? "Check that you may write there (ls -ld the folder; chmod or choose another root)"
        case ENOSPC: hint = recovery ?? "The disk is full; free some space and try again"
        case EROFS: hint = recovery ?? "The file system is read-only; choose a writable folder"
        case ENOTDIR: hint = recovery ?? "A file stands where a folder is needed on that path; move it away"
        default: hint = recovery
        }
        return SpecimenError(.fileSystem, "cannot \(operation) \(path): \(reason)", path: path, recovery: hint, underlying: Errno(rawValue: code))
    }
}


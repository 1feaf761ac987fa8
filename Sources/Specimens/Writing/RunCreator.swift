#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import MessagePack

/// Creates specimens and runs on disk.
enum RunCreator {
    /// Letters, digits, `.`, `_`, `-`; not empty, not starting with `.`.
    static func isValidSpecimenName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first != UInt8(ascii: ".") else { return false }
        return name.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)
                || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
        }
    }

    /// Creates the specimen's folder, `manifest.msgpack`, `field_notes.md` and `runs/` when
    /// missing. Safe when many processes do it at once: each piece is created exclusively and
    /// "already there" is success. On disk the parent folders are created too; other storage
    /// has no folders to create.
    static func ensureSpecimen(_ folder: String, storage: any StorageBackend = LocalStorage.shared) throws {
        let local = storage is LocalStorage
        let name = String((local ? LocalStorage.shared.resolved(folder) : folder).split(separator: "/").last ?? "")
        let given = String(folder.split(separator: "/").last ?? "")
        guard isValidSpecimenName(given == "." || given == ".." ? name : given) else {
            throw SpecimenError(.invalidName, "'\(given)' is not a valid specimen name: use letters, digits, '.', '_' and '-', not starting with '.'", path: folder)
        }
        // Parents first (mkdir -p), then the specimen itself.
        var prefix = folder.hasPrefix("/") ? "" : "."
        for component in folder.split(separator: "/") where local {
            prefix += "/" + component
            if component == "." || component == ".." { continue }
            try LocalStorage.shared.createFolder(prefix)
        }
        let manifestPath = folder + "/" + RunFolder.manifest
        if !storage.exists(manifestPath) {
            let manifest = SpecimenManifest(name: name, createdAt: Timestamps.iso(microseconds: currentMicroseconds()))
            do { try storage.create(manifestPath, manifest.encoded()) } catch let error as SpecimenError where error.code == .alreadyExists {}
        }
        let notesPath = folder + "/" + RunFolder.fieldNotes
        if !storage.exists(notesPath) {
            let text = "# \(name)\n\nField notes shared by every run of this specimen.\n"
            do { try storage.create(notesPath, Array(text.utf8)) } catch let error as SpecimenError where error.code == .alreadyExists {}
        }
        try storage.createFolder(folder + "/" + RunFolder.runs)
    }

    /// Takes the next free run ID by exclusive `mkdir` (``StorageBackend/claimFolder(_:)``)
    /// and starts writing the run. Source snapshots, git state and the protocol file are
    /// recorded for specimens on the local disk only (they describe the local working folder).
    static func create(specimen: Specimen, params: MessagePackValue, options: SpecimenStorage.Options, runID: RunID?) throws -> ActiveRun {
        let runs = specimen.runsPath
        let storage = specimen.storage
        guard storage.isFolder(runs) || !specimen.isLocal else {
            if storage.exists(runs) {
                throw SpecimenError(.notAFolder, "\(runs) is a file, not a folder", path: runs,
                                    recovery: "Move or rename that file; the runs of a specimen live in its runs/ folder")
            }
            try storage.createFolder(runs)
            return try create(specimen: specimen, params: params, options: options, runID: runID)
        }
        let flushInterval = try resolvedFlushInterval(options, storage: storage)
        let id: RunID
        if let runID {
            guard try storage.claimFolder(runs + "/" + runID.rawValue) else {
                throw SpecimenError(.alreadyExists, "run \(runID) already exists in \(runs)", path: runs + "/" + runID.rawValue,
                                    recovery: "Choose another run ID, or let the store pick one")
            }
            id = runID
        } else {
            id = try takeNextID(in: runs, storage: storage)
        }
        let folder = runs + "/" + id.rawValue
        let started = currentMicroseconds()
        // Provenance describes local files: the specimen's own folder, or the local copy of a
        // specimen kept elsewhere that `specimen run` runs its protocol in.
        var provenance: [(key: MessagePackValue, value: MessagePackValue)] = []
        var localSpecimen: Specimen?
        if specimen.isLocal {
            localSpecimen = specimen
            provenance = SourceSnapshot.record(runFolder: folder, runID: id, specimen: specimen, options: options)
        } else if let mirror = options.localMirror {
            let local = Specimen(unchecked: mirror)
            localSpecimen = local
            _ = try? LocalStorage.shared.createFolder(local.runsPath)
            _ = try? LocalStorage.shared.createFolder(local.runPath(id))
            provenance = SourceSnapshot.record(runFolder: local.runPath(id), runID: id, specimen: local, options: options)
        }
        let header = makeHeader(id: id, specimen: specimen, params: params, options: options, started: started, joined: false,
                                extra: provenance, localSpecimen: localSpecimen)
        let run = try ActiveRun(id: id, folder: folder, storage: storage, specimenName: specimen.name, joined: false, flushInterval: flushInterval,
                                header: header, startedMicros: started, journalName: RunFolder.journal,
                                retainedValues: options.retainedValues, sealBatchRows: options.sealBatchRows)
        run.startFlusher()
        return run
    }

    /// The flush interval in effect: the option, else `$SPECIMEN_FLUSH_INTERVAL` (seconds), else
    /// the storage's default; throws when the one chosen is not a positive finite number.
    static func resolvedFlushInterval(_ options: SpecimenStorage.Options, storage: any StorageBackend,
                                      environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Double {
        if let interval = options.flushInterval {
            guard interval > 0, interval.isFinite else {
                throw SpecimenError(.invalidName, "flushInterval must be a positive number of seconds, not \(interval)")
            }
            return interval
        }
        if let text = environment["SPECIMEN_FLUSH_INTERVAL"], !text.isEmpty {
            guard let interval = Double(text.trimmingCharacters(in: .whitespaces)), interval > 0, interval.isFinite else {
                throw SpecimenError(.invalidName, "SPECIMEN_FLUSH_INTERVAL must be a positive number of seconds, not '\(text)'",
                                    recovery: "Set SPECIMEN_FLUSH_INTERVAL to a number of seconds such as 10, or unset it")
            }
            return interval
        }
        return storage.defaultFlushInterval
    }

    /// Joins run `id` (owned by `specimen run`) with a journal of this process's own.
    static func join(specimen: Specimen, id: RunID, params: MessagePackValue, options: SpecimenStorage.Options) throws -> ActiveRun {
        let folder = specimen.runPath(id)
        let started = currentMicroseconds()
        let header = makeHeader(id: id, specimen: specimen, params: params, options: options, started: started, joined: true)
        var name = RunFolder.journal + "-\(getpid())"
        var attempt = 0
        while specimen.storage.exists(folder + "/" + name) {
            attempt += 1
            name = RunFolder.journal + "-\(getpid())-\(attempt)"
        }
        let run = try ActiveRun(id: id, folder: folder, storage: specimen.storage, specimenName: specimen.name, joined: true,
                                flushInterval: try resolvedFlushInterval(options, storage: specimen.storage),
                                header: header, startedMicros: started, journalName: name,
                                retainedValues: 0)   // never sealed by this process: its rows need not stay in memory
        run.startFlusher()
        return run
    }

    /// `mkdir runs/<second>`, then `_01` … `_99` on collision; the next second when all 100
    /// are taken (rare: 100 runs started within one second).
    static func takeNextID(in runs: String, storage: any StorageBackend = LocalStorage.shared) throws -> RunID {
        for _ in 0 ..< 5 {
            let now = currentMicroseconds() / 1_000_000
            for index in 0 ... 99 {
                let id = RunID(seconds: now, index: index)
                if try storage.claimFolder(runs + "/" + id.rawValue) { return id }
            }
            // All 100 IDs of this second are taken: wait for the next second.
            let wait = 1_000_000 - currentMicroseconds() % 1_000_000
            usleep(UInt32(Swift.max(1000, wait)))
        }
        throw SpecimenError(.runIDsExhausted, "every run ID of the last seconds is taken in \(runs)", path: runs,
                            recovery: "Start fewer than 100 runs per second in one specimen")
    }

    /// The journal's header. `localSpecimen`: the local folder whose git state and protocol file
    /// describe the run (the specimen itself when it is on the local disk; nil: none).
    static func makeHeader(id: RunID, specimen: Specimen, params: MessagePackValue, options: SpecimenStorage.Options,
                           started: Int64, joined: Bool, extra: [(key: MessagePackValue, value: MessagePackValue)] = [],
                           localSpecimen: Specimen? = nil) -> MessagePackValue
    {
        var pairs: [(key: MessagePackValue, value: MessagePackValue)] = [
            ("run_id", .string(id.rawValue)),
            ("started_at", .int(started)),
            ("params", params),
            ("command", RunEnvironment.command),
            ("pid", .int(Int64(getpid()))),
            ("joined", .bool(joined)),
            ("host", RunEnvironment.host),
            ("runtime", RunEnvironment.runtime),
        ]
        if !joined, let local = localSpecimen ?? (specimen.isLocal ? specimen : nil) {
            if options.recordGit, !extra.contains(where: { $0.key == "git" }), let git = RunEnvironment.git(for: local.path) {
                pairs.append(("git", git))
            }
            if !extra.contains(where: { $0.key == "protocol" }), let protocolFile = RunEnvironment.protocolFile(in: local.path) {
                pairs.append(("protocol", protocolFile))
            }
        }
        return .map(pairs + extra)
    }
}

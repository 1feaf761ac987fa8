#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
    /// "already there" is success.
    static func ensureSpecimen(_ folder: String) throws {
        let name = String(LocalStorage.shared.resolved(folder).split(separator: "/").last ?? "")
        let given = String(folder.split(separator: "/").last ?? "")
        guard isValidSpecimenName(given == "." || given == ".." ? name : given) else {
            throw SpecimenError(.invalidName, "'\(given)' is not a valid specimen name: use letters, digits, '.', '_' and '-', not starting with '.'", path: folder)
        }
        // Parents first (mkdir -p), then the specimen itself.
        var prefix = folder.hasPrefix("/") ? "" : "."
        for component in folder.split(separator: "/") {
            prefix += "/" + component
            if component == "." || component == ".." { continue }
            try LocalStorage.shared.createFolder(prefix)
        }
        let manifestPath = folder + "/" + RunFolder.manifest
        if !LocalStorage.shared.exists(manifestPath) {
            let manifest = SpecimenManifest(name: name, createdAt: Timestamps.iso(microseconds: currentMicroseconds()))
            do { try LocalStorage.shared.create(manifestPath, manifest.encoded()) } catch let error as SpecimenError where error.code == .alreadyExists {}
        }
        let notesPath = folder + "/" + RunFolder.fieldNotes
        if !LocalStorage.shared.exists(notesPath) {
            let text = "# \(name)\n\nField notes shared by every run of this specimen.\n"
            do { try LocalStorage.shared.create(notesPath, Array(text.utf8)) } catch let error as SpecimenError where error.code == .alreadyExists {}
        }
        try LocalStorage.shared.createFolder(folder + "/" + RunFolder.runs)
    }

    /// Takes the next free run ID by exclusive `mkdir` and starts writing the run.
    static func create(specimen: Specimen, params: MessagePackValue, options: SpecimenStorage.Options, runID: RunID?) throws -> ActiveRun {
        let runs = specimen.runsPath
        guard LocalStorage.shared.isFolder(runs) else {
            if LocalStorage.shared.exists(runs) {
                throw SpecimenError(.notAFolder, "\(runs) is a file, not a folder", path: runs,
                                    recovery: "Move or rename that file; the runs of a specimen live in its runs/ folder")
            }
            try LocalStorage.shared.createFolder(runs)
            return try create(specimen: specimen, params: params, options: options, runID: runID)
        }
        guard options.flushInterval > 0, options.flushInterval.isFinite else {
            throw SpecimenError(.invalidName, "flushInterval must be a positive number of seconds, not \(options.flushInterval)")
        }
        let id: RunID
        if let runID {
            guard try LocalStorage.shared.claimFolder(runs + "/" + runID.rawValue) else {
                throw SpecimenError(.alreadyExists, "run \(runID) already exists in \(runs)", path: runs + "/" + runID.rawValue,
                                    recovery: "Choose another run ID, or let the store pick one")
            }
            id = runID
        } else {
            id = try takeNextID(in: runs)
        }
        let folder = runs + "/" + id.rawValue
        let started = currentMicroseconds()
        let provenance = SourceSnapshot.record(runFolder: folder, runID: id, specimen: specimen, options: options)
        let header = makeHeader(id: id, specimen: specimen, params: params, options: options, started: started, joined: false,
                                extra: provenance)
        let run = try ActiveRun(id: id, folder: folder, specimenName: specimen.name, joined: false, flushInterval: options.flushInterval,
                                header: header, startedMicros: started, journalName: RunFolder.journal)
        run.startFlusher()
        return run
    }

    /// Joins run `id` (owned by `specimen run`) with a journal of this process's own.
    static func join(specimen: Specimen, id: RunID, params: MessagePackValue, options: SpecimenStorage.Options) throws -> ActiveRun {
        let folder = specimen.runPath(id)
        let started = currentMicroseconds()
        let header = makeHeader(id: id, specimen: specimen, params: params, options: options, started: started, joined: true)
        var name = RunFolder.journal + "-\(getpid())"
        var attempt = 0
        while LocalStorage.shared.exists(folder + "/" + name) {
            attempt += 1
            name = RunFolder.journal + "-\(getpid())-\(attempt)"
        }
        let run = try ActiveRun(id: id, folder: folder, specimenName: specimen.name, joined: true, flushInterval: options.flushInterval,
                                header: header, startedMicros: started, journalName: name)
        run.startFlusher()
        return run
    }

    /// `mkdir runs/<second>`, then `_01` … `_99` on collision; the next second when all 100
    /// are taken (rare: 100 runs started within one second).
    static func takeNextID(in runs: String) throws -> RunID {
        for _ in 0 ..< 5 {
            let now = currentMicroseconds() / 1_000_000
            for index in 0 ... 99 {
                let id = RunID(seconds: now, index: index)
                if try LocalStorage.shared.claimFolder(runs + "/" + id.rawValue) { return id }
            }
            // All 100 IDs of this second are taken: wait for the next second.
            let wait = 1_000_000 - currentMicroseconds() % 1_000_000
            usleep(UInt32(Swift.max(1000, wait)))
        }
        throw SpecimenError(.runIDsExhausted, "every run ID of the last seconds is taken in \(runs)", path: runs,
                            recovery: "Start fewer than 100 runs per second in one specimen")
    }

    static func makeHeader(id: RunID, specimen: Specimen, params: MessagePackValue, options: SpecimenStorage.Options,
                           started: Int64, joined: Bool, extra: [(key: MessagePackValue, value: MessagePackValue)] = []) -> MessagePackValue
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
        if !joined {
            if options.recordGit, !extra.contains(where: { $0.key == "git" }), let git = RunEnvironment.git(for: specimen.path) {
                pairs.append(("git", git))
            }
            if !extra.contains(where: { $0.key == "protocol" }), let protocolFile = RunEnvironment.protocolFile(in: specimen.path) {
                pairs.append(("protocol", protocolFile))
            }
        }
        return .map(pairs + extra)
    }
}

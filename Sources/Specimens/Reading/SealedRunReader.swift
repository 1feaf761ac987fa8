import MessagePack
import Parallel
import Parquet

/// Reads many runs of a specimen that is not on the local disk (object storage) through the
/// storage's batch reads, so that a backend can fetch them in parallel (S3: bounded parallel
/// GETs) and serve sealed runs' files from its cache (`StorageBackend.readSealed`).
///
/// Runs are taken in batches: every manifest of a batch is read at once; a run without one
/// (running, crashed) is then inspected on its own, as ``RunInspector`` does for any run. For
/// metrics, each sealed run's `metrics.parquet` is read whole with the size and SHA-256 its
/// manifest lists, right after its manifest, and decoded on every core while the next batch
/// is being fetched. Where the storage lists the runs' files in bulk
/// (``StorageBackend/filesOfSubfolders(_:)``), that listing tells which runs are sealed and
/// how large their metrics files are, and no manifest is read: a request per run instead of
/// two, on object storage where each request costs the server more than the bytes it sends.
enum SealedRunReader {
    /// Runs whose manifests are read at once.
    static let manifestBatch = 1024
    /// Runs whose metrics files are read at once (and held in memory undecoded, two batches at
    /// a time: less than the decoded tables `readAllRuns` holds anyway). 256 rather than 64:
    /// fewer waits for a batch's slowest GET (10.1 s against 12.9 s for 1,000 runs from moto,
    /// on a loaded machine).
    static let metricsBatch = 256

    /// The details of runs `ids` of `specimen`, in order.
    static func infos(_ ids: [RunID], of specimen: Specimen) -> [RunInfo] {
        var infos: [RunInfo] = []
        infos.reserveCapacity(ids.count)
        var start = 0
        while start < ids.count {
            let batch = Array(ids[start ..< min(ids.count, start + manifestBatch)])
            start += batch.count
            let read = specimen.storage.readSealed(batch.map { SealedFile.manifest(of: $0, in: specimen.runPath($0)) })
            let results = Slots<RunInfo>(count: batch.count)
            Parallel.forEach(batch.count) { index in
                let id = batch[index], folder = specimen.runPath(id)
                switch read[index] {
                case .success(let bytes):
                    results.set(index, RunInspector.sealed(bytes, folder: folder, id: id))
                case .failure(let error) where error.code == .damaged:
                    results.set(index, RunInfo(id: id, path: folder, state: .damaged(reason: error.message), params: .map([]), startedAt: nil,
                                               endedAt: nil, rows: nil, columns: [], summary: [], notes: nil, tags: [], manifest: nil))
                case .failure:   // no manifest (running or crashed) or unreadable: inspected on its own
                    results.set(index, RunInspector.inspect(folder: folder, id: id, specimenName: specimen.name, storage: specimen.storage))
                }
            }
            infos += results.values.compactMap { $0 }
        }
        return infos
    }

    /// What became of one run asked for by ``tables(_:of:)``.
    enum Outcome: Sendable {
        /// Its metrics without `run_id`.
        case table(Table)
        /// It is not sealed (no manifest).
        case unsealed
        /// It could not be read: why.
        case failed(SpecimenError)
    }

    /// The metrics of runs `ids` of `specimen` (without `run_id`), in order. `everyRun`: `ids`
    /// are all the specimen's runs, so that a bulk listing of every run's files is worth its
    /// requests (for a few runs picked out of many, their manifests are fewer).
    static func tables(_ ids: [RunID], of specimen: Specimen, everyRun: Bool) -> [Outcome] {
        let batches = stride(from: 0, to: ids.count, by: metricsBatch).map { Array(ids[$0 ..< min(ids.count, $0 + metricsBatch)]) }
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(ids.count)
        let listed = everyRun && !ids.isEmpty ? specimen.storage.filesOfSubfolders(specimen.runsPath) : nil
        // Fetch batch k + 1 while batch k is decoded.
        var fetched = batches.isEmpty ? [] : fetch(batches[0], of: specimen, listed: listed)
        for (number, batch) in batches.enumerated() {
            let current = fetched
            let next = Slots<[Fetched]>(count: 1)
            let decoded = Slots<[Outcome]>(count: 1)
            let hasNext = number + 1 < batches.count
            Parallel.forEach(hasNext ? 2 : 1, threads: 2) { part in
                if part == 0 {
                    decoded.set(0, decode(current, batch, of: specimen))
                } else {
                    next.set(0, fetch(batches[number + 1], of: specimen, listed: listed))
                }
            }
            outcomes += decoded.values[0] ?? []
            fetched = next.values[0] ?? []
        }
        return outcomes
    }

    /// A run's metrics file as fetched: its bytes, or what stopped them.
    private enum Fetched: Sendable {
        case bytes([UInt8], path: String)
        case unsealed
        case failed(SpecimenError)
        /// The manifest lists no checksum for the file: read it through the storage's range reads.
        case unlisted(path: String)
    }

    /// The metrics files of `batch`, ``StorageBackend/readParallelism`` runs at a time, each
    /// run's manifest then at once its metrics file (so that no run waits for the rest of the
    /// batch's manifests, and the storage always has reads to serve); for a run in `listed`
    /// (the storage's bulk listing of the runs' files), its metrics file alone.
    private static func fetch(_ batch: [RunID], of specimen: Specimen, listed: [String: [String: Int]]?) -> [Fetched] {
        let results = Slots<Fetched>(count: batch.count)
        Parallel.forEach(batch.count, threads: Swift.max(1, specimen.storage.readParallelism)) { index in
            if let files = listed?[batch[index].rawValue] {
                results.set(index, fetch(batch[index], listing: files, of: specimen))
            } else {
                results.set(index, fetch(batch[index], of: specimen))
            }
        }
        return results.values.map { $0 ?? .unsealed }
    }

    /// One run's metrics file, by what the storage's listing of the run's `files` says: sealed
    /// when its manifest is there (as on disk, where a run is sealed once its manifest is),
    /// and the file read up to its listed size. Unchecked against the manifest's checksum, as
    /// every read without a cache is (`specimen verify` checks checksums).
    private static func fetch(_ id: RunID, listing files: [String: Int], of specimen: Specimen) -> Fetched {
        let path = specimen.runPath(id) + "/" + RunFolder.metrics
        guard files[RunFolder.manifest] != nil else { return .unsealed }
        guard let size = files[RunFolder.metrics] else { return .unlisted(path: path) }   // read as any file, to say what is wrong
        switch specimen.storage.readMany([path], limit: size)[0] {
        case .success(let bytes): return .bytes(bytes, path: path)
        case .failure(let error): return .failed(error)
        }
    }

    /// One run's metrics file: its manifest first, then the file it lists, checked against the
    /// manifest's size and SHA-256.
    private static func fetch(_ id: RunID, of specimen: Specimen) -> Fetched {
        let storage = specimen.storage, folder = specimen.runPath(id)
        let path = folder + "/" + RunFolder.metrics
        switch storage.readSealed([SealedFile.manifest(of: id, in: folder)])[0] {
        case .success(let bytes):
            guard let manifest = try? RunManifest(decoding: bytes, file: RunFolder.manifest),
                  let entry = manifest.files.first(where: { $0.path == RunFolder.metrics }),
                  let size = entry.size, let sha256 = entry.sha256 else {
                return .unlisted(path: path)
            }
            switch storage.readSealed([SealedFile(path: path, check: .digest(size: size, sha256: sha256), limit: max(size, 0))])[0] {
            case .success(let bytes): return .bytes(bytes, path: path)
            case .failure(let error): return .failed(error)
            }
        case .failure(let error) where error.code == .notFound:
            return .unsealed
        case .failure(let error) where error.code == .damaged:
            return .failed(error)
        case .failure:
            // Unreadable for another reason: known sealed only if the manifest is there.
            return storage.exists(folder + "/" + RunFolder.manifest) ? .unlisted(path: path) : .unsealed
        }
    }

    /// Decodes fetched files on every core.
    private static func decode(_ fetched: [Fetched], _ batch: [RunID], of specimen: Specimen) -> [Outcome] {
        let results = Slots<Outcome>(count: fetched.count)
        Parallel.forEach(fetched.count) { index in
            let id = batch[index]
            switch fetched[index] {
            case .bytes(let bytes, let path):
                results.set(index, outcome(path) { try RunStacker.read(bytes: bytes, path: path, runID: id) })
            case .unlisted(let path):
                results.set(index, outcome(path) { try specimen.readStackable(path, runID: id) })
            case .unsealed:
                results.set(index, .unsealed)
            case .failed(let error):
                results.set(index, .failed(error))
            }
        }
        return results.values.map { $0 ?? .unsealed }
    }

    private static func outcome(_ path: String, _ body: () throws -> Table) -> Outcome {
        do { return .table(try body()) } catch {
            return .failed((error as? SpecimenError) ?? SpecimenError(.damaged, "\(error)", path: path))
        }
    }
}

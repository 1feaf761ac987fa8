public import Specimens

/// Many files at once: bounded parallel GETs, and the cache of sealed runs' files.
extension S3Storage {
    /// The whole objects at `paths`, fetched ``S3Options/readParallelism`` (16) at a time with
    /// `S3Client.getMany`; an appended file (a hidden name with chunks) is read as `read` reads it.
    public func readMany(_ paths: [String], limit: Int) -> [Result<[UInt8], SpecimenError>] {
        var results = [Result<[UInt8], SpecimenError>?](repeating: nil, count: paths.count)
        var keys: [String] = [], positions: [Int] = []
        for (index, path) in paths.enumerated() {
            do {
                keys.append(try key(path))
                positions.append(index)
            } catch {
                results[index] = .failure(failure("read", path, error))
            }
        }
        for (slot, fetched) in client.getMany(keys, limit: limit).enumerated() {
            let index = positions[slot], path = paths[index]
            switch fetched {
            case .success(let bytes):
                results[index] = .success(bytes)
            case .failure(let error) where error.code == .notFound && Self.isHidden(keys[slot]):
                results[index] = Result { try read(path, limit: limit) }.mapError { failure("read", path, $0) }
            case .failure(let error) where error.code == .responseTooLarge:
                results[index] = .failure(SpecimenError(.damaged, "\(path) is more than the \(limit) bytes expected", path: path, underlying: error))
            case .failure(let error):
                results[index] = .failure(failure("read", path, error))
            }
        }
        return results.map { $0 ?? .failure(SpecimenError(.fileSystem, "the read did not run", path: nil)) }
    }

    /// Sealed runs' files: from the cache when it holds them (checked again: an entry that
    /// no longer passes its check is removed and fetched anew), else by parallel GETs, each
    /// checked (``SealedFile/problem(with:)``) before it is returned and kept in the cache. A
    /// fetched file that fails its check is a `.damaged` error naming its key, and is not kept.
    /// Without a cache, the files are fetched as ``readMany(_:limit:)`` fetches them, unchecked.
    public func readSealed(_ files: [SealedFile]) -> [Result<[UInt8], SpecimenError>] {
        guard let cache else { return readManyLimited(files) }
        let endpoint = SealedFileCache.endpointName(client.configuration)
        var results = [Result<[UInt8], SpecimenError>?](repeating: nil, count: files.count)
        var cachePaths = [String?](repeating: nil, count: files.count)
        var missing: [Int] = []
        for (index, file) in files.enumerated() {
            if let key = try? self.key(file.path), let local = cache.path(endpoint: endpoint, bucket: client.bucket, key: key) {
                cachePaths[index] = local
                if let bytes = cache.load(local) {
                    if bytes.count <= file.limit, file.problem(with: bytes) == nil {
                        results[index] = .success(bytes)
                        continue
                    }
                    cache.remove(local)   // changed on the local disk: fetched again below
                }
            }
            missing.append(index)
        }
        guard !missing.isEmpty else { return results.map { $0! } }
        let fetched = readManyLimited(missing.map { files[$0] })
        for (slot, index) in missing.enumerated() {
            let file = files[index]
            switch fetched[slot] {
            case .success(let bytes):
                if let problem = file.problem(with: bytes) {
                    let address = (try? self.key(file.path)).map { "s3://\(client.bucket)/\($0)" } ?? file.path
                    results[index] = .failure(SpecimenError(.damaged, "\(address) does not match its run's manifest: \(problem); it was not cached", path: file.path,
                                                            recovery: "Run `specimen verify` on the specimen to see which files changed since the run was sealed"))
                } else {
                    if let local = cachePaths[index] { try? cache.store(bytes, at: local) }   // a cache that cannot be written only costs speed
                    results[index] = .success(bytes)
                }
            case .failure(let error):
                results[index] = .failure(error)
            }
        }
        return results.map { $0! }
    }

    /// ``readMany(_:limit:)`` of files with their own limits (grouped by limit).
    private func readManyLimited(_ files: [SealedFile]) -> [Result<[UInt8], SpecimenError>] {
        let limit = files.map(\.limit).max() ?? 0
        var results = readMany(files.map(\.path), limit: limit)
        for (index, file) in files.enumerated() where file.limit < limit {
            if case .success(let bytes) = results[index], bytes.count > file.limit {
                results[index] = .failure(SpecimenError(.damaged, "\(file.path) is \(bytes.count) bytes, more than the \(file.limit) expected", path: file.path))
            }
        }
        return results
    }
}

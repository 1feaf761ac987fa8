import Parallel

/// Bounded parallel GETs.
extension S3Client {
    /// The whole objects at `keys`, fetched `parallelism` at a time (by default
    /// ``S3Options/readParallelism``, 16): one result per key, in the order of `keys`, each the
    /// bytes or the error of that GET (at most `limit` bytes each).
    public func getMany(_ keys: [String], limit: Int = .max, parallelism: Int? = nil) -> [Result<[UInt8], S3Error>] {
        let results = Slots<Result<[UInt8], S3Error>>(count: keys.count)
        let threads = max(1, min(parallelism ?? configuration.options.readParallelism, keys.count))
        Parallel.forEach(keys.count, threads: threads) { index in
            do {
                results.set(index, .success(try self.get(keys[index], limit: limit)))
            } catch let error as S3Error {
                results.set(index, .failure(error))
            } catch {
                results.set(index, .failure(S3Error(.network, operation: "GetObject", bucket: self.bucket, key: keys[index], message: "\(error)")))
            }
        }
        return results.values.enumerated().map { index, result in
            result ?? .failure(S3Error(.network, operation: "GetObject", bucket: bucket, key: keys[index], message: "the GET did not run"))
        }
    }
}

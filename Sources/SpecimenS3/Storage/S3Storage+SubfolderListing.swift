import Specimens

/// Many runs' files in one listing.
extension S3Storage {
    /// Subfolders a listing page must cover on average for the listing to go on: a page (up to
    /// 1,000 keys, fetched one after another) costs about what a few dozen GETs do, and the
    /// GETs of the subfolders' own files run in parallel.
    static let subfoldersPerPage = 64

    /// ``StorageBackend/filesOfSubfolders(_:)``: ListObjectsV2 of everything under `folder`,
    /// with delimiter `.chunks/` so that an appended file's chunks (a run's journal, one object
    /// per flush) come back as one common prefix instead of one key each; a run of a few files
    /// then costs a few keys of a 1,000-key page, where reading its manifest costs a GET.
    ///
    /// Nil, and readers read each run's manifest as before, when:
    /// - the sealed-file cache is on: readers need every run's manifest anyway, for the
    ///   checksums that files are checked against before they are cached, and read them from
    ///   the cache once it is warm;
    /// - S3 cannot answer, or answers in a way that shows it does not honour the delimiter
    ///   (a common prefix that does not end with it, a repeated continuation token: some
    ///   S3-compatible servers handle only `/`).
    ///
    /// The listing stops, leaving the later subfolders unknown, once its pages cover fewer
    /// than ``subfoldersPerPage`` subfolders each on average (subfolders of many files: their
    /// own reads are then the cheaper way).
    public func filesOfSubfolders(_ folder: String) -> [String: [String: Int]]? {
        guard cache == nil, let key = try? key(folder) else { return nil }
        let prefix = key.isEmpty ? "" : key + "/"
        let delimiter = Self.chunkSuffix + "/"
        var complete: [String: [String: Int]] = [:]
        var current: (name: Substring, files: [String: Int])?
        var token: String?, seen: Set<String> = [], pages = 0
        repeat {
            guard let page = try? client.listPage(prefix: prefix, delimiter: delimiter, continuationToken: token),
                  page.commonPrefixes.allSatisfy({ $0.hasSuffix(delimiter) }) else { return nil }
            pages += 1
            for object in page.objects {
                let relative = object.key.dropFirst(prefix.count)
                guard let slash = relative.firstIndex(of: "/") else { continue }   // a file of `folder` itself
                let name = relative[..<slash]
                if current?.name != name {
                    if let done = current { complete[String(done.name)] = done.files }
                    current = (name, [:])
                }
                current?.files[String(relative[relative.index(after: slash)...])] = object.size
            }
            token = page.nextContinuationToken
            if let token, !seen.insert(token).inserted { return nil }
        } while token != nil && complete.count >= Self.subfoldersPerPage * pages
        // The last subfolder seen is complete only when the listing is.
        if token == nil, let done = current { complete[String(done.name)] = done.files }
        return complete
    }
}

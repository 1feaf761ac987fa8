import ArgumentParser

/// `--no-cache`: the reading commands' way to bypass the local cache of sealed runs' files read
/// from object storage (`SealedFileCache`: `$SPECIMEN_CACHE`, else `$XDG_CACHE_HOME/specimen`,
/// else `~/.cache/specimen`). Local specimens are never cached; the flag changes nothing there.
struct CacheOptions: ParsableArguments {
    @Flag(name: .customLong("no-cache"),
          help: "Read sealed runs' files from object storage even when the local cache holds them (and do not fill it).")
    var noCache = false

    /// Makes the storage opened from now on bypass the cache when `--no-cache` was given.
    func apply() {
        if noCache { StorageLocator.usesCache = false }
    }
}

import MessagePack

/// The hidden `.running` file of a run that a writer owns: a MessagePack map
///
/// ```
/// { format: "specimen.marker/1", pid, host, boot_id, process_start,
///   started_at: <epoch seconds>, heartbeat: <epoch seconds>, flush_interval: <seconds> }
/// ```
///
/// The writer rewrites it (temporary + rename) on every journal flush, which refreshes the
/// heartbeat. Readers use it to tell a running run from a crashed one.
struct RunMarker: Sendable, Equatable {

    var owner: ProcessIdentity
    var startedAt: Double
    var heartbeat: Double
    var flushInterval: Double

    func encoded() -> [UInt8] {
        var pairs: [(key: MessagePackValue, value: MessagePackValue)] = [
            ("format", "specimen.marker/1"),
            ("pid", .int(owner.pid)),
            ("host", .string(owner.host)),
        ]
        if let bootID = owner.bootID { pairs.append(("boot_id", .string(bootID))) }
        if let start = owner.processStart { pairs.append(("process_start", .int(start))) }
        pairs.append(("started_at", .float64(startedAt)))
        pairs.append(("heartbeat", .float64(heartbeat)))
        pairs.append(("flush_interval", .float64(flushInterval)))
        return MessagePackValue.map(pairs).encoded()
    }

    /// Decodes a marker; nil when the bytes are not one.
    init?(decoding bytes: [UInt8]) {
        guard let value = try? MessagePackValue(decoding: bytes),
              value["format"]?.stringValue == "specimen.marker/1",
              let pid = value["pid"]?.intValue, let host = value["host"]?.stringValue,
              let heartbeat = value["heartbeat"]?.doubleValue
        else { return nil }
        owner = ProcessIdentity(pid: pid, processStart: value["process_start"]?.intValue, host: host,
                                bootID: value["boot_id"]?.stringValue)
        startedAt = value["started_at"]?.doubleValue ?? heartbeat
        self.heartbeat = heartbeat
        flushInterval = value["flush_interval"]?.doubleValue ?? 1
    }

    init(owner: ProcessIdentity, startedAt: Double, heartbeat: Double, flushInterval: Double) {
        self.owner = owner
        self.startedAt = startedAt
        self.heartbeat = heartbeat
        self.flushInterval = flushInterval
    }

    /// How long a heartbeat may be silent before a writer on another host counts as gone.
    var staleAfter: Double { flushInterval.isFinite ? Swift.max(60, 10 * flushInterval) : 60 }

    /// Whether the writer is gone: on this host (same boot), its pid is dead or now belongs to
    /// a process that started at another time; on another host (or after a reboot), its
    /// heartbeat is older than `staleAfter`. Returns the reason, or nil while it lives.
    func deathReason(now: Double) -> String? {
        let me = ProcessIdentity.current
        let sameBoot = owner.bootID == nil || me.bootID == nil || owner.bootID == me.bootID
        if owner.host == me.host && sameBoot {
            if !ProcessIdentity.isAlive(owner.pid) { return "its writer (pid \(owner.pid)) is no longer running" }
            if let start = owner.processStart, let now = ProcessIdentity.startTime(of: owner.pid), now != start {
                return "its writer's pid \(owner.pid) now belongs to another process"
            }
            return nil
        }
        let age = now - heartbeat
        if !(age <= staleAfter) {   // NaN (a damaged heartbeat) counts as stale too
            let whereText = owner.host == me.host ? "before a reboot" : "on \(owner.host)"
            let ageText = age.isFinite && abs(age) < 1e15 ? "\(Int(age)) s" : "a long time"
            return "its writer \(whereText) has not written a heartbeat for \(ageText)"
        }
        return nil
    }
}

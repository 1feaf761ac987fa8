#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import MessagePack
import Parallel
import Specimens

/// `specimen runs --json`'s document (format `specimen.runs/1`), written as bytes into one
/// buffer. A run taken from the catalog is written straight from its entry's MessagePack bytes
/// (nothing decoded, no `RunInfo` made); a run read live, or an entry holding anything but
/// plain values (binary, extensions, non-ASCII text, maps not keyed by strings), is written
/// from its decoded details. Both give the same text.
enum RunsJSON {
    /// The document for `selection`, ending with a newline, handed to `output` a piece at a
    /// time. The runs are written in pieces of `piece` runs, a round of pieces at once on every
    /// processor (each piece into its own buffer, continuing the document's structure where the
    /// previous piece ends: the same text as writing them one after another), then handed to
    /// `output` in order.
    static func render(specimen name: String, _ selection: RunSelection, output: (UnsafeRawBufferPointer) -> Void) throws {
        var json = JSONText(pretty: true, capacity: 4096)
        json.beginObject()
        json.key(static: "format"); json.append(RunsDocument.formatName)
        json.key(static: "specimen"); json.append(name)
        json.key(static: "total_runs"); json.append(Int64(selection.totalRuns))
        json.key(static: "runs")
        json.beginArray()
        json.drain(into: output)
        let depth = json.openCount
        let count = selection.count
        let piece = 256
        let pieces = (count + piece - 1) / piece
        let threads = Parallel.processorCount
        let round = threads * 2
        var first = 0
        while first < pieces {
            let last = min(pieces, first + round)
            let texts = Slots<Result<JSONText, any Error>>(count: last - first)
            let base = first
            Parallel.forEach(last - first, threads: threads) { slot in
                let start = (base + slot) * piece
                var part = JSONText(pretty: true, capacity: piece * 1024)
                part.restore(count: 0, depth: depth, hadValue: start > 0, afterKey: false)
                texts.set(slot, Result {
                    for index in start ..< min(count, start + piece) { try appendRun(selection, at: index, to: &part) }
                    return part
                })
            }
            for text in texts.values {
                guard var text = try text?.get() else { continue }
                text.drain(into: output)
            }
            first = last
        }
        json.restore(count: 0, depth: depth, hadValue: count > 0, afterKey: false)
        json.endArray()
        json.endObject()
        json.appendNewline()
        json.drain(into: output)
    }

    /// The run at `index` of `selection`: from its catalog entry when it has one that
    /// `appendEntry` can write, from its details otherwise.
    static func appendRun(_ selection: RunSelection, at index: Int, to json: inout JSONText) throws {
        if let info = selection.liveInfo(at: index) {
            try append(info, to: &json)
            return
        }
        let mark = json.mark
        let known = selection.catalogFieldOffsets(at: index)
        let written = selection.withCatalogEntry(at: index) { bytes in
            appendEntry(MessagePackScanner(bytes), id: selection.id(at: index), known: known, to: &json)
        }
        if !written {
            json.rollback(to: mark)
            try append(selection.info(at: index), to: &json)
        }
    }

    /// One run's object from its details: the ``RunsDocument/Run`` of `info`.
    static func append(_ info: RunInfo, to json: inout JSONText) throws {
        try JSONDocumentEncoder(pretty: json.pretty).encode(RunsDocument.Run(info), into: &json)
    }

    /// One run's object from its catalog entry, as `append(_:to:)` writes the details decoded
    /// from it; false (with part of it written) when the entry holds something only decoding
    /// handles.
    /// `known`: where the entry's params, metrics, started and tags start, as the catalog
    /// recorded them (so the params and metrics are not skipped to find the fields after them).
    static func appendEntry(_ entry: MessagePackScanner, id: RunID, known: (params: Int, metrics: Int, started: Int, tags: Int)? = nil,
                            to json: inout JSONText) -> Bool {
        guard entry.arrayCount(0) == CatalogEntry.width, let first = entry.header(0)?.start else { return false }
        // The fields' offsets, in one pass (jumping over the params and metrics when known).
        var fields: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let found = withUnsafeMutableBytes(of: &fields) { raw -> Bool in
            let offsets = raw.bindMemory(to: Int.self)
            var next = first
            for index in 0 ..< CatalogEntry.width {
                if let known {
                    switch index {
                    case CatalogEntry.params: next = known.params
                    case CatalogEntry.metrics: next = known.metrics
                    case CatalogEntry.started: next = known.started
                    case CatalogEntry.tags: next = known.tags
                    default: break
                    }
                }
                offsets[index] = next
                if let known, index == CatalogEntry.params || index == CatalogEntry.metrics {
                    next = index == CatalogEntry.params ? known.metrics : known.started
                    continue
                }
                guard let after = entry.skip(next) else { return false }
                next = after
            }
            return next == entry.bytes.count
        }
        guard found else { return false }
        func at(_ index: Int) -> Int { withUnsafeBytes(of: fields) { $0.load(fromByteOffset: index * MemoryLayout<Int>.stride, as: Int.self) } }

        guard let statusHeader = entry.header(at(CatalogEntry.status)), let statusBytes = JSONText.asciiBytes(entry, statusHeader),
              let status = RunStatus(rawValue: String(decoding: statusBytes, as: UTF8.self)) else { return false }
        let started = entry.int(at(CatalogEntry.started)).map { Date(timeIntervalSince1970: Double($0) / 1e6) }
        let ended = entry.int(at(CatalogEntry.ended)).map { Date(timeIntervalSince1970: Double($0) / 1e6) }

        json.beginObject()
        json.key(static: "id"); json.append(id.rawValue)
        json.key(static: "status"); json.append(RunState.sealed(status).name)
        json.key(static: "started_at"); appendTime(started, to: &json)
        json.key(static: "ended_at"); appendTime(ended, to: &json)
        json.key(static: "duration_s")
        if let started { json.append((ended ?? Date()).timeIntervalSince(started)) } else { json.appendNull() }
        json.key(static: "rows"); if let rows = entry.int(at(CatalogEntry.rows)) { json.append(rows) } else { json.appendNull() }
        json.key(static: "params")
        guard json.appendScanned(entry, at: at(CatalogEntry.params)) else { return false }

        json.key(static: "metrics")
        json.beginObject()
        let metrics = at(CatalogEntry.metrics)
        if let h = entry.header(metrics), h.kind == .map {
            var next = h.start
            for _ in 0 ..< h.count {
                guard let k = entry.header(next), let value = entry.skip(next), let after = entry.skip(value) else { return false }
                defer { next = after }
                guard k.kind == .string else { continue }
                guard let name = JSONText.asciiBytes(entry, k) else { return false }
                guard entry.arrayCount(value) == 4, let s0 = entry.element(0, ofArrayAt: value), let s1 = entry.skip(s0),
                      let s2 = entry.skip(s1), let s3 = entry.skip(s2) else { continue }
                json.key(utf8: name)
                appendStatistics(last: number(entry, s0), min: number(entry, s1), max: number(entry, s2),
                                 count: entry.int(s3) ?? 0, to: &json)
            }
        }
        json.endObject()

        json.key(static: "tags")
        json.beginArray()
        if let h = entry.header(at(CatalogEntry.tags)), h.kind == .array {
            var next = h.start
            for _ in 0 ..< h.count {
                if let tag = entry.header(next), tag.kind == .string {
                    guard let text = JSONText.asciiBytes(entry, tag) else { return false }
                    json.append(utf8: text)
                }
                guard let after = entry.skip(next) else { return false }
                next = after
            }
        }
        json.endArray()
        json.key(static: "notes")
        if let h = entry.header(at(CatalogEntry.notes)), h.kind == .string {
            guard let text = JSONText.asciiBytes(entry, h) else { return false }
            json.append(utf8: text)
        } else {
            json.appendNull()
        }
        json.endObject()
        return true
    }

    /// A number as `MessagePackValue.doubleValue` reads it: a float, or an integer as a double.
    private static func number(_ entry: MessagePackScanner, _ at: Int) -> Double? {
        if let value = entry.double(at) { return value }
        guard let h = entry.header(at) else { return nil }
        switch h.kind {
        case .int: return entry.int(at).map(Double.init)
        case .uint: return entry.uint(at).map(Double.init)
        default: return nil
        }
    }

    private static func appendStatistics(last: Double?, min: Double?, max: Double?, count: Int64, to json: inout JSONText) {
        json.beginObject()
        json.key(static: "last"); appendFinite(last, to: &json)
        json.key(static: "min"); appendFinite(min, to: &json)
        json.key(static: "max"); appendFinite(max, to: &json)
        json.key(static: "count"); json.append(count)
        json.endObject()
    }

    @inline(__always)
    private static func appendFinite(_ value: Double?, to json: inout JSONText) {
        if let value, value.isFinite { json.append(value) } else { json.appendNull() }
    }

    /// `RunText.iso`'s text (`YYYY-MM-DDTHH:MM:SS.mmmZ`), quoted, or null; made without
    /// Foundation's formatting for the years 1970…9999.
    static func appendTime(_ date: Date?, to json: inout JSONText) {
        guard let date else { return json.appendNull() }
        let since1970 = date.timeIntervalSince1970
        guard since1970 >= 0, since1970 < 253_402_300_800 else {   // years 1970…9999 below
            if let text = RunText.iso(date) { json.append(text) } else { json.appendNull() }
            return
        }
        let millisTotal = Int64((since1970 * 1000).rounded(.down))
        let seconds = millisTotal / 1000
        let millis = Int(millisTotal - seconds * 1000)
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        var text: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &text) { buffer in
            var at = 0
            func put(_ value: Int, _ width: Int) {
                var divisor = 1
                for _ in 1 ..< width { divisor *= 10 }
                while divisor > 0 {
                    buffer[at] = UInt8(truncatingIfNeeded: 48 + (value / divisor) % 10)
                    at += 1
                    divisor /= 10
                }
            }
            func put(byte: UInt8) { buffer[at] = byte; at += 1 }
            put(Int(parts.tm_year) + 1900, 4); put(byte: 45); put(Int(parts.tm_mon) + 1, 2); put(byte: 45)
            put(Int(parts.tm_mday), 2); put(byte: 84); put(Int(parts.tm_hour), 2); put(byte: 58)
            put(Int(parts.tm_min), 2); put(byte: 58); put(Int(parts.tm_sec), 2); put(byte: 46)
            put(millis, 3); put(byte: 90)
            json.append(utf8: UnsafeRawBufferPointer(rebasing: buffer[0 ..< at]))
        }
    }
}

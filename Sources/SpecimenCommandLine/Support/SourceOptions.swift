import ArgumentParser

/// The options that say which source files a new run keeps (`specimen run`, `specimen rerun`).
struct SourceOptions: ParsableArguments {
    @Option(name: .customLong("source"), help: ArgumentHelp("Also keep these files in the run's source/ folder: a path or glob relative to the specimen (*, ?, [..], **); repeatable.", valueName: "glob"))
    var sources: [String] = []

    @Option(name: .customLong("source-limit"), help: ArgumentHelp("The most bytes of sources, and of git.patch, to keep (e.g. 1000000, 500k, 2M; default: the specimen manifest's source_limit, else 1M).", valueName: "bytes"))
    var sourceLimitText: String?

    /// The limit in bytes, when given.
    var sourceLimit: Int? { sourceLimitText.flatMap(Self.bytes) }

    func validate() throws {
        if let text = sourceLimitText, Self.bytes(text) == nil {
            throw ValidationError("--source-limit \(text): expected a number of bytes, optionally with k, M or G, e.g. --source-limit 2M")
        }
    }

    /// `1000`, `500k`, `2M`, `1G` (decimal multiples, an optional trailing `B`); nil otherwise.
    static func bytes(_ text: String) -> Int? {
        var digits = Substring(text.trimmingCharacters(in: .whitespaces))
        if digits.hasSuffix("B") || digits.hasSuffix("b") { digits = digits.dropLast() }
        var factor = 1
        switch digits.last {
        case "k"?, "K"?: factor = 1_000
        case "m"?, "M"?: factor = 1_000_000
        case "g"?, "G"?: factor = 1_000_000_000
        default: break
        }
        if factor != 1 { digits = digits.dropLast() }
        guard let value = Int(digits), value >= 0 else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: factor)
        return overflow ? nil : product
    }
}

import Foundation

/// The INI files the AWS tools share (`~/.aws/credentials`, `~/.aws/config`): `[section]`
/// headers, `name = value` lines, `#` and `;` comment lines. Names are case-insensitive (stored
/// lowercased); values are taken whole (no inline comments, as secrets may hold `#`); indented lines (nested settings such as `s3 =` blocks) are skipped, as are
/// lines that are not settings. Reading never fails on content: a malformed line is ignored.
struct SharedConfigFile: Sendable {
    /// The settings of every section, by section name as written (`default`, `profile dev`).
    private(set) var sections: [String: [String: String]] = [:]

    /// Parses the text of a file.
    init(text: String) {
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            if rawLine.first == " " || rawLine.first == "\t" { continue }   // a nested setting
            let line = rawLine.trimmingSpaces
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard let close = line.firstIndex(of: "]") else { current = nil; continue }
                let name = line[line.index(after: line.startIndex) ..< close].trimmingSpaces
                current = name.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
                if let current, sections[current] == nil { sections[current] = [:] }
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let name = line[..<equals].trimmingSpaces.lowercased()
            let value = line[line.index(after: equals)...].trimmingSpaces
            guard !name.isEmpty else { continue }
            sections[current, default: [:]][name] = String(value)
        }
    }

    /// The settings of a section, or nil when the file has no such section.
    func section(_ name: String) -> [String: String]? { sections[name] }
}

extension StringProtocol where SubSequence == Substring {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        let text: Substring = self[...]
        guard let first = text.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = text.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return text[text.endIndex...] }
        return text[first ... last]
    }
}

/// An allow-list filter for HTML made from Markdown: tags on the list are written again with
/// only their allowed attributes (values re-escaped); every other `<…>` is shown as text.
/// It does not trust the Markdown renderer to escape anything.
///
/// Allowed: the block and inline tags Markdown produces; `href` on `a` (http, https, mailto,
/// `#` fragments and relative paths only), `start` on `ol`, `class` on `code`, `align` on
/// table cells.
enum HTMLSanitizer {
    private static let tags: Set<String> = [
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "del", "s", "code", "pre",
        "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    ]
    private static let attributes: [String: Set<String>] = [
        "a": ["href"], "ol": ["start"], "code": ["class"], "th": ["align"], "td": ["align"],
    ]

    /// `html` with only allowed tags and attributes.
    static func sanitize(_ html: String) -> String {
        var out = ""
        out.reserveCapacity(html.utf8.count)
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            out += rest[..<open]
            let afterOpen = rest[open...]
            if let (tag, length) = parseTag(afterOpen) {
                out += tag
                rest = afterOpen.dropFirst(length)
            } else {
                out += "&lt;"
                rest = afterOpen.dropFirst()
            }
        }
        out += rest
        return out
    }

    /// A well-formed allowed tag at the start of `text`: its clean form and its length in
    /// characters; nil when it is not one.
    private static func parseTag(_ text: Substring) -> (String, Int)? {
        let chars = Array(text.prefix(4096))
        var i = 1
        var closing = false
        if i < chars.count, chars[i] == "/" { closing = true; i += 1 }
        var name = ""
        while i < chars.count, chars[i].isLetter || chars[i].isNumber { name.append(chars[i]); i += 1 }
        name = name.lowercased()
        guard !name.isEmpty, tags.contains(name) else { return nil }
        var kept: [(String, String)] = []
        var closed = false
        while i < chars.count {
            while i < chars.count, chars[i].isWhitespace { i += 1 }
            guard i < chars.count else { return nil }
            if chars[i] == ">" { i += 1; closed = true; break }
            if chars[i] == "/", i + 1 < chars.count, chars[i + 1] == ">" { i += 2; closed = true; break }
            var attribute = ""
            while i < chars.count, !chars[i].isWhitespace, !"=>/\"'".contains(chars[i]) { attribute.append(chars[i]); i += 1 }
            guard !attribute.isEmpty else { return nil }
            var value = ""
            while i < chars.count, chars[i].isWhitespace { i += 1 }
            if i < chars.count, chars[i] == "=" {
                i += 1
                while i < chars.count, chars[i].isWhitespace { i += 1 }
                guard i < chars.count else { return nil }
                if chars[i] == "\"" || chars[i] == "'" {
                    let quote = chars[i]
                    i += 1
                    while i < chars.count, chars[i] != quote { value.append(chars[i]); i += 1 }
                    guard i < chars.count else { return nil }
                    i += 1
                } else {
                    while i < chars.count, !chars[i].isWhitespace, chars[i] != ">" { value.append(chars[i]); i += 1 }
                }
            }
            let lower = attribute.lowercased()
            if attributes[name]?.contains(lower) == true, !closing {
                if lower == "href" && !isSafeLink(value) { continue }
                kept.append((lower, value))
            }
        }
        guard closed else { return nil }
        var tag = closing ? "</" + name : "<" + name
        for (attribute, value) in kept { tag += " " + attribute + "=\"" + HTMLText.attribute(decodeEntities(value)) + "\"" }
        if name == "a", !closing { tag += " rel=\"noopener noreferrer\"" }
        return (tag + ">", i)
    }

    /// Whether a link may stay: http(s), mailto, a fragment, or a relative path without a scheme.
    static func isSafeLink(_ raw: String) -> Bool {
        let value = decodeEntities(raw).filter { !$0.isWhitespace && !($0.asciiValue.map { $0 < 0x20 } ?? false) }.lowercased()
        if value.hasPrefix("http://") || value.hasPrefix("https://") || value.hasPrefix("mailto:") || value.hasPrefix("#") { return true }
        guard let colon = value.firstIndex(of: ":") else { return true }
        // A colon after the first '/', '?' or '#' is not a scheme.
        if let separator = value.firstIndex(where: { "/?#".contains($0) }), separator < colon { return true }
        return false
    }

    /// The value with `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;` and numeric references decoded.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let tail = rest[amp...]
            guard let semicolon = tail.prefix(12).firstIndex(of: ";") else { out += "&"; rest = tail.dropFirst(); continue }
            let entity = tail[tail.index(after: amp) ..< semicolon].lowercased()
            var decoded: String?
            switch entity {
            case "amp": decoded = "&"
            case "lt": decoded = "<"
            case "gt": decoded = ">"
            case "quot": decoded = "\""
            case "apos", "#39": decoded = "'"
            default:
                if entity.hasPrefix("#x"), let code = UInt32(entity.dropFirst(2), radix: 16), let scalar = Unicode.Scalar(code) {
                    decoded = String(Character(scalar))
                } else if entity.hasPrefix("#"), let code = UInt32(entity.dropFirst()), let scalar = Unicode.Scalar(code) {
                    decoded = String(Character(scalar))
                }
            }
            if let decoded {
                out += decoded
                rest = tail[tail.index(after: semicolon)...]
            } else {
                out += "&"
                rest = tail.dropFirst()
            }
        }
        out += rest
        return out
    }
}

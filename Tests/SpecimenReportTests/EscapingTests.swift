import Foundation
import Testing
@testable import SpecimenReport

@Suite("Escaping in every context")
struct EscapingTests {
    static let hostile = ReportFixtures.payloads + ["\u{0}\u{1}\u{7f}\u{85}", "🦠 ünïcödé", ""]

    @Test("element text: no tag or entity can start; text reads back the same")
    func text() {
        for payload in Self.hostile {
            let escaped = HTMLText.text(payload)
            #expect(!escaped.contains("<") && !escaped.contains(">"))
            #expect(HTMLSanitizer.decodeEntities(escaped) == Self.visible(payload))
        }
        #expect(HTMLText.text("a < b && c > d") == "a &lt; b &amp;&amp; c &gt; d")
    }

    @Test("attribute values: no quote, backtick or angle bracket survives")
    func attribute() {
        for payload in Self.hostile {
            let escaped = HTMLText.attribute(payload)
            for forbidden in ["\"", "'", "`", "<", ">"] { #expect(!escaped.contains(forbidden), "\(payload.debugDescription)") }
            #expect(HTMLSanitizer.decodeEntities(escaped.replacingOccurrences(of: "&#96;", with: "`")) == Self.visible(payload))
        }
    }

    @Test("JSON inside <script>: no </script>, no <!--, no line separators; parses back to the string")
    func scriptJSON() throws {
        for payload in Self.hostile {
            let literal = HTMLText.scriptJSON(payload)
            for forbidden in ["<", ">", "&", "\u{2028}", "\u{2029}"] { #expect(!literal.contains(forbidden)) }
            let decoded = try JSONSerialization.jsonObject(with: Data(("[" + literal + "]").utf8)) as? [String]
            #expect(decoded?.first == Self.visible(payload, json: true))
        }
    }

    @Test("field notes: raw HTML is text, script and dangerous links are gone, images are their alt text")
    func fieldNotes() {
        let html = FieldNotes.html(ReportFixtures.hostileNotes)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img") && !html.contains("<iframe") && !html.contains("<div"))
        #expect(!html.lowercased().contains("href=\"javascript") && !html.contains("href=\"data:"))
        // No real tag (escaped text starts with &lt;, not <) carries an event handler.
        for tag in Self.tags(html) { #expect(!tag.lowercased().contains(" on"), "\(tag)") }
        #expect(Set(Self.tags(html).map { String($0.dropFirst().prefix { $0.isLetter || $0.isNumber || $0 == "/" }) })
            .isSubset(of: ["p", "/p", "h1", "/h1", "a", "/a", "pre", "/pre", "code", "/code"]), "\(Self.tags(html))")
        #expect(html.contains("&lt;script&gt;"))
        #expect(html.contains("<a href=\"https://example.com/docs\" rel=\"noopener noreferrer\">fine link</a>"))
        #expect(html.contains("remote image") && !html.contains("evil.example/pixel"))
        #expect(html.contains("<h1>"))
    }

    @Test("the sanitizer keeps allowed tags, drops others' markup and unsafe attributes", arguments: [
        ("<p>hi</p>", "<p>hi</p>"),
        ("<p onclick=\"x\">hi</p>", "<p>hi</p>"),
        ("<a href=\"javascript:alert(1)\">x</a>", "<a rel=\"noopener noreferrer\">x</a>"),
        ("<a href=\"JaVaScRiPt&#58;alert(1)\">x</a>", "<a rel=\"noopener noreferrer\">x</a>"),
        ("<a href=\" data:text/html,x\">x</a>", "<a rel=\"noopener noreferrer\">x</a>"),
        ("<a href=\"notes/a:b\">x</a>", "<a href=\"notes/a:b\" rel=\"noopener noreferrer\">x</a>"),
        ("<script>alert(1)</script>", "&lt;script>alert(1)&lt;/script>"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)>"),
        ("<code class=\"x\" style=\"y\">c</code>", "<code class=\"x\">c</code>"),
        ("<p", "&lt;p"),
        ("a < b", "a &lt; b"),
    ])
    func sanitizer(input: String, expected: String) {
        #expect(HTMLSanitizer.sanitize(input) == expected)
    }

    @Test("links: web, mail, fragments and relative paths are safe; other schemes are not")
    func links() {
        for safe in ["https://a.example", "http://a", "mailto:x@y", "#top", "notes.md", "a/b:c", "?q=a:b"] { #expect(HTMLSanitizer.isSafeLink(safe), "\(safe)") }
        for unsafe in ["javascript:x", " javascript:x", "java\nscript:x", "data:x", "vbscript:x", "file:///etc/passwd", "jav&#x61;script:x"] {
            #expect(!HTMLSanitizer.isSafeLink(unsafe), "\(unsafe.debugDescription)")
        }
    }

    @Test("numbers: exact, compact, JSON")
    func numbers() {
        #expect(NumberText.exact(0.1) == "0.1" && NumberText.exact(3) == "3" && NumberText.exact(1e-12) == "1e-12")
        #expect(NumberText.compact(0.012345) == "0.01235" && NumberText.compact(1.5e-12) == "1.5e-12" && NumberText.compact(2.5e9) == "2.5e9")
        #expect(NumberText.compact(12000) == "12000" && NumberText.compact(-0.5) == "-0.5" && NumberText.compact(.infinity) == "inf")
        #expect(NumberText.json(.nan) == "null" && NumberText.json(-.infinity) == "null" && NumberText.json(1e308) == "1e+308")
        #expect(NumberText.labels([123_456.7, 123_456.75, 123_456.8]) == ["123456.7", "123456.75", "123456.8"])
    }

    /// The real tags of `html`: each `<…>`.
    static func tags(_ html: String) -> [String] {
        var tags: [String] = []
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            let close = rest[open...].firstIndex(of: ">") ?? rest.endIndex
            tags.append(String(rest[open ..< close]))
            rest = rest[close...]
        }
        return tags
    }

    /// What a reader sees of `payload`: control characters become U+FFFD (tab, newline and
    /// carriage return stay in HTML text).
    static func visible(_ payload: String, json: Bool = false) -> String {
        String(String.UnicodeScalarView(payload.unicodeScalars.map { scalar in
            let v = scalar.value
            let control = (v < 0x20 && (json || (v != 0x09 && v != 0x0a && v != 0x0d))) || (0x7f ... 0x9f).contains(v)
            if json, v == 0x09 || v == 0x0a || v == 0x0d { return scalar }
            return control ? "\u{FFFD}" : scalar
        }))
    }
}

import Ink

/// `field_notes.md` as HTML: Markdown rendered by Ink, raw HTML shown as text, images shown as
/// their alt text (an image would be a network request), and the result passed through
/// `HTMLSanitizer`, which keeps only the tags Markdown makes and drops `javascript:`, `data:`
/// and other non-web links.
enum FieldNotes {
    /// The sanitized HTML of `markdown`.
    static func html(_ markdown: String) -> String {
        var parser = MarkdownParser()
        parser.addModifier(Modifier(target: .html) { input in HTMLText.text(input.markdown) })
        parser.addModifier(Modifier(target: .images) { input in
            // ![alt](url): keep the alt text only.
            let markdown = input.markdown
            guard let open = markdown.firstIndex(of: "["), let close = markdown.lastIndex(of: "]"), open < close else {
                return HTMLText.text(markdown)
            }
            return HTMLText.text(markdown[markdown.index(after: open) ..< close])
        })
        return HTMLSanitizer.sanitize(parser.html(from: markdown))
    }
}

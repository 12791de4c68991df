/// The output formats of `parley docs`.
public enum DocumentFormat: String, Sendable, Hashable, CaseIterable {
    /// reStructuredText, as the seed checklist (builds with docutils without warnings).
    case rst
    /// GitHub-flavoured Markdown.
    case md
    /// One standalone page with inline CSS and no external assets.
    case html

    public var fileExtension: String { rawValue }

    public func render(_ document: DataflowDocument) -> String {
        switch self {
        case .rst: RSTRenderer.render(document)
        case .md: MarkdownRenderer.render(document)
        case .html: HTMLRenderer.render(document)
        }
    }
}

extension String {
    /// Cells and titles are single lines in every format; configuration text may hold line breaks or tabs.
    var singleLine: String {
        String(unicodeScalars.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : Character($0) })
    }

    /// Whether the character is a letter or digit, the only neighbours that keep `_` and friends literal.
    static func isWordCharacter(_ character: Character?) -> Bool {
        guard let character else { return false }
        return character.isLetter || character.isNumber
    }
}

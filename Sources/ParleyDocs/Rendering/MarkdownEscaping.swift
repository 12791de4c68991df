/// GitHub-flavoured Markdown escaping: configuration text must never become emphasis, links, HTML,
/// headings, lists or extra table columns. Intra-word `_` is left alone (GFM never emphasizes it) so
/// names like `budget_cents` stay readable.
enum MarkdownEscaping {
    static let alwaysEscaped: Set<Character> = ["\\", "`", "*", "[", "]", "<", ">", "|", "#", "~", "&"]

    static func text(_ raw: String, atLineStart: Bool) -> String {
        let characters = Array(raw.singleLine)
        var output = ""
        let enumeratorEnd = atLineStart ? orderedListMarker(characters) : nil
        for (index, character) in characters.enumerated() {
            let previous = index > 0 ? characters[index - 1] : nil
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            if alwaysEscaped.contains(character)
                || (character == "_" && !(String.isWordCharacter(previous) && String.isWordCharacter(next)))
                || (index == 0 && atLineStart && ["-", "+", "="].contains(character))
                || index == enumeratorEnd
            {
                output += "\\"
            }
            output.append(character)
        }
        return output
    }

    /// The index of the `.` or `)` in a leading `12.` / `3)` that would start an ordered list.
    static func orderedListMarker(_ characters: [Character]) -> Int? {
        guard let end = characters.firstIndex(where: { !$0.isASCII || !$0.isNumber }), end > 0 else { return nil }
        return characters[end] == "." || characters[end] == ")" ? end : nil
    }

    /// A code span whose fence is longer than any backtick run inside it; `|` stays escaped because
    /// GFM splits table cells before it reads code spans.
    static func code(_ raw: String, inTable: Bool) -> String {
        let code = raw.singleLine
        var longest = 0
        var run = 0
        for character in code {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let padded = code.hasPrefix("`") || code.hasSuffix("`") ? " \(code) " : code
        let body = inTable ? padded.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|") : padded
        return fence + body + fence
    }
}

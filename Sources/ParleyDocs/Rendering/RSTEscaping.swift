/// reStructuredText escaping. Text taken from configuration and schemas (titles, property names, enum
/// values) must never turn into markup: an `_` ending a word is a hyperlink reference, a leading `-` or
/// `1.` starts a list, `|x|` is a substitution. Each becomes literal with a backslash, which docutils
/// drops; common text (`in_progress`, `"string"`) is left as it is so the source stays readable.
enum RSTEscaping {
    /// Characters that open or close inline markup wherever they are.
    static let alwaysEscaped: Set<Character> = ["\\", "`", "*", "|"]

    static func text(_ raw: String, atLineStart: Bool) -> String {
        let characters = Array(raw.singleLine)
        var output = ""
        for (index, character) in characters.enumerated() {
            let previous = index > 0 ? characters[index - 1] : nil
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            if alwaysEscaped.contains(character) {
                output += "\\"
            } else if character == "_" && !(String.isWordCharacter(previous) && String.isWordCharacter(next)) {
                output += "\\"
            } else if index == 0 && atLineStart && startsBlock(characters) {
                output += "\\"
            } else if character == ":" && next == ":" && index + 2 == characters.count {
                // A paragraph ending in "::" would introduce a literal block.
                output += "\\"
            }
            output.append(character)
        }
        return output
    }

    /// Whether a line starting with these characters would be read as a list, field, option, comment,
    /// directive, quote, line block, transition or enumerator rather than as text.
    static func startsBlock(_ characters: [Character]) -> Bool {
        guard let first = characters.first else { return false }
        if !first.isLetter && !first.isNumber && first != "\"" && first != "'" { return true }
        // Enumerators: `1.`, `a)`, `IV.` followed by a space or the end.
        guard let end = characters.firstIndex(where: { !$0.isLetter && !$0.isNumber }) else { return false }
        guard characters[end] == "." || characters[end] == ")" else { return false }
        return end + 1 == characters.count || characters[end + 1] == " "
    }

    /// ``code`` as an inline literal when docutils can read it as one, else escaped text.
    static func literal(_ raw: String) -> String? {
        let code = raw.singleLine
        guard let first = code.first, let last = code.last, first != " ", last != " ", !code.contains("``"), last != "`" else {
            return nil
        }
        return "``\(code)``"
    }

    /// Inline markup must start after whitespace or opening punctuation and end before whitespace or
    /// closing punctuation; where it does not, an escaped space (which docutils removes) separates it.
    static let beforeStart: Set<Character> = [" ", "-", ":", "/", "'", "\"", "<", "(", "[", "{"]
    static let afterEnd: Set<Character> = [" ", "-", ".", ",", ":", ";", "!", "?", "\\", "/", "'", "\"", ")", "]", "}", ">"]
}

/// Display columns of a title, which its underline must cover: East Asian wide characters take two
/// columns and combining marks none, as docutils counts them.
enum TextWidth {
    static func columns(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { total, scalar in
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark: return total
            default: return total + (isWide(scalar.value) ? 2 : 1)
            }
        }
    }

    static func isWide(_ value: UInt32) -> Bool {
        let ranges: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
            0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
        ]
        return ranges.contains { $0.contains(value) }
    }
}

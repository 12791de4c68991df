import Foundation
import ParleyConfig
import ParleyCore

extension ValueTemplate {
    /// The template's text with each placeholder replaced by the field's value (an empty or missing field
    /// renders as nothing), filters applied.
    func render(_ fields: JSONValue) -> String {
        var output = ""
        for part in parts {
            switch part {
            case .literal(let text): output += text
            case .field(let name, let filters):
                var value = Self.text(of: fields.value(at: name))
                for filter in filters { value = filter.apply(to: value) }
                output += value
            }
        }
        return output
    }

    /// A URL path: every placeholder's value is percent-escaped as one path segment; nil names a missing field.
    func renderPath(_ values: [String: String]) -> Result<String, MissingPlaceholder> {
        var output = ""
        for part in parts {
            switch part {
            case .literal(let text): output += text
            case .field(let name, _):
                guard let value = values[name], !value.isEmpty else { return .failure(MissingPlaceholder(name: name)) }
                output += escapePathSegment(value)
            }
        }
        return .success(output)
    }

    static func text(of value: JSONValue?) -> String {
        switch value {
        case .string(let text): text
        case .number(let number): DecimalText(number)?.description ?? number
        case .bool(let flag): flag ? "true" : "false"
        default: ""
        }
    }
}

struct MissingPlaceholder: Error, Equatable {
    var name: String
}

extension ValueTemplate.Filter {
    func apply(to text: String) -> String {
        switch self {
        case .lower: return text.lowercased()
        case .upper: return text.uppercased()
        case .trim: return text.trimmingCharacters(in: .whitespacesAndNewlines)
        case .digits: return String(text.unicodeScalars.filter { ("0"..."9").contains($0) }.map(Character.init))
        case .slug:
            var slug = ""
            var pendingDash = false
            for scalar in Self.folded(text).unicodeScalars {
                if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                    if pendingDash, !slug.isEmpty { slug += "-" }
                    pendingDash = false
                    slug.unicodeScalars.append(scalar)
                } else {
                    pendingDash = true
                }
            }
            return slug
        }
    }

    /// Lower-cased, accents dropped (`Bjørnstad Ærlig` -> `bjornstad aerlig`).
    static func folded(_ text: String) -> String {
        let replacements: [Character: String] = ["ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ł": "l", "œ": "oe", "þ": "th"]
        var output = ""
        for character in text.lowercased() {
            if let replacement = replacements[character] {
                output += replacement
                continue
            }
            for scalar in String(character).decomposedStringWithCanonicalMapping.unicodeScalars
            where scalar.properties.generalCategory != .nonspacingMark {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}

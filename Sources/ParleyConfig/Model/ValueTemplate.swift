/// A text with placeholders, used for computed values on create (`"{name|slug}-{key|digits}"`) and for
/// URL paths (`/projects/{id}`). Placeholders name a field (a dotted path) and optional filters; `{{` and
/// `}}` stand for literal braces.
public struct ValueTemplate: Sendable, Hashable, CustomStringConvertible {
    public enum Filter: String, Sendable, Hashable, CaseIterable {
        /// Lower-case ASCII letters and digits, other runs of characters become one `-` (accents are dropped).
        case slug
        case lower
        case upper
        case trim
        /// Only the digits.
        case digits
    }

    public enum Part: Sendable, Hashable {
        case literal(String)
        case field(String, filters: [Filter])
    }

    public var parts: [Part]
    public var source: String

    public init(parts: [Part], source: String) {
        self.parts = parts
        self.source = source
    }

    public var description: String { source }

    /// The field names the template uses, in order.
    public var fields: [String] {
        parts.compactMap { if case .field(let name, _) = $0 { name } else { nil } }
    }

    public var hasPlaceholders: Bool { !fields.isEmpty }

    /// Parses a template; the error says what is wrong and where.
    public static func parse(_ text: String) -> Result<ValueTemplate, TemplateError> {
        var parts: [Part] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            if character == "{" {
                if next < text.endIndex, text[next] == "{" {
                    literal.append("{")
                    index = text.index(after: next)
                    continue
                }
                guard let close = text[next...].firstIndex(of: "}") else {
                    return .failure(TemplateError(message: "'{' without a matching '}' in '\(text)'"))
                }
                let body = text[next..<close]
                let pieces = body.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingSpaces() }
                guard let name = pieces.first, !name.isEmpty else {
                    return .failure(TemplateError(message: "empty placeholder '{}' in '\(text)' (expected a field name such as {name})"))
                }
                guard isFieldPath(name) else {
                    return .failure(TemplateError(message: "'\(name)' in '\(text)' is not a field name (letters, digits, '_', '-', dotted paths)"))
                }
                var filters: [Filter] = []
                for filterName in pieces.dropFirst() {
                    guard let filter = Filter(rawValue: filterName) else {
                        let names = Filter.allCases.map(\.rawValue)
                        return .failure(TemplateError(
                            message: "unknown filter '\(filterName)' in '\(text)' (expected one of: \(names.joined(separator: ", ")))"))
                    }
                    filters.append(filter)
                }
                if !literal.isEmpty { parts.append(.literal(literal)) }
                literal = ""
                parts.append(.field(name, filters: filters))
                index = text.index(after: close)
            } else if character == "}" {
                guard next < text.endIndex, text[next] == "}" else {
                    return .failure(TemplateError(message: "'}' without a matching '{' in '\(text)' (write '}}' for a literal brace)"))
                }
                literal.append("}")
                index = text.index(after: next)
            } else {
                literal.append(character)
                index = next
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        return .success(ValueTemplate(parts: parts, source: text))
    }

    static func isFieldPath(_ text: String) -> Bool {
        text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { component in
            !component.isEmpty && component.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-")
            }
        }
    }
}

public struct TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension Substring {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

import ParleyCore

/// Reading typed values out of scalar nodes. Each function reports what it found and what it expected.
enum Scalars {
    static func text(_ node: ConfigNode, at location: ConfigLocation, issues: inout IssueList) -> String? {
        guard let text = node.text else {
            issues.expected("text", found: node, at: location)
            return nil
        }
        return text
    }

    static func nonEmptyText(_ node: ConfigNode, at location: ConfigLocation, issues: inout IssueList) -> String? {
        guard let text = text(node, at: location, issues: &issues) else { return nil }
        guard !text.isEmpty else {
            issues.add(location, "must not be empty")
            return nil
        }
        return text
    }

    /// A name usable as a system or flow name: a letter, then letters, digits, `_` or `-`.
    static func identifier(_ node: ConfigNode, at location: ConfigLocation, issues: inout IssueList) -> String? {
        guard let text = text(node, at: location, issues: &issues) else { return nil }
        guard isIdentifier(text) else {
            issues.add(location, "'\(text)' is not a valid name (expected a letter, then letters, digits, '_' or '-')")
            return nil
        }
        return text
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else { return false }
        return text.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-")
        }
    }

    static func integer(
        _ node: ConfigNode, at location: ConfigLocation, in range: ClosedRange<Int>, issues: inout IssueList
    ) -> Int? {
        guard let text = text(node, at: location, issues: &issues) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            issues.add(location, "expected a whole number from \(range.lowerBound) to \(range.upperBound), found '\(text)'")
            return nil
        }
        return value
    }

    static func number(
        _ node: ConfigNode, at location: ConfigLocation, in range: ClosedRange<Double>, issues: inout IssueList
    ) -> Double? {
        guard let text = text(node, at: location, issues: &issues) else { return nil }
        guard DecimalText(text) != nil, let value = Double(text), range.contains(value) else {
            issues.add(location, "expected a number from \(range.lowerBound) to \(range.upperBound), found '\(text)'")
            return nil
        }
        return value
    }

    static func bool(_ node: ConfigNode, at location: ConfigLocation, issues: inout IssueList) -> Bool? {
        guard let text = text(node, at: location, issues: &issues) else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default:
            issues.add(location, "expected true or false, found '\(text)'")
            return nil
        }
    }

    /// A duration such as `500ms`, `5s`, `2m`, `1h` or `1m30s`, in milliseconds (more than zero).
    static func duration(_ node: ConfigNode, at location: ConfigLocation, issues: inout IssueList) -> Int? {
        guard let text = text(node, at: location, issues: &issues) else { return nil }
        guard let millis = Durations.millis(text), millis > 0 else {
            issues.add(location, "expected a duration such as 500ms, 5s, 2m or 1h, found '\(text)'")
            return nil
        }
        return millis
    }

    /// One of `choices`, by raw value.
    static func choice<Choice: RawRepresentable>(
        _ node: ConfigNode, among choices: [Choice], at location: ConfigLocation, issues: inout IssueList
    ) -> Choice? where Choice.RawValue == String {
        guard let text = text(node, at: location, issues: &issues) else { return nil }
        if let value = choices.first(where: { $0.rawValue == text }) { return value }
        let names = choices.map(\.rawValue)
        issues.add(location, "expected one of \(names.joined(separator: " | ")), found '\(text)'\(Suggestions.hint(for: text, in: names))")
        return nil
    }

    /// A scalar as a JSON value: plain `true`/`false` are booleans, plain numbers are numbers, `null` is null,
    /// everything else (and anything quoted) is a string.
    static func json(_ node: ConfigNode, at location: ConfigLocation, issues: inout IssueList) -> JSONValue? {
        switch node.content {
        case .null: return .null
        case .scalar(let text, let plain):
            guard plain else { return .string(text) }
            if text == "true" { return .bool(true) }
            if text == "false" { return .bool(false) }
            if DecimalText(text) != nil, text.first != "+", text.first != "." { return .number(text) }
            return .string(text)
        case .mapping, .sequence, .invalid:
            issues.expected("a single value", found: node, at: location)
            return nil
        }
    }
}

import ParleyCore

/// Converts a value written in the file (as YAML read it) into the JSON a property of a given type takes.
enum ValueCoercion {
    struct Problem: Error {
        var message: String
    }

    static func coerce(_ value: JSONValue, to type: PropertyType, enumValues: [String]?) -> Result<JSONValue, Problem> {
        let text = scalarText(value)
        switch type {
        case .boolean:
            if case .bool = value { return .success(value) }
            return .failure(Problem(message: "expected true or false, found \(shown(value))"))
        case .integer:
            if case .number(let number) = value, let decimal = DecimalText(number), let integer = decimal.integerValue {
                return .success(.int64(integer))
            }
            return .failure(Problem(message: "expected a whole number, found \(shown(value))"))
        case .float, .decimal:
            if case .number(let number) = value, let decimal = DecimalText(number) { return .success(.number(decimal.description)) }
            return .failure(Problem(message: "expected a number, found \(shown(value))"))
        case .string:
            if let text { return .success(.string(text)) }
            return .failure(Problem(message: "expected text, found \(shown(value))"))
        case .enum:
            guard let text else { return .failure(Problem(message: "expected an enum value, found \(shown(value))")) }
            if let enumValues, !enumValues.contains(text) {
                let hint = Suggestions.hint(for: text, in: enumValues)
                return .failure(Problem(message: "'\(text)' is not one of \(enumValues.joined(separator: ", "))\(hint)"))
            }
            return .success(.string(text))
        case .date:
            if let text, let date = Timestamps.validDate(text) { return .success(.string(date)) }
            return .failure(Problem(message: "expected a date YYYY-MM-DD, found \(shown(value))"))
        case .datetime:
            if let text, Timestamps.parseRFC3339(text) != nil { return .success(.string(text)) }
            return .failure(Problem(message: "expected an RFC 3339 datetime, found \(shown(value))"))
        case .reference:
            return .failure(Problem(message: "a reference cannot be set to a fixed value"))
        }
    }

    /// Text of a scalar written without quotes that YAML would read as a number or boolean.
    private static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text), .number(let text): text
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }

    private static func shown(_ value: JSONValue) -> String {
        switch value {
        case .null: "nothing"
        case .bool(let flag): flag ? "true" : "false"
        case .number(let text): text
        case .string(let text): "'\(text)'"
        case .array: "a list"
        case .object: "a mapping"
        }
    }
}

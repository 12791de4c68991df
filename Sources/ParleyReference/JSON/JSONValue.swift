/// A JSON value that keeps numbers as their exact text, so decimals never pass through binary floating point.
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    static func integer(_ value: Int64) -> JSONValue { .number(JSONNumber(integer: value)) }
    static func integer(_ value: Int) -> JSONValue { .number(JSONNumber(integer: Int64(value))) }

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    var numberValue: JSONNumber? {
        if case .number(let value) = self { return value }
        return nil
    }

    var int64Value: Int64? { numberValue?.int64Value }

    var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// Short name of the JSON type, for error messages ("expected a string, got a number").
    var typeDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value rendered as compact JSON, for error messages.
    var jsonText: String { JSONWriter.string(self) }

    subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }
}

/// The text of a JSON number exactly as written (validated against the JSON grammar by the parser).
struct JSONNumber: Sendable, Hashable {
    let text: String

    init(validatedText: String) {
        self.text = validatedText
    }

    init(integer: Int64) {
        self.text = String(integer)
    }

    /// The value when the text is a plain integer (no fraction, no exponent) that fits in 64 bits.
    var int64Value: Int64? {
        Int64(text)
    }

    var isPlainInteger: Bool {
        !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
    }

    var doubleValue: Double? { Double(text) }
}

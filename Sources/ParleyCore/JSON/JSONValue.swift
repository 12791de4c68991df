/// A JSON value that keeps numbers as their exact decimal text, so money and large ids never pass through
/// binary floating point (a pitfall that causes endless re-syncs).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// The number's literal text, e.g. `12500.50` or `-3e2`.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public static func int(_ value: Int) -> JSONValue { .number(String(value)) }
    public static func int64(_ value: Int64) -> JSONValue { .number(String(value)) }

    public var isNull: Bool { if case .null = self { true } else { false } }

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    public var numberText: String? { if case .number(let n) = self { n } else { nil } }
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { o } else { nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }

    /// The value as an integer when it is an integral number (or a string holding one).
    public var int64Value: Int64? {
        switch self {
        case .number(let text): return Int64(text) ?? DecimalText(text).flatMap { $0.integerValue }
        case .string(let text): return Int64(text)
        default: return nil
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// A short name of the value's JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByNilLiteral, ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(String(value)) }
    public init(nilLiteral: ()) { self = .null }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

// MARK: - Dotted paths ("address.city")

extension JSONValue {
    /// Reads a dotted path; a missing key reads as `nil`, an explicit JSON null as `.null`.
    public func value(at path: String) -> JSONValue? {
        var current = self
        for component in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard case .object(let o) = current, let next = o[String(component)] else { return nil }
            current = next
        }
        return current
    }

    /// Sets a dotted path, creating intermediate objects; other keys are left untouched.
    public mutating func setValue(_ value: JSONValue, at path: String) {
        let components = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        self = Self.setting(value, in: self, path: components[...])
    }

    private static func setting(_ value: JSONValue, in base: JSONValue, path: ArraySlice<String>) -> JSONValue {
        guard let head = path.first else { return value }
        var object = base.objectValue ?? [:]
        object[head] = setting(value, in: object[head] ?? .null, path: path.dropFirst())
        return .object(object)
    }
}

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
        guard case .object(let top) = self else { return nil }
        // Most mapped properties are top-level: no splitting.
        guard path.utf8.contains(UInt8(ascii: ".")) else { return top[path] }
        var current = self
        for component in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard case .object(let o) = current, let next = o[String(component)] else { return nil }
            current = next
        }
        return current
    }

    /// Sets a dotted path, creating intermediate objects; other keys are left untouched. Mutates in place
    /// (setting every property of a record costs no copies of it).
    public mutating func setValue(_ value: JSONValue, at path: String) {
        if !path.utf8.contains(UInt8(ascii: ".")) {
            Self.set(value, in: &self, key: path)
            return
        }
        Self.set(value, in: &self, path: path.split(separator: ".", omittingEmptySubsequences: false)[...])
    }

    private static func set(_ value: JSONValue, in base: inout JSONValue, key: String) {
        var object: [String: JSONValue]
        if case .object(let o) = base { object = o } else { object = [:] }
        base = .null  // `object` is now the only reference: it is updated in place
        object[key] = value
        base = .object(object)
    }

    private static func set(_ value: JSONValue, in base: inout JSONValue, path: ArraySlice<Substring>) {
        guard let head = path.first else {
            base = value
            return
        }
        var object: [String: JSONValue]
        if case .object(let o) = base { object = o } else { object = [:] }
        base = .null
        let key = String(head)
        var child = object.removeValue(forKey: key) ?? .null
        set(value, in: &child, path: path.dropFirst())
        object[key] = child
        base = .object(object)
    }
}

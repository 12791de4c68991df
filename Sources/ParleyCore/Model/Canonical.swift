/// A property value in Parley's canonical form, the form in which two systems' values are compared.
/// Text and enums are compared exactly; numbers as exact decimals; dates as `YYYY-MM-DD` with no time zone;
/// datetimes as UTC epoch milliseconds; references as the id of the referenced record on the flow's left side.
public enum CanonicalValue: Sendable, Hashable {
    case null
    case text(String)
    case number(DecimalText)
    case bool(Bool)
    case date(String)
    case datetime(Int64)
    case reference(String)

    public var isEmpty: Bool {
        switch self {
        case .null: true
        case .text(let s): s.isEmpty
        default: false
        }
    }

    /// A stable JSON form for storage in shadows, audit entries and conflict logs.
    public var json: JSONValue {
        switch self {
        case .null: .null
        case .text(let s): ["t": .string(s)]
        case .number(let d): ["n": .string(d.description)]
        case .bool(let b): ["b": .bool(b)]
        case .date(let d): ["d": .string(d)]
        case .datetime(let ms): ["dt": .int64(ms)]
        case .reference(let id): ["r": .string(id)]
        }
    }

    public init?(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .object(let o) where o.count == 1:
            guard let (key, value) = o.first else { return nil }
            switch (key, value) {
            case ("t", .string(let s)): self = .text(s)
            case ("n", .string(let s)):
                guard let d = DecimalText(s) else { return nil }
                self = .number(d)
            case ("b", .bool(let b)): self = .bool(b)
            case ("d", .string(let s)): self = .date(s)
            case ("dt", let v):
                guard let ms = v.int64Value else { return nil }
                self = .datetime(ms)
            case ("r", .string(let s)): self = .reference(s)
            default: return nil
            }
        default: return nil
        }
    }

    /// Human-readable text for tables, conflict logs and verify reports.
    public var display: String {
        switch self {
        case .null: "(empty)"
        case .text(let s): s
        case .number(let d): d.description
        case .bool(let b): b ? "true" : "false"
        case .date(let d): d
        case .datetime(let ms): Timestamps.rfc3339(millis: ms)
        case .reference(let id): "→\(id)"
        }
    }
}

/// Canonical values of one record, keyed by the flow's property key.
public typealias CanonicalRecord = [String: CanonicalValue]

extension Dictionary where Key == String, Value == CanonicalValue {
    public var shadowJSON: JSONValue { .object(mapValues(\.json)) }

    public init?(shadowJSON: JSONValue) {
        guard case .object(let o) = shadowJSON else { return nil }
        var result: [String: CanonicalValue] = [:]
        for (key, value) in o {
            guard let canonical = CanonicalValue(json: value) else { return nil }
            result[key] = canonical
        }
        self = result
    }
}

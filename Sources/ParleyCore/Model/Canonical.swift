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

extension Dictionary where Key == String, Value == CanonicalValue {
    /// `shadowJSON.jsonText`, written directly: the same bytes (keys sorted, the same escapes), without
    /// building the intermediate JSON objects. Shadows are written for every linked record, so this is on
    /// the store's hot path.
    public var shadowText: String {
        var output = "{"
        output.reserveCapacity(16 + count * 40)
        // Sorting the pairs, not the keys, saves a hash lookup per value.
        for (offset, pair) in sorted(by: { $0.key < $1.key }).enumerated() {
            if offset > 0 { output += "," }
            JSONValue.writeString(pair.key, to: &output)
            output += ":"
            pair.value.writeJSON(to: &output)
        }
        output += "}"
        return output
    }
}

extension CanonicalValue {
    /// Appends `json.jsonText`.
    public func writeJSON(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .text(let s): tagged("{\"t\":", s, to: &output)
        case .number(let d): tagged("{\"n\":", d.description, to: &output)
        case .bool(let b): output += b ? "{\"b\":true}" : "{\"b\":false}"
        case .date(let d): tagged("{\"d\":", d, to: &output)
        case .datetime(let ms): output += "{\"dt\":\(ms)}"
        case .reference(let id): tagged("{\"r\":", id, to: &output)
        }
    }

    /// `prefix` is the whole `{"tag":` literal: building it per value by interpolation cost an allocation.
    private func tagged(_ prefix: String, _ text: String, to output: inout String) {
        output += prefix
        JSONValue.writeString(text, to: &output)
        output += "}"
    }
}

extension Array where Element == PropertyWrite {
    /// The audit form of property writes, `[{"after":…,"before":…,"property":"…","reason":"…"}, …]`, written
    /// directly (the same bytes as building the JSON objects and serializing them).
    public var auditText: String {
        var output = "["
        for (offset, write) in enumerated() {
            if offset > 0 { output += "," }
            output += "{\"after\":"
            write.after.writeJSON(to: &output)
            output += ",\"before\":"
            write.before.writeJSON(to: &output)
            output += ",\"property\":"
            JSONValue.writeString(write.property, to: &output)
            output += ",\"reason\":"
            JSONValue.writeString(write.reason.rawValue, to: &output)
            output += "}"
        }
        output += "]"
        return output
    }
}

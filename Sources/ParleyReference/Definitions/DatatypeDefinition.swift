/// How a datatype's ids are made.
enum IDKind: Sendable, Equatable {
    /// Integers handed out by the database, never reused.
    case autoincrementInteger
    /// Random UUIDs rendered lower-case.
    case uuid

    var schemaName: String {
        switch self {
        case .autoincrementInteger: "integer"
        case .uuid: "string"
        }
    }
}

/// How a datatype renders its change marker (the time of the record's latest write).
enum ChangeMarkerKind: Sendable, Equatable {
    /// RFC 3339 UTC text with milliseconds.
    case rfc3339
    /// Integer epoch milliseconds.
    case epochMilliseconds

    var schemaName: String {
        switch self {
        case .rfc3339: "datetime"
        case .epochMilliseconds: "integer"
        }
    }

    func render(_ milliseconds: Int64) -> JSONValue {
        switch self {
        case .rfc3339: .string(Timestamp.rfc3339(milliseconds: milliseconds))
        case .epochMilliseconds: .integer(milliseconds)
        }
    }
}

/// A validation rule that involves two properties of the same record.
enum CrossPropertyRule: Sendable {
    /// `property` (a date) must not be earlier than `other` when both are set.
    case notBefore(property: String, other: String)
}

/// One kind of record of a system, declared as data: the generic engine does the rest.
struct DatatypeDefinition: Sendable {
    let name: String
    let collection: String
    let idField: String
    let idKind: IDKind
    let changeMarker: String
    let changeMarkerKind: ChangeMarkerKind
    let properties: [PropertyDefinition]
    var rules: [CrossPropertyRule] = []

    var uniqueProperties: [PropertyDefinition] { properties.filter(\.unique) }

    func property(named name: String) -> PropertyDefinition? {
        properties.first { $0.name == name }
    }

    /// Top-level keys that hold nested objects (e.g. `address`).
    var groupNames: Set<String> {
        Set(properties.compactMap { $0.path.count > 1 ? $0.path[0] : nil })
    }
}

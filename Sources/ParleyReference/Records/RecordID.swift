import Foundation

/// A record id: an integer (ERP) or a lower-case UUID string (PMS).
enum RecordID: Sendable, Hashable {
    case integer(Int64)
    case uuid(String)

    var text: String {
        switch self {
        case .integer(let value): String(value)
        case .uuid(let value): value
        }
    }

    var json: JSONValue {
        switch self {
        case .integer(let value): .integer(value)
        case .uuid(let value): .string(value)
        }
    }

    /// Parses an id from a URL path segment; `nil` when it cannot be an id of this kind (so it never existed).
    static func parse(pathSegment: String, kind: IDKind) -> RecordID? {
        switch kind {
        case .autoincrementInteger:
            guard let value = Int64(pathSegment), value > 0, String(value) == pathSegment else { return nil }
            return .integer(value)
        case .uuid:
            guard let uuid = UUID(uuidString: pathSegment) else { return nil }
            return .uuid(uuid.uuidString.lowercased())
        }
    }

    /// Parses an id given as a JSON value (a reference property); `nil` when the value has the wrong shape.
    static func parse(json: JSONValue, kind: IDKind) -> RecordID? {
        switch (kind, json) {
        case (.autoincrementInteger, .number(let number)):
            guard number.isPlainInteger, let value = number.int64Value, value > 0 else { return nil }
            return .integer(value)
        case (.uuid, .string(let text)):
            guard let uuid = UUID(uuidString: text) else { return nil }
            return .uuid(uuid.uuidString.lowercased())
        default:
            return nil
        }
    }

    static func newUUID() -> RecordID {
        .uuid(UUID().uuidString.lowercased())
    }
}

import ParleyCore

/// Settings of a `connector: rest` system: any JSON-over-HTTP API, described per datatype.
public struct RESTSettings: Sendable, Hashable {
    /// Base URL (`http://` or `https://`); datatype paths are appended to it.
    public var url: String
    public var auth: RESTAuth
    public var timeoutMillis: Int
    /// Maximum concurrent requests to the system.
    public var concurrency: Int
    /// Requests per second the system allows (nil: unlimited).
    public var requestsPerSecond: Double?
    public var insecureSkipTLSVerify: Bool
    public var datatypes: [RESTDatatypeSettings]

    public init(
        url: String, auth: RESTAuth = .none, timeoutMillis: Int = 10_000, concurrency: Int = 4, requestsPerSecond: Double? = nil,
        insecureSkipTLSVerify: Bool = false, datatypes: [RESTDatatypeSettings] = []
    ) {
        self.url = url
        self.auth = auth
        self.timeoutMillis = timeoutMillis
        self.concurrency = concurrency
        self.requestsPerSecond = requestsPerSecond
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.datatypes = datatypes
    }

    public func datatype(_ name: String) -> RESTDatatypeSettings? { datatypes.first { $0.schema.name == name } }
}

/// How requests authenticate. Secret values print as `***`.
public enum RESTAuth: Sendable, Hashable {
    case none
    /// `Authorization: Bearer <token>`.
    case bearer(Secret)
    /// `Authorization: Basic base64(username:password)`.
    case basic(username: String, password: Secret)
    /// An API key sent in a header (`X-Api-Key: <key>`).
    case apiKeyHeader(name: String, value: Secret)
    /// An API key sent as a query parameter (`?api_key=<key>`).
    case apiKeyQuery(name: String, value: Secret)
}

/// One datatype of a REST system: where its records live and how they are read and written.
public struct RESTDatatypeSettings: Sendable, Hashable {
    /// Datatype, id, change marker and properties (from the configuration).
    public var schema: DatatypeSchema
    /// The collection path (list and create), e.g. `/projects`.
    public var collectionPath: ValueTemplate
    /// One record's path, containing `{id}`, e.g. `/projects/{id}`.
    public var itemPath: ValueTemplate
    /// Where the records sit in a list response (`/projects`); the root when the body is the list.
    public var recordsPointer: JSONPointer
    /// Where the record sits in a single-record response (`/project`).
    public var recordPointer: JSONPointer
    /// Request bodies are sent as `{"<wrap>": {...}}` when set.
    public var wrap: String?
    public var pagination: RESTPagination
    public var changes: RESTChangeDetection
    /// The id's type: `integer` ids are sent and read as JSON numbers.
    public var idIsInteger: Bool
    public var changeMarker: RESTChangeMarker?
    /// A field whose non-empty (or `true`) value marks a deleted record in the feed.
    public var deletedField: String?
    public var create: RESTCreate
    public var updateMethod: RESTUpdateMethod
    /// Only records passing every filter belong to the datatype (e.g. `parent` empty).
    public var filters: [RecordFilter]
    /// Values set on create, by field path: fixed values or templates over the created record's fields.
    public var onCreate: [CreateValue]
    public var location: ConfigLocation

    public init(
        schema: DatatypeSchema, collectionPath: ValueTemplate, itemPath: ValueTemplate, recordsPointer: JSONPointer = .root,
        recordPointer: JSONPointer = .root, wrap: String? = nil, pagination: RESTPagination = .none, changes: RESTChangeDetection = .fullScan,
        idIsInteger: Bool = false, changeMarker: RESTChangeMarker? = nil, deletedField: String? = nil, create: RESTCreate = RESTCreate(),
        updateMethod: RESTUpdateMethod = .patch, filters: [RecordFilter] = [], onCreate: [CreateValue] = [],
        location: ConfigLocation = ConfigLocation(path: "")
    ) {
        self.schema = schema
        self.collectionPath = collectionPath
        self.itemPath = itemPath
        self.recordsPointer = recordsPointer
        self.recordPointer = recordPointer
        self.wrap = wrap
        self.pagination = pagination
        self.changes = changes
        self.idIsInteger = idIsInteger
        self.changeMarker = changeMarker
        self.deletedField = deletedField
        self.create = create
        self.updateMethod = updateMethod
        self.filters = filters
        self.onCreate = onCreate
        self.location = location
    }
}

/// How a collection is paged.
public enum RESTPagination: Sendable, Hashable {
    /// One request returns everything.
    case none
    /// `?page=N&per_page=S`, pages counted from `first`; stops at a short page.
    case page(param: String, sizeParam: String, size: Int, first: Int)
    /// `?offset=N&limit=S`; stops at a short page or when `total` (a pointer into the body) is reached.
    case offset(param: String, limitParam: String, size: Int, total: JSONPointer?)
    /// `?cursor=TOKEN`; the next token is read from `next` (a pointer); stops when it is missing or empty.
    case cursor(param: String, sizeParam: String?, size: Int, next: JSONPointer)
    /// Follows the `Link: <…>; rel="next"` header.
    case link(sizeParam: String?, size: Int)
}

/// How changes are found.
public enum RESTChangeDetection: Sendable, Hashable {
    /// Every pass reads the whole collection; per-record content hashes report only real changes, and
    /// records that disappeared are reported as deleted.
    case fullScan
    /// The collection accepts a parameter selecting records changed since a time.
    case since(param: String, format: TimeFormat, overlapMillis: Int)
}

/// How a time is written in a field or parameter.
public enum TimeFormat: String, Sendable, Hashable, CaseIterable {
    case rfc3339
    case epochMillis = "epoch-millis"
    case epochSeconds = "epoch-seconds"
}

public struct RESTChangeMarker: Sendable, Hashable {
    public var field: String
    public var format: TimeFormat
    public init(field: String, format: TimeFormat) {
        self.field = field
        self.format = format
    }
}

public struct RESTCreate: Sendable, Hashable {
    public enum IdSource: String, Sendable, Hashable, CaseIterable {
        /// The id field of the record in the response body.
        case body
        /// The last path segment of the `Location` header.
        case location
    }

    /// POST (default) or PUT.
    public var method: String
    /// Where to create; nil: the collection path. May use fields of the new record (`/clients/{client_id}/projects`).
    public var path: ValueTemplate?
    public var idFrom: IdSource
    /// A header carrying Parley's idempotency key, for systems that honour one.
    public var idempotencyHeader: String?

    public init(method: String = "POST", path: ValueTemplate? = nil, idFrom: IdSource = .body, idempotencyHeader: String? = nil) {
        self.method = method
        self.path = path
        self.idFrom = idFrom
        self.idempotencyHeader = idempotencyHeader
    }
}

public enum RESTUpdateMethod: String, Sendable, Hashable, CaseIterable {
    /// Sends only the changed fields.
    case patch = "PATCH"
    /// Reads the record, applies the changes and sends the whole record back.
    case put = "PUT"
}

/// A client-side condition a record must meet to belong to a datatype.
public struct RecordFilter: Sendable, Hashable, CustomStringConvertible {
    public enum Condition: Sendable, Hashable {
        /// Missing, null or `""` (true), or anything else (false).
        case empty(Bool)
        case equals(JSONValue)
        case notEquals(JSONValue)
        case oneOf([JSONValue])
    }

    public var field: String
    public var condition: Condition

    public init(field: String, condition: Condition) {
        self.field = field
        self.condition = condition
    }

    public func accepts(_ record: JSONValue) -> Bool {
        let value = record.value(at: field) ?? .null
        switch condition {
        case .empty(let wanted): return Self.isEmpty(value) == wanted
        case .equals(let expected): return Self.same(value, expected)
        case .notEquals(let expected): return !Self.same(value, expected)
        case .oneOf(let values): return values.contains { Self.same(value, $0) }
        }
    }

    public var description: String {
        switch condition {
        case .empty(let wanted): "\(field) is \(wanted ? "empty" : "not empty")"
        case .equals(let value): "\(field) = \(value.jsonText)"
        case .notEquals(let value): "\(field) ≠ \(value.jsonText)"
        case .oneOf(let values): "\(field) in [\(values.map(\.jsonText).joined(separator: ", "))]"
        }
    }

    static func isEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .null: true
        case .string(let text): text.isEmpty
        default: false
        }
    }

    /// Equal, treating a number and its text (`42`, `"42"`) as the same.
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if a == b { return true }
        switch (a, b) {
        case (.number(let x), .string(let y)), (.string(let y), .number(let x)):
            return DecimalText(x).map(\.description) == DecimalText(y).map(\.description)
        case (.number(let x), .number(let y)):
            return DecimalText(x).map(\.description) == DecimalText(y).map(\.description)
        default:
            return false
        }
    }
}

/// A value set on create: fixed, or computed from the new record's fields.
public struct CreateValue: Sendable, Hashable {
    public enum Value: Sendable, Hashable {
        case fixed(JSONValue)
        case template(ValueTemplate)
    }

    public var field: String
    public var value: Value

    public init(field: String, value: Value) {
        self.field = field
        self.value = value
    }
}

/// Which side of a flow: `left` is the first datatype named in the flow (the ERP in the default config).
public enum Side: String, Sendable, Hashable, Codable, CaseIterable {
    case left, right
    public var other: Side { self == .left ? .right : .left }
}

/// A record as a connector read it from a system, in the system's own shape.
public struct NativeRecord: Sendable, Hashable {
    /// The record id as text (`"42"`, or a UUID).
    public var id: String
    /// The system's fields, as JSON (an object), without interpretation.
    public var fields: JSONValue
    /// The change marker normalized to epoch milliseconds, when the system has one.
    public var changedAtMillis: Int64?
    public var deleted: Bool
    /// Version token for optimistic concurrency (an ETag), when the system gives one.
    public var version: String?

    public init(id: String, fields: JSONValue, changedAtMillis: Int64? = nil, deleted: Bool = false, version: String? = nil) {
        self.id = id
        self.fields = fields
        self.changedAtMillis = changedAtMillis
        self.deleted = deleted
        self.version = version
    }
}

/// One page of a change feed.
public struct ChangePage: Sendable {
    public var items: [ChangeItem]
    public var next: String
    public var hasMore: Bool

    public init(items: [ChangeItem], next: String, hasMore: Bool) {
        self.items = items
        self.next = next
        self.hasMore = hasMore
    }
}

/// One item of a change feed: a record, or a record that could not be read (quarantined, never dropped).
public enum ChangeItem: Sendable {
    case record(NativeRecord)
    case malformed(id: String?, reason: String)
}

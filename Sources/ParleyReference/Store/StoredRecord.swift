/// One row of a collection table: the record's current state and bookkeeping.
struct StoredRecord: Sendable, Equatable {
    let id: RecordID
    /// The collection sequence number of the record's latest write (its feed position).
    let seq: Int64
    /// Incremented on every change; the ETag.
    let version: Int64
    let deleted: Bool
    /// The change marker (time of the latest write, system clock) in epoch milliseconds.
    let markerMilliseconds: Int64
    let values: FlatValues

    /// The full current representation, or the tombstone when deleted.
    func representation(_ datatype: DatatypeDefinition) -> JSONObject {
        deleted
            ? RecordRepresentation.tombstone(id: id, markerMilliseconds: markerMilliseconds, datatype: datatype)
            : RecordRepresentation.render(values, id: id, markerMilliseconds: markerMilliseconds, datatype: datatype)
    }

    var etag: String { "\"\(version)\"" }
}

/// What a write did, for the HTTP answer and the webhook event.
struct WriteOutcome: Sendable {
    enum Change: String, Sendable {
        case created
        case updated
        case deleted
    }

    let record: StoredRecord
    /// `nil` when nothing changed (an idempotent replay or a no-op PATCH).
    let change: Change?
    let replayed: Bool
}

/// One page of a collection's change feed.
struct FeedPage: Sendable {
    let items: [StoredRecord]
    let next: Int64
    let hasMore: Bool
}

import GRDB

/// The record operations of the contract; each write is one transaction that keeps the data valid.
struct RecordStore: Sendable {
    let database: ReferenceDatabase

    private var system: SystemDefinition { database.system }

    func read(_ datatype: DatatypeDefinition, id: RecordID) async throws -> StoredRecord {
        let table = RecordTable(datatype: datatype)
        let record = try await database.pool.read { db in try table.load(db, id: id) }
        let subject = RecordSubject(collection: datatype.collection, id: id)
        guard let record else { throw ReferenceError(.notFound, "\(subject) does not exist") }
        if record.deleted {
            throw ReferenceError(.deleted, "\(subject) was deleted at \(datatype.changeMarkerKind.render(record.markerMilliseconds).jsonText)")
        }
        return record
    }

    func feed(_ datatype: DatatypeDefinition, since: Int64?, limit: Int) async throws -> FeedPage {
        let table = RecordTable(datatype: datatype)
        return try await database.pool.read { db in
            let latest = try SequenceCounter.current(db, collection: datatype.collection)
            let start = since ?? 0
            if start > latest {
                throw ReferenceError(
                    .badRequest,
                    "\(datatype.collection): cursor '\(start)' is unknown (the latest cursor is '\(latest)'); restart from the beginning without 'since'"
                )
            }
            var items = try table.page(db, after: start, limit: limit + 1)
            let hasMore = items.count > limit
            if hasMore { items.removeLast() }
            return FeedPage(items: items, next: items.last?.seq ?? start, hasMore: hasMore)
        }
    }

    func create(_ datatype: DatatypeDefinition, body: JSONObject, idempotencyKey: String?, now: Int64) async throws -> WriteOutcome {
        let validator = RecordValidator(system: system, datatype: datatype)
        let table = RecordTable(datatype: datatype)
        let system = self.system
        return try await database.pool.write { db in
            if let idempotencyKey,
               let existing = try IdempotencyKeys.recordID(db, collection: datatype.collection, key: idempotencyKey, kind: datatype.idKind),
               let record = try table.load(db, id: existing) {
                return WriteOutcome(record: record, change: nil, replayed: true)
            }
            let values = try validator.validateCreate(body)
            let subject = RecordSubject(collection: datatype.collection, id: nil)
            let integrity = IntegrityChecks(system: system, datatype: datatype)
            try integrity.checkReferences(db, values: values, properties: datatype.properties.map(\.name), subject: subject)
            try integrity.checkUnique(db, values: values, properties: datatype.properties.map(\.name), excluding: nil, subject: subject)
            let seq = try SequenceCounter.reserve(db, collection: datatype.collection)
            let newID: RecordID? = datatype.idKind == .uuid ? RecordID.newUUID() : nil
            let id = try table.insert(db, id: newID, seq: seq, markerMilliseconds: now, values: values)
            if let idempotencyKey {
                try IdempotencyKeys.remember(db, collection: datatype.collection, key: idempotencyKey, id: id, nowMilliseconds: now)
            }
            let record = StoredRecord(id: id, seq: seq, version: 1, deleted: false, markerMilliseconds: now, values: values)
            return WriteOutcome(record: record, change: .created, replayed: false)
        }
    }

    func patch(_ datatype: DatatypeDefinition, id: RecordID, body: JSONObject, ifMatch: IfMatch?, now: Int64) async throws -> WriteOutcome {
        let validator = RecordValidator(system: system, datatype: datatype)
        let table = RecordTable(datatype: datatype)
        let system = self.system
        return try await database.pool.write { db in
            let current = try Self.loadLive(db, table: table, id: id, ifMatch: ifMatch)
            let marker = datatype.changeMarkerKind.render(current.markerMilliseconds)
            let result = try validator.validatePatch(body, id: id, current: current.values, currentMarker: marker)
            guard !result.changed.isEmpty else {
                return WriteOutcome(record: current, change: nil, replayed: false)
            }
            let subject = RecordSubject(collection: datatype.collection, id: id)
            let integrity = IntegrityChecks(system: system, datatype: datatype)
            try integrity.checkReferences(db, values: result.values, properties: result.changed, subject: subject)
            try integrity.checkUnique(db, values: result.values, properties: result.changed, excluding: id, subject: subject)
            let updated = StoredRecord(
                id: id,
                seq: try SequenceCounter.reserve(db, collection: datatype.collection),
                version: current.version + 1,
                deleted: false,
                markerMilliseconds: now,
                values: result.values
            )
            try table.update(db, record: updated)
            return WriteOutcome(record: updated, change: .updated, replayed: false)
        }
    }

    func delete(_ datatype: DatatypeDefinition, id: RecordID, ifMatch: IfMatch?, now: Int64) async throws -> WriteOutcome {
        let table = RecordTable(datatype: datatype)
        return try await database.pool.write { db in
            let current = try Self.loadLive(db, table: table, id: id, ifMatch: ifMatch)
            let deleted = StoredRecord(
                id: id,
                seq: try SequenceCounter.reserve(db, collection: datatype.collection),
                version: current.version + 1,
                deleted: true,
                markerMilliseconds: now,
                values: current.values
            )
            try table.update(db, record: deleted)
            return WriteOutcome(record: deleted, change: .deleted, replayed: false)
        }
    }

    /// Live (not deleted) record counts per collection.
    func counts() async throws -> [String: Int] {
        let datatypes = system.datatypes
        return try await database.pool.read { db in
            var counts: [String: Int] = [:]
            for datatype in datatypes {
                counts[datatype.collection] = try RecordTable(datatype: datatype).countLive(db)
            }
            return counts
        }
    }

    private static func loadLive(_ db: Database, table: RecordTable, id: RecordID, ifMatch: IfMatch?) throws -> StoredRecord {
        let subject = RecordSubject(collection: table.datatype.collection, id: id)
        guard let current = try table.load(db, id: id) else {
            throw ReferenceError(.notFound, "\(subject) does not exist")
        }
        if current.deleted {
            throw ReferenceError(.deleted, "\(subject) was deleted")
        }
        if let ifMatch, !ifMatch.matches(version: current.version) {
            throw ReferenceError(
                .preconditionFailed,
                "\(subject) is at version \(current.etag), but If-Match asked for \(ifMatch.description); re-read the record and retry"
            )
        }
        return current
    }
}

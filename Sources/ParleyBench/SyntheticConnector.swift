import ParleyCore

/// A system that lives in memory, for measuring the engine alone (no HTTP, no JSON over the wire).
/// `generated` records are synthesized from their index on demand, so a million-record source costs no
/// memory; records created or changed through the connector are kept in `stored` unless `sink` is set.
public actor SyntheticConnector: Connector {
    public nonisolated let system: String
    let datatypeSchema: DatatypeSchema
    let generated: Int
    let make: @Sendable (Int) -> JSONValue
    let sink: Bool
    let createdIds: CreatedIds
    var stored: [String: NativeRecord] = [:]
    /// Ids written or edited after generation, in order; entry k has sequence generated + k + 1.
    var log: [String] = []
    var lastSequence: [String: Int] = [:]
    var nextId = 0
    public private(set) var writes = 0
    public private(set) var reads = 0

    public init(
        system: String, datatype: DatatypeSchema, generated: Int, sink: Bool = false, createdIds: CreatedIds = .sequential,
        make: @escaping @Sendable (Int) -> JSONValue
    ) {
        self.system = system
        self.createdIds = createdIds
        self.datatypeSchema = datatype
        self.generated = generated
        self.sink = sink
        self.make = make
        nextId = generated
    }

    public nonisolated func schema() async throws -> SystemSchema {
        SystemSchema(system: system, name: system, datatypes: [datatypeSchema])
    }

    public func changes(datatype: String, since cursor: String?, limit: Int) async throws -> ChangePage {
        // Sequences 1...generated are the generated records; later writes follow in `log`. A record is
        // reported only at its latest sequence, like the contract's feeds.
        var position = Int(cursor ?? "0") ?? 0
        var items: [ChangeItem] = []
        while items.count < limit {
            if position < generated {
                position += 1
                let id = String(position - 1)
                if lastSequence[id] == nil { items.append(.record(record(index: position - 1))) }
            } else {
                let offset = position - generated
                guard offset < log.count else { break }
                position += 1
                let id = log[offset]
                if lastSequence[id] == position, let record = stored[id] { items.append(.record(record)) }
            }
        }
        reads += items.count
        return ChangePage(items: items, next: String(position), hasMore: position < generated + log.count)
    }

    func record(index: Int) -> NativeRecord {
        if let changed = stored[String(index)] { return changed }
        return NativeRecord(id: String(index), fields: make(index), changedAtMillis: 1_000)
    }

    public func fetch(datatype: String, id: String) async throws -> NativeRecord? {
        reads += 1
        if let record = stored[id] { return record }
        guard let index = Int(id), index < generated else { return nil }
        return record(index: index)
    }

    public func create(datatype: String, fields: JSONValue, idempotencyKey: String) async throws -> NativeRecord {
        writes += 1
        let id = createdIds.id(nextId)
        nextId += 1
        var body = fields
        body.setValue(.string(id), at: datatypeSchema.idField)
        let record = NativeRecord(id: id, fields: body, changedAtMillis: 2_000)
        if !sink { remember(record) }
        return record
    }

    public func update(datatype: String, id: String, fields: JSONValue, ifMatch: String?) async throws -> NativeRecord {
        writes += 1
        guard var record = try await fetch(datatype: datatype, id: id) else { throw ConnectorError.notFound(system: system, datatype: datatype, id: id) }
        reads -= 1
        if case .object(let changes) = fields {
            for (key, value) in changes { record.fields.setValue(value, at: key) }
        }
        record.changedAtMillis = (record.changedAtMillis ?? 0) + 1
        if !sink { remember(record) }
        return record
    }

    public func delete(datatype: String, id: String) async throws {
        writes += 1
        stored[id] = nil
    }

    /// Edits a record as a user would (it appears in the change feed).
    public func edit(id: String, _ changes: [String: JSONValue]) async {
        guard var record = try? await fetch(datatype: datatypeSchema.name, id: id) else { return }
        reads -= 1
        for (key, value) in changes { record.fields.setValue(value, at: key) }
        record.changedAtMillis = (record.changedAtMillis ?? 0) + 10
        remember(record)
    }

    func remember(_ record: NativeRecord) {
        stored[record.id] = record
        log.append(record.id)
        lastSequence[record.id] = generated + log.count
    }
}

import ParleyCore

/// Translates referenced ids between sides through the referenced flow's links, with a per-pass cache of
/// links already seen (links, once made, do not change their ids). Every link found is cached both ways: a
/// record created from a page whose references were looked up left to right comes back from the target
/// with the right id, and finds it without reading the store again. The cache is bounded — a pass over a
/// million records must not hold a million ids — in two generations: when the newer one is full it becomes
/// the older one and the oldest ids are dropped, so the ids of the page in hand are never among them.
/// Misses are read from the store (in bulk, per page).
actor ReferenceResolver {
    let store: any LinkStore
    var rightToLeft: [String: IdCache] = [:]
    var leftToRight: [String: IdCache] = [:]
    /// Ids cached per flow and direction (both generations).
    let limit: Int

    init(store: any LinkStore, limit: Int) {
        self.store = store
        self.limit = limit
    }

    /// Right id -> left id for the given referenced right ids (only those that are linked).
    func leftIds(flow: String, rightIds: Set<String>) async throws -> [String: String] {
        try await lookup(flow: flow, ids: rightIds, side: .right)
    }

    func rightIds(flow: String, leftIds: Set<String>) async throws -> [String: String] {
        try await lookup(flow: flow, ids: leftIds, side: .left)
    }

    private func lookup(flow: String, ids: Set<String>, side: Side) async throws -> [String: String] {
        var result: [String: String] = [:]
        var missing: [String] = []
        let cache = side == .right ? rightToLeft[flow] : leftToRight[flow]
        for id in ids {
            if let other = cache?[id] { result[id] = other } else { missing.append(id) }
        }
        guard !missing.isEmpty else { return result }
        let links = try await store.links(flow: flow, side: side, ids: missing)
        for (id, link) in links where link.state == .linked {
            guard let other = link.id(on: side.other) else { continue }
            result[id] = other
            if side == .right { remember(flow: flow, leftId: other, rightId: id) } else { remember(flow: flow, leftId: id, rightId: other) }
        }
        return result
    }

    func remember(flow: String, leftId: String, rightId: String) {
        rightToLeft[flow, default: IdCache(limit: limit)].insert(rightId, leftId)
        leftToRight[flow, default: IdCache(limit: limit)].insert(leftId, rightId)
    }
}

/// Id -> id in two generations of at most half the limit each: a full newer generation replaces the older.
struct IdCache {
    private var newer: [String: String] = [:]
    private var older: [String: String] = [:]
    private let generationSize: Int

    init(limit: Int) { generationSize = max(limit / 2, 1) }

    subscript(id: String) -> String? { newer[id] ?? older[id] }

    mutating func insert(_ id: String, _ other: String) {
        if newer[id] == nil, newer.count >= generationSize {
            older = newer
            newer = [:]
        }
        newer[id] = other
    }
}

extension FlowContext {
    /// Looks up, in one read per referenced flow, the counterparts of every id the given records of `side`
    /// refer to, so that converting them one by one finds them in the resolver's cache instead of reading the
    /// store once per record (the cache is bounded, so at scale most references of a later flow miss).
    func prefetchReferences(of records: [JSONValue], side: Side) async throws {
        var ids: [String: Set<String>] = [:]
        for fields in records {
            for (refFlow, refs) in flow.referencedIds(in: fields, side: side) { ids[refFlow, default: []].formUnion(refs) }
        }
        for (refFlow, refs) in ids {
            if side == .right {
                _ = try await references.leftIds(flow: refFlow, rightIds: refs)
            } else {
                _ = try await references.rightIds(flow: refFlow, leftIds: refs)
            }
        }
    }
}

extension FlowDefinition {
    /// Referenced ids of a record, per referenced flow.
    func referencedIds(in fields: JSONValue, side: Side) -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        for mapping in properties {
            guard let reference = mapping.reference, let value = fields.value(at: mapping.path(on: side)) else { continue }
            switch value {
            case .string(let s): result[reference.flow, default: []].insert(s)
            case .number(let n): result[reference.flow, default: []].insert(DecimalText(n)?.description ?? n)
            default: continue
            }
        }
        return result
    }

    /// Referenced left ids in canonical writes, per referenced flow.
    func referencedLeftIds(in writes: [PropertyWrite]) -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        for write in writes {
            guard let mapping = properties.first(where: { $0.key == write.property }), let reference = mapping.reference,
                case .reference(let id) = write.after
            else { continue }
            result[reference.flow, default: []].insert(id)
        }
        return result
    }
}

import ParleyCore

/// What `parley verify` found for one flow, read from the live systems (not from the shadows).
public struct FlowVerification: Sendable {
    public struct Difference: Sendable, Hashable {
        public var leftId: String
        public var rightId: String
        public var property: String
        public var rightProperty: String
        public var leftValue: String
        public var rightValue: String
    }
    public struct Missing: Sendable, Hashable {
        public var side: Side
        public var id: String
        public var reason: String
    }
    public struct Duplicate: Sendable, Hashable {
        public var side: Side
        public var key: String
        public var ids: [String]
    }

    public var flow: String
    public var left: String
    public var right: String
    public var leftRecords = 0
    public var rightRecords = 0
    public var linked = 0
    public var agreeing = 0
    public var differences: [Difference] = []
    public var missing: [Missing] = []
    public var duplicates: [Duplicate] = []
    public var unreadable: [Missing] = []
    public var parked = 0
    public var quarantined = 0
    public var ambiguous = 0
    public var pending = 0
    /// Findings beyond the per-list cap, counted but not listed (keeps memory bounded).
    public var truncated = 0

    public var ok: Bool {
        differences.isEmpty && missing.isEmpty && duplicates.isEmpty && unreadable.isEmpty && parked == 0 && quarantined == 0
            && ambiguous == 0 && pending == 0 && truncated == 0
    }
}

public struct VerificationReport: Sendable {
    public var flows: [FlowVerification]
    public var errors: [String]
    public var ok: Bool { errors.isEmpty && flows.allSatisfy(\.ok) }
}

extension SyncEngine {
    /// Checks every promise of the checklist against the live systems: each record linked exactly once,
    /// linked pairs agreeing on every mapped property after conversion, no duplicates by merge key.
    /// Streams both change feeds from the beginning through `index` (disk), so memory stays flat.
    public func verify(only: Set<String>? = nil, makeIndex: @Sendable () throws -> any VerificationIndex, listCap: Int = 1_000) async -> VerificationReport {
        let references = ReferenceResolver(store: store, limit: options.referenceCacheIds)
        var results: [FlowVerification] = []
        var errors: [String] = []
        for flow in flows where only?.contains(flow.name) ?? true {
            do {
                let context = try context(for: flow, references: references)
                let index = try makeIndex()
                do {
                    results.append(try await context.verify(index: index, listCap: listCap))
                } catch {
                    await index.close()
                    throw error
                }
                await index.close()
            } catch {
                errors.append("flow '\(flow.name)': \(error)")
            }
        }
        return VerificationReport(flows: results, errors: errors)
    }
}

extension FlowContext {
    func verify(index: any VerificationIndex, listCap: Int) async throws -> FlowVerification {
        var result = FlowVerification(flow: flow.name, left: label(.left), right: label(.right))
        // Takes the count of what was left out as its own argument: touching `result` from here while a list
        // inside it is passed inout would be overlapping access (a crash once lists reach `listCap`).
        func note<T>(_ item: T, into list: inout [T], truncated: inout Int) {
            if list.count < listCap { list.append(item) } else { truncated += 1 }
        }
        // 1. The right side into the index.
        try await readAll(side: .right) { records in
            var rows: [(id: String, values: JSONValue, keys: [String])] = []
            for record in records {
                result.rightRecords += 1
                switch try await canonicalize(record.fields, side: .right) {
                case .success(let canonical): rows.append((record.id, canonical.values.shadowJSON, keys(record.fields, side: .right)))
                case .failure(let error): note(.init(side: .right, id: record.id, reason: "\(error)"), into: &result.unreadable, truncated: &result.truncated)
                }
            }
            try await index.put(side: .right, records: rows)
        }
        // 2. The left side: compare linked pairs as they stream by.
        try await readAll(side: .left) { records in
            var rows: [(id: String, values: JSONValue, keys: [String])] = []
            var canonicals: [String: CanonicalRecord] = [:]
            for record in records {
                result.leftRecords += 1
                switch try await canonicalize(record.fields, side: .left) {
                case .success(let canonical):
                    rows.append((record.id, canonical.values.shadowJSON, keys(record.fields, side: .left)))
                    canonicals[record.id] = canonical.values
                case .failure(let error): note(.init(side: .left, id: record.id, reason: "\(error)"), into: &result.unreadable, truncated: &result.truncated)
                }
            }
            try await index.put(side: .left, records: rows)
            let links = try await store.links(flow: flow.name, side: .left, ids: Array(canonicals.keys)).filter { $0.value.state.isActive }
            let rightValues = try await index.values(side: .right, ids: links.values.compactMap(\.rightId))
            var seenLeft: [String] = []
            var seenRight: [String] = []
            for (leftId, link) in links.sorted(by: { $0.key < $1.key }) {
                guard let rightId = link.rightId, let left = canonicals[leftId] else { continue }
                seenLeft.append(leftId)
                result.linked += 1
                guard let json = rightValues[rightId], let right = CanonicalRecord(shadowJSON: json) else {
                    note(.init(side: .left, id: leftId, reason: "linked \(label(.right)) \(rightId) no longer exists"), into: &result.missing, truncated: &result.truncated)
                    continue
                }
                seenRight.append(rightId)
                var agrees = true
                for mapping in flow.properties {
                    let l = left[mapping.key] ?? .null
                    let r = right[mapping.key] ?? .null
                    if !agree(mapping, l, r) {
                        agrees = false
                        note(.init(leftId: leftId, rightId: rightId, property: mapping.left, rightProperty: mapping.right, leftValue: l.display, rightValue: r.display), into: &result.differences, truncated: &result.truncated)
                    }
                }
                if agrees { result.agreeing += 1 }
            }
            try await index.markSeen(side: .left, ids: seenLeft)
            try await index.markSeen(side: .right, ids: seenRight)
        }
        // 3. Records nobody accounted for.
        for side in [Side.left, .right] {
            var after: String?
            while true {
                let ids = try await index.unseen(side: side, after: after, limit: 1_000)
                guard let last = ids.last else { break }
                after = last
                let links = try await store.links(flow: flow.name, side: side, ids: ids)
                for id in ids {
                    if let link = links[id] {
                        if link.state.isActive {
                            note(.init(side: side, id: id, reason: "linked \(label(side.other)) \(link.id(on: side.other) ?? "?") was deleted behind Parley's back (no sync since)"), into: &result.missing, truncated: &result.truncated)
                        }
                        // Inactive links: the other side was deleted and this one archived or kept per policy.
                        continue
                    }
                    if let staged = try await store.stagedRecord(flow: flow.name, side: side, id: id), staged.state != .unmatched {
                        continue  // counted below as ambiguous / parked
                    }
                    if try await store.quarantineEntry(flow: flow.name, side: side, id: id) != nil { continue }
                    note(.init(side: side, id: id, reason: "no counterpart in \(label(side.other)) (not synced yet)"), into: &result.missing, truncated: &result.truncated)
                }
            }
            for (key, ids) in try await index.duplicateKeys(side: side, limit: listCap) {
                note(.init(side: side, key: key, ids: ids), into: &result.duplicates, truncated: &result.truncated)
            }
        }
        let counts = try await store.counts(flow: flow.name)
        result.parked = counts.parked
        result.quarantined = counts.quarantined
        result.ambiguous = counts.ambiguous
        result.pending = counts.pending
        result.duplicates.sort { ($0.side.rawValue, $0.key) < ($1.side.rawValue, $1.key) }
        return result
    }

    /// Live records of one side, page by page, from the beginning.
    func readAll(side: Side, _ body: ([NativeRecord]) async throws -> Void) async throws {
        var cursor: String?
        while true {
            let since = cursor
            let page = try await retry.run { try await connector(side).changes(datatype: datatype(side), since: since, limit: 1_000) }
            let records = page.items.compactMap { item -> NativeRecord? in
                if case .record(let record) = item, !record.deleted { return record }
                return nil
            }
            try await body(records)
            cursor = page.next
            if !page.hasMore || page.items.isEmpty { break }
        }
    }

    /// Values agree when they mean the same, or when the left value written to the right side would read
    /// back as the right value (lossy conversions such as rounding to cents).
    func agree(_ mapping: PropertyMapping, _ left: CanonicalValue, _ right: CanonicalValue) -> Bool {
        if mapping.same(left, right) { return true }
        guard mapping.reference == nil, let native = try? mapping.native(left, for: .right) else { return false }
        var fields: JSONValue = .object([:])
        fields.setValue(native, at: mapping.right)
        guard let roundTrip = try? mapping.canonical(from: fields, side: .right) else { return false }
        return mapping.same(roundTrip, right)
    }
}

import ParleyCore

/// The baseline for the engine-only figures: the store writes an onboarding needs, with no engine around
/// them. For every page of records it commits what the engine commits — the staged records and their merge
/// keys (ingest), the pending links (before the creates), then the links with both shadows, the target's
/// keys, the unstaging and the audit rows (after them) — built directly from precomputed values. The engine
/// cannot onboard faster than this on the same kind of store; the gap between the two is the engine's own work.
public enum StoreFloor {
    public static func onboarding(records: Int, pageSize: Int = 1_000, store: any LinkStore, createdIds: CreatedIds) async throws -> EngineBenchmarks.Figures {
        let flow = EngineBenchmarks.flow.name
        let cpuStart = processCPUSeconds()
        let start = monotonicNanos()
        var first = 0
        while first < records {
            let ids = (first..<min(first + pageSize, records)).map(String.init)
            first += pageSize
            var ingest = StoreBatch()
            for id in ids {
                let index = Int(id) ?? 0
                ingest.staged.append(StagedRecord(
                    flow: flow, side: .left, id: id, state: .unmatched, fields: EngineBenchmarks.customer(index), changedAtMillis: 1_000))
                ingest.keys.append((flow, .left, id, ["c-\(index)"]))
                ingest.unquarantine.append((flow, .left, id))
            }
            try await store.commit(ingest)
            var pending = StoreBatch()
            for id in ids {
                pending.links.append(Link(flow: flow, leftId: id, rightId: nil, state: .pendingRight, idempotencyKey: "parley-\(flow)-left-\(id)", updatedAtMillis: 1))
            }
            try await store.commit(pending)
            var completion = StoreBatch()
            for id in ids {
                let index = Int(id) ?? 0
                let shadow = canonical(index)
                let rightId = createdIds.id(records + index)
                completion.links.append(Link(flow: flow, leftId: id, rightId: rightId, state: .linked, leftShadow: shadow, rightShadow: shadow, updatedAtMillis: 2))
                completion.keys.append((flow, .right, rightId, ["c-\(index)"]))
                completion.unstaged.append((flow, .left, id))
                completion.audit.append(AuditEntry(
                    atMillis: 2, flow: flow, leftId: id, rightId: rightId, target: .right, action: .created,
                    changes: shadow.sorted { $0.key < $1.key }.map { PropertyWrite(property: $0.key, before: .null, after: $0.value, reason: .created) },
                    note: "new on customer, no match by merge criteria"))
            }
            try await store.commit(completion)
        }
        let seconds = Double(monotonicNanos() - start) / 1e9
        return EngineBenchmarks.Figures(
            label: "store floor: onboarding writes without the engine", records: records, seconds: seconds, storeSeconds: seconds, storeCalls: 3 * ((records + pageSize - 1) / pageSize),
            cpuSeconds: processCPUSeconds() - cpuStart)
    }

    /// The canonical values the benchmark flow gives a synthetic customer (what the shadows hold).
    static func canonical(_ index: Int) -> CanonicalRecord {
        [
            "number": .text("C-\(index)"), "name": .text("Company \(index) AS"), "email": .text("Post\(index)@Example.com"),
            "budget": DecimalText("\(index % 10_000).\(index % 100)").map(CanonicalValue.number) ?? .null, "active": .bool(index % 7 != 0),
        ]
    }
}

import ParleyCore

/// A record some system says has changed (a webhook delivery).
public struct ChangedRecord: Sendable, Hashable {
    public var system: String
    /// The datatype name (`customer`), or the collection it lives in (`customers`); both are accepted.
    public var datatype: String
    public var id: String
    /// What the sender claims; the record is read either way, and only a record that cannot be read is
    /// treated as deleted.
    public var deleted: Bool

    public init(system: String, datatype: String, id: String, deleted: Bool = false) {
        self.system = system
        self.datatype = datatype
        self.id = id
        self.deleted = deleted
    }
}

extension SyncEngine {
    /// Syncs the given records at once, without waiting for the next pass: a linked record is merged, an
    /// unlinked one is staged and matched (linked or created), a deleted one follows the delete policy.
    /// Cursors do not move: the change feed still reports these records later, as echoes.
    public func syncRecords(_ records: [ChangedRecord]) async -> PassReport {
        let references = ReferenceResolver(store: store, limit: options.referenceCacheIds)
        var reports: [String: FlowReport] = [:]
        var errors: [String] = []
        flows: for flow in flows {
            for side in [Side.left, .right] {
                let ref = flow.datatype(on: side)
                let collection = try? await connectors[ref.system]?.schema().datatype(ref.datatype)?.collection
                let matching = records.filter { $0.system == ref.system && ($0.datatype == ref.datatype || $0.datatype == collection) }
                guard !matching.isEmpty else { continue }
                do {
                    let context = try context(for: flow, references: references)
                    try await checkStoreAcceptsWrites(flow)
                    // With several workers, the flow is held exclusively so that no other worker processes these
                    // records meanwhile; if it stays busy, the next pass picks the changes up from the feed.
                    guard let report = try await exclusivelyIfShared(flow: flow.name, { try await context.syncRecords(matching, side: side) }) else {
                        logger.info("flow busy with other workers' work; the change is left to the next pass",
                            metadata: ["flow": "\(flow.name)", "records": "\(matching.count)"])
                        var deferred = FlowReport(flow: flow.name)
                        deferred.deferred = matching.count
                        reports[flow.name, default: FlowReport(flow: flow.name)].merge(deferred)
                        continue
                    }
                    reports[flow.name, default: FlowReport(flow: flow.name)].merge(report)
                } catch {
                    errors.append("flow '\(flow.name)': \(error)")
                    if !Self.concernsOneFlow(error) { break flows }
                }
            }
        }
        return PassReport(flows: flows.compactMap { reports[$0.name] }, errors: errors)
    }
}

extension FlowContext {
    func syncRecords(_ records: [ChangedRecord], side: Side) async throws -> FlowReport {
        var report = FlowReport(flow: flow.name)
        var batch = StoreBatch()
        let links = try await store.links(flow: flow.name, side: side, ids: records.map(\.id))
        var changes: [(Link, NativeRecord)] = []
        var toMatch: [StagedRecord] = []
        var gone: Set<RecordSide> = []
        let baseline = try await readingNewOnlyBaseline(side)
        for changed in records {
            // Even a reported delete is checked: a stale or replayed "deleted" must not archive a record that exists.
            let fetched = try await readLive(side, id: changed.id)
            report.read[side, default: 0] += 1
            guard let record = fetched else {
                if let link = links[changed.id], link.state.isActive {
                    batch.staged.append(StagedRecord(flow: flow.name, side: side, id: changed.id, state: .deleted, fields: .object([:]), changedAtMillis: nil))
                    gone.insert(RecordSide(side: side, id: changed.id))
                } else {
                    batch.unstaged.append((flow.name, side, changed.id))
                }
                batch.keys.append((flow.name, side, changed.id, []))
                continue
            }
            if let link = links[record.id] {
                if link.state.isActive {
                    changes.append((link, record))
                } else if link.state == Self.deletedState(side) {
                    // It exists again after its delete: matching restores it.
                    toMatch.append(stage(record, side: side, into: &batch))
                }
                continue
            }
            if try await excludedIds([.record(record)], links: links, side: side, baseline: baseline).contains(record.id) {
                stage(record, side: side, state: .excluded, reason: excludedReason(side), into: &batch)
                continue
            }
            stage(record, side: side, into: &batch)
            toMatch.append(StagedRecord(flow: flow.name, side: side, id: record.id, state: .unmatched, fields: record.fields, changedAtMillis: record.changedAtMillis))
        }
        try await store.commit(batch)
        let merged = try await processLinkedChanges(changes, changedSide: side)
        try await store.commit(merged.batch)
        report.merge(merged.report)
        if !toMatch.isEmpty { report.merge(try await matchBatch(toMatch, side: side)) }
        if !gone.isEmpty { report.merge(try await applyDeletes(readGone: gone)) }
        return report
    }
}

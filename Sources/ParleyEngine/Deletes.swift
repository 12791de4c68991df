import ParleyCore

extension FlowContext {
    /// Applies staged deletes per the flow's policy, after the circuit breaker allowed them; `sides`: those
    /// that may have some (a pass leaves out a side it knows has none). Each record is read first: only one that
    /// cannot be read any more is treated as deleted; `readGone`: records the caller has just read as gone (a
    /// webhook's delete), not read again.
    func applyDeletes(sides: [Side] = [.left, .right], readGone: Set<RecordSide> = []) async throws -> FlowReport {
        var report = FlowReport(flow: flow.name)
        var batch = StoreBatch()
        var deletes: [LinkedDelete] = []
        for side in sides {
            var after: String?
            while true {
                let records = try await store.staged(flow: flow.name, side: side, states: [.deleted], after: after, limit: options.pageSize)
                guard let last = records.last else { break }
                after = last.id
                let links = try await store.links(flow: flow.name, side: side, ids: records.map(\.id))
                for record in records {
                    guard let link = links[record.id], link.state.isActive, let otherId = link.id(on: side.other) else {
                        // Not linked (never matched, or its link already deleted): nothing to apply.
                        batch.unstaged.append((flow.name, side, record.id))
                        continue
                    }
                    deletes.append(LinkedDelete(record: record, link: link, otherId: otherId))
                }
            }
        }
        guard !deletes.isEmpty else {
            try await store.commit(batch)
            return report
        }
        var existences: [Int: Existence] = [:]
        for (index, delete) in deletes.enumerated() where readGone.contains(RecordSide(side: delete.record.side, id: delete.record.id)) {
            existences[index] = .gone
        }
        existences = try await confirmBreaker(deletes, known: existences, into: &batch)
        // A link whose two records are both staged as deleted: its deletes are settled together, once.
        var stagedIndex: [RecordSide: Int] = [:]
        for (index, delete) in deletes.enumerated() { stagedIndex[RecordSide(side: delete.record.side, id: delete.record.id)] = index }
        var settled: Set<Int> = []
        for (index, delete) in deletes.enumerated() where !settled.contains(index) {
            let record = delete.record
            let existence: Existence
            if let known = existences[index] { existence = known } else { existence = await self.existence(of: record) }
            switch existence {
            case .exists(let current):
                contradicted(record, current: current, into: &batch)
                continue
            case .unknown:
                report.deferred += 1
                continue
            case .gone:
                break
            }
            if let counterpart = stagedIndex[RecordSide(side: record.side.other, id: delete.otherId)] {
                settled.insert(counterpart)
                let other = deletes[counterpart].record
                if existences[counterpart] == nil { existences[counterpart] = await self.existence(of: other) }
                switch existences[counterpart] {
                case .gone:
                    // Deleted on both sides: nothing to archive or delete, and each delete recorded once.
                    batch.links.append(alreadyGone(delete.link, deletedOn: record.side, otherId: delete.otherId, into: &batch))
                    batch.unstaged += [(flow.name, record.side, record.id), (flow.name, other.side, other.id)]
                    batch.unquarantine += [(flow.name, record.side, record.id), (flow.name, other.side, other.id)]
                    continue
                case .exists(let current):
                    contradicted(other, current: current, into: &batch)
                case .unknown, nil:
                    // Its system is unavailable: its delete waits for the next pass, this one goes on.
                    break
                }
            }
            switch try await applyPolicy(deleted: record, link: delete.link, otherId: delete.otherId, into: &batch, report: &report) {
            case .applied(let marked):
                batch.links.append(marked)
                batch.unstaged.append((flow.name, record.side, record.id))
                batch.unquarantine.append((flow.name, record.side, record.id))
            case .deferred:
                // Staged as deleted still: the next pass tries again.
                continue
            case .refused:
                // Quarantined; the link stays active, so retrying the quarantined record applies the policy again.
                batch.unstaged.append((flow.name, record.side, record.id))
            }
        }
        try await store.commit(batch)
        return report
    }

    /// One side's record id.
    struct RecordSide: Hashable, Sendable {
        let side: Side
        let id: String
    }

    /// A staged delete of a record with an active link.
    struct LinkedDelete {
        let record: StagedRecord
        let link: Link
        let otherId: String
    }

    /// A tombstone the record contradicts (a full scan that missed it, a flag flipped back): nothing to do but
    /// give it back the merge keys the tombstone cleared, so it is still found as a candidate.
    func contradicted(_ record: StagedRecord, current: NativeRecord, into batch: inout StoreBatch) {
        logger.warning(
            "change feed reported a record deleted that can still be read; its counterpart is left as is",
            metadata: ["flow": "\(flow.name)", "system": "\(label(record.side))", "id": "\(record.id)"])
        batch.keys.append((flow.name, record.side, record.id, keys(current.fields, side: record.side)))
        batch.unstaged.append((flow.name, record.side, record.id))
    }

    /// Whether a record its change feed reported deleted.
    enum Existence {
        case gone
        /// It can still be read: it was not deleted, and archiving or deleting its counterpart would be wrong.
        case exists(NativeRecord)
        /// Its system is unavailable.
        case unknown
    }

    /// Reads a record its change feed reported deleted. A read the system refuses confirms nothing either way and
    /// counts as gone, as the feed said.
    func existence(of record: StagedRecord) async -> Existence {
        do {
            guard let current = try await readLive(record.side, id: record.id) else { return .gone }
            return .exists(current)
        } catch let error as ConnectorError where error.isTransient {
            return .unknown
        } catch {
            return .gone
        }
    }

    /// What became of one staged delete.
    enum DeleteOutcome {
        /// The policy was applied (or there was nothing to do): the link, marked deleted on the deleted side.
        case applied(Link)
        /// The other system is unavailable: the delete stays staged.
        case deferred
        /// The other system refused the archive or the delete: the deleted record is quarantined saying so.
        case refused
    }

    /// Applies the flow's delete policy to `otherId`, the counterpart of a record deleted on `deleted.side`.
    func applyPolicy(deleted record: StagedRecord, link: Link, otherId: String, into batch: inout StoreBatch, report: inout FlowReport) async throws
        -> DeleteOutcome
    {
        let side = record.side
        let other = side.other
        var link = link
        link.state = side == .left ? .leftDeleted : .rightDeleted
        link.updatedAtMillis = now()
        switch flow.deletes {
        case .ignore:
            batch.audit.append(AuditEntry(atMillis: now(), flow: flow.name, leftId: link.leftId, rightId: link.rightId, target: other, action: .deleted, note: "deleted on \(label(side)); policy ignore: \(label(other)) \(otherId) left as is"))
        case .archive(let leftMarker, let rightMarker):
            guard let marker = other == .left ? leftMarker : rightMarker else {
                batch.audit.append(AuditEntry(atMillis: now(), flow: flow.name, leftId: link.leftId, rightId: link.rightId, target: other, action: .deleted, note: "deleted on \(label(side)); \(label(other)) has no archive property"))
                break
            }
            var patch: JSONValue = .object([:])
            patch.setValue(marker.value, at: marker.property)
            report.plan.append(PlanEntry(action: .archive, side: other, id: otherId, detail: "\(label(side)) \(record.id) was deleted"))
            if !options.dryRun {
                do {
                    let archivePatch = patch
                    let stored = try await retry.run { try await connector(other).update(datatype: datatype(other), id: otherId, fields: archivePatch, ifMatch: nil) }
                    if case .success(let canonical) = try await canonicalize(stored.fields, side: other) { link.setShadow(canonical.values, on: other) }
                } catch ConnectorError.notFound {
                    return .applied(alreadyGone(link, deletedOn: side, otherId: otherId, into: &batch))
                } catch let error as ConnectorError where !error.stopsFlow {
                    return notTaken(record, error, doing: "archive \(otherId)", into: &batch, report: &report)
                }
            }
            report.archived[other, default: 0] += 1
            batch.audit.append(AuditEntry(
                atMillis: now(), flow: flow.name, leftId: link.leftId, rightId: link.rightId, target: other, action: .archived,
                changes: [PropertyWrite(property: marker.property, before: .null, after: .text(marker.value.jsonText), reason: .archived)],
                note: "deleted on \(label(side))"))
        case .propagate:
            report.plan.append(PlanEntry(action: .delete, side: other, id: otherId, detail: "\(label(side)) \(record.id) was deleted"))
            if !options.dryRun {
                do {
                    try await retry.run { try await connector(other).delete(datatype: datatype(other), id: otherId) }
                } catch ConnectorError.notFound {
                    return .applied(alreadyGone(link, deletedOn: side, otherId: otherId, into: &batch))
                } catch let error as ConnectorError where !error.stopsFlow {
                    return notTaken(record, error, doing: "delete \(otherId)", into: &batch, report: &report)
                }
            }
            report.deleted[other, default: 0] += 1
            batch.audit.append(AuditEntry(atMillis: now(), flow: flow.name, leftId: link.leftId, rightId: link.rightId, target: other, action: .deleted, note: "deleted on \(label(side))"))
        }
        return .applied(link)
    }

    /// The counterpart was deleted too (both sides at once): nothing to archive or delete, and nothing counted.
    /// Returns `link`, marked deleted on `side`.
    func alreadyGone(_ link: Link, deletedOn side: Side, otherId: String, into batch: inout StoreBatch) -> Link {
        var link = link
        link.state = side == .left ? .leftDeleted : .rightDeleted
        link.updatedAtMillis = now()
        batch.audit.append(AuditEntry(
            atMillis: now(), flow: flow.name, leftId: link.leftId, rightId: link.rightId, target: side.other, action: .deleted,
            note: "deleted on \(label(side)); \(label(side.other)) \(otherId) was already gone"))
        return link
    }

    /// A delete the other system did not take: deferred when it is unavailable, else the deleted record is
    /// quarantined with the system's answer (one refusal does not stop the flow's other deletes).
    func notTaken(_ record: StagedRecord, _ error: ConnectorError, doing action: String, into batch: inout StoreBatch, report: inout FlowReport) -> DeleteOutcome {
        if error.isTransient {
            report.deferred += 1
            return .deferred
        }
        quarantine(record.side, record.id, "\(label(record.side.other)) refused to \(action) after \(label(record.side)) \(record.id) was deleted: \(error)", into: &batch, report: &report)
        return .refused
    }
}

extension FlowDefinition {
    var deletesAreIgnored: Bool { if case .ignore = deletes { true } else { false } }
}

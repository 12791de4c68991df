import ParleyCore

/// A create whose pending link says an earlier attempt was sent, but whose answer was never recorded (a crash, a
/// lost connection): the target may hold the record it made. Contract systems answer a repeated idempotency key
/// with that record; other connectors search for it by merge criteria.
extension FlowContext {
    /// Whether the source record of an interrupted create is gone (deleted since the attempt). A failed read counts
    /// as present: the create then goes ahead as if nothing had happened.
    func sourceIsGone(_ record: StagedRecord, side: Side) async -> Bool {
        do {
            return try await readLive(side, id: record.id) == nil
        } catch {
            return false
        }
    }

    /// What to do about a create that was interrupted (its pending link is all that is known of it).
    enum InterruptedCreate {
        /// Create it now (the target cannot be searched, or has nothing that matches).
        case create
        /// The one record that matches: the create's, taken as created.
        case adopt(NativeRecord)
        /// Held as ambiguous, quarantined or deferred (recorded in the batch): nothing to send now.
        case settled
    }

    /// Looks for the record an interrupted create may have made (`adoptExisting`). Several matches hold the source
    /// record as ambiguous with them (its pending link removed: a person links the right one); a search that fails
    /// defers it (transient) or quarantines it — its pending link kept, so that retrying it searches again rather
    /// than creating blindly.
    /// `sourceGone`: the source record was deleted since; when the search then finds nothing, the interrupted attempt
    /// made nothing, and nothing is created (its pending link is removed).
    func adoptInterrupted(
        _ record: StagedRecord, side: Side, sourceGone: Bool, into batch: inout StoreBatch, report: inout FlowReport
    ) async throws -> InterruptedCreate {
        let target = side.other
        let adoption: Adoption
        do {
            adoption = try await adoptExisting(record, side: side)
        } catch let error as ConnectorError {
            if error.isTransient {
                report.deferred += 1
            } else {
                let reason = "cannot search \(label(target)) for the record the interrupted create of \(label(side)) \(record.id) may have made: \(error)"
                quarantine(side, record.id, reason, into: &batch, report: &report)
                batch.unstaged.append((flow.name, side, record.id))
            }
            return .settled
        }
        switch adoption {
        case .unsearchable:
            return .create
        case .nothing:
            guard sourceGone else { return .create }
            batch.removedLinks.append(linkRemoval(side, record.id))
            batch.unstaged.append((flow.name, side, record.id))
            batch.audit.append(AuditEntry(
                atMillis: now(), flow: flow.name, leftId: side == .left ? record.id : nil, rightId: side == .right ? record.id : nil, target: target,
                action: .deleted, note: "deleted on \(label(side)) before its interrupted create was confirmed; \(label(target)) has no record it made: nothing created"))
            return .settled
        case .one(let found):
            // A record another one is linked to was not made for this one: adopting it would take it from that link.
            guard let holder = try await store.links(flow: flow.name, side: target, ids: [found.id])[found.id], holder.id(on: side) != record.id else {
                return .adopt(found)
            }
            let reason = "its create was interrupted, and the only \(label(target)) record matching it by merge criteria, \(found.id), "
                + "is linked to \(label(side)) \(holder.id(on: side) ?? "a pending record")"
            holdInterrupted(record, side: side, reason: reason, candidates: [found.id], into: &batch, report: &report)
            return .settled
        case .several(let ids):
            // The interrupted create may be any of them: creating again would only add one more.
            let reason = "its create was interrupted, and \(label(target)) now has \(ids.count) records matching it by merge criteria: "
                + "\(ids.prefix(5).joined(separator: ", ")); link it to the one created for it"
            holdInterrupted(record, side: side, reason: reason, candidates: ids, into: &batch, report: &report)
            return .settled
        }
    }

    /// Holds a record whose create was interrupted as ambiguous with `candidates`, its pending link removed: a
    /// person decides which record (if any) the create made.
    func holdInterrupted(
        _ record: StagedRecord, side: Side, reason: String, candidates: [String], into batch: inout StoreBatch, report: inout FlowReport
    ) {
        holdAmbiguous(record, candidates: candidates, reason: reason, into: &batch, report: &report)
        batch.removedLinks.append(linkRemoval(side, record.id))
    }

    /// What a search for a create that may already have happened found.
    enum Adoption {
        /// The system cannot search (or the record has no value to search by): only the idempotency key can tell.
        case unsearchable
        /// Nothing matches: the interrupted attempt made nothing.
        case nothing
        case one(NativeRecord)
        /// Several records match: the ids, sorted.
        case several([String])
    }

    /// For a create that may already have happened (a pending link from an earlier attempt), look for the
    /// record by merge criteria on systems that can search; contract systems rely on the idempotency key.
    func adoptExisting(_ record: StagedRecord, side: Side) async throws -> Adoption {
        let target = side.other
        guard let criterion = flow.mergeCriteria.first else { return .unsearchable }
        var query: [String: JSONValue] = [:]
        for pair in criterion.pairs {
            guard let value = record.fields.value(at: side == .left ? pair.left : pair.right), !value.isNull else { return .unsearchable }
            query[side == .left ? pair.right : pair.left] = value
        }
        let search = query
        guard let found = try await retry.run({ try await connector(target).find(datatype: datatype(target), matching: search) }) else { return .unsearchable }
        switch found.count {
        case 0: return .nothing
        case 1: return .one(found[0])
        default: return .several(found.map(\.id).sorted())
        }
    }
}

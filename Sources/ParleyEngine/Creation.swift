import ParleyCore

extension FlowContext {
    /// Creates counterparts for records that matched nothing. Crash-safe: the pending link (with its
    /// idempotency key) is committed before any create is sent; a repeated key returns the first result,
    /// and systems without idempotency are searched by merge criteria before creating again.
    /// `held`: the records that stay staged (parked, or deferred by a system that stayed unavailable).
    func createAll(_ records: [StagedRecord], from side: Side, pendingIds: Set<String>) async throws -> (report: FlowReport, held: [String]) {
        try await sendCreates(try await prepareCreates(records, from: side, pendingIds: pendingIds))
    }

    /// The first half of `createAll`: converts the records, parks or quarantines those that cannot be
    /// created yet, and commits a pending link for each of the others — nothing is sent to a system yet.
    func prepareCreates(_ records: [StagedRecord], from side: Side, pendingIds: Set<String>) async throws -> PreparedCreates {
        var report = FlowReport(flow: flow.name)
        let target = side.other
        guard flow.direction.carries(from: side) else { return PreparedCreates(side: side, recordIds: records.map(\.id), report: report) }
        var prepared: [PreparedCreates.Item] = []
        var batch = StoreBatch()
        try await prefetchReferences(of: records.map(\.fields), side: side)
        // A retried create sends the key its pending link recorded: the one the interrupted attempt may have sent.
        let retried = records.lazy.map(\.id).filter(pendingIds.contains)
        let recordedKeys = retried.isEmpty ? [:] : try await store.links(flow: flow.name, side: side, ids: Array(retried)).compactMapValues(\.idempotencyKey)
        for record in records {
            let canonical: CanonicalizedRecord
            switch try await canonicalize(record.fields, side: side) {
            case .failure(let error):
                quarantine(side, record.id, "\(label(side)) \(record.id): \(error)", into: &batch, report: &report)
                batch.unstaged.append((flow.name, side, record.id))
                continue
            case .success(let value): canonical = value
            }
            if let unresolved = canonical.unresolvedReferences.first {
                park(record, waitingOn: "\(unresolved.flow):\(unresolved.id)",
                    reason: "waiting on \(unresolved.flow): \(unresolved.property) refers to \(label(side)) \(unresolved.id), which is not linked yet",
                    into: &batch, report: &report)
                continue
            }
            let writes = flow.properties.compactMap { mapping -> PropertyWrite? in
                guard mapping.direction.carries(from: side), let value = canonical.values[mapping.key], !value.isEmpty else { return nil }
                return PropertyWrite(property: mapping.key, before: .null, after: value, reason: .created)
            }
            switch try await nativePatch(writes, to: target) {
            case .failure(let error):
                if let parking = parkReason(error, side: target) {
                    park(record, waitingOn: parking.waitingOn, reason: parking.reason, into: &batch, report: &report)
                } else {
                    quarantine(side, record.id, "cannot convert for \(label(target)): \(error)", into: &batch, report: &report)
                    batch.unstaged.append((flow.name, side, record.id))
                }
                continue
            case .success(var patch):
                for (path, value) in flow.createDefaults[target] ?? [:] where (patch.value(at: path) ?? .null).isNull {
                    patch.setValue(CreateTemplate.render(value, source: record.fields, sourceId: record.id), at: path)
                }
                let key = recordedKeys[record.id] ?? newIdempotencyKey(source: side, id: record.id)
                prepared.append(PreparedCreates.Item(
                    record: record, patch: patch, canonical: canonical.values, writes: writes, idempotencyKey: key, wasPending: pendingIds.contains(record.id)))
            }
        }
        if options.dryRun {
            for item in prepared {
                report.created[target, default: 0] += 1
                report.plan.append(PlanEntry(action: .create, side: target, id: "(new)", detail: "from \(label(side)) \(item.record.id): \(item.writes.count) properties"))
            }
            try await store.commit(batch)
            return PreparedCreates(side: side, recordIds: records.map(\.id), report: report)
        }
        // Record intent first: a crash after this point adopts instead of duplicating.
        for item in prepared {
            batch.links.append(Link(
                flow: flow.name, leftId: side == .left ? item.record.id : nil, rightId: side == .right ? item.record.id : nil,
                state: side == .left ? .pendingRight : .pendingLeft, idempotencyKey: item.idempotencyKey,
                updatedAtMillis: now()))
        }
        try await store.commit(batch)
        let settled = Set(batch.unstaged.lazy.filter { $0.side == side }.map(\.id))
        return PreparedCreates(side: side, recordIds: records.map(\.id), report: report, items: prepared, settled: settled)
    }

    /// The second half of `createAll`: sends the prepared creates, `concurrency` at a time, and commits
    /// their links. Returns the records that stay staged (parked, or deferred by a system that stayed unavailable).
    func sendCreates(_ plan: PreparedCreates) async throws -> (report: FlowReport, held: [String]) {
        var report = plan.report
        var settled = plan.settled
        if !plan.items.isEmpty {
            var completion = StoreBatch()
            let side = plan.side
            let parts = try await forEachConcurrently(plan.items, limit: options.concurrency) { item in
                try await self.create(item, from: side)
            }
            for (part, partReport) in parts {
                completion.append(part)
                report.merge(partReport)
            }
            try await store.commit(completion)
            settled.formUnion(completion.unstaged.lazy.filter { $0.side == side }.map(\.id))
            // A create that is neither linked now nor given up keeps its pending link (deferred, or quarantined while
            // its search failed): later records sharing its keys wait for it.
            let done = Set(completion.links.compactMap { $0.id(on: side) })
                .union(completion.removedLinks.compactMap { side == .left ? $0.leftId : $0.rightId })
            let stillPending = plan.items.filter { !done.contains($0.record.id) }.map { (id: $0.record.id, keys: keys($0.record.fields, side: side)) }
            await pendingCreates.update(side: side, pending: stillPending, done: done)
        }
        return (report, plan.recordIds.filter { !settled.contains($0) })
    }

    func create(_ item: PreparedCreates.Item, from side: Side) async throws -> (StoreBatch, FlowReport) {
        var batch = StoreBatch()
        var report = FlowReport(flow: flow.name)
        let target = side.other
        let (record, patch, canonical, writes, key) = (item.record, item.patch, item.canonical, item.writes, item.idempotencyKey)
        var adopted: NativeRecord?
        // Deleted since the interrupted attempt: the record that attempt made (adopted, or answered to the key)
        // follows the delete policy instead of staying as an orphan — or being created back on the source side.
        let sourceGone = item.wasPending ? await sourceIsGone(record, side: side) : false
        if item.wasPending {
            switch try await adoptInterrupted(record, side: side, sourceGone: sourceGone, into: &batch, report: &report) {
            case .create: break
            case .adopt(let found): adopted = found
            case .settled: return (batch, report)
            }
        }
        let created: NativeRecord
        do {
            if let adopted {
                created = adopted
            } else {
                created = try await retry.run { try await connector(target).create(datatype: datatype(target), fields: patch, idempotencyKey: key) }
            }
        } catch let error as ConnectorError {
            if error.isTransient {
                report.deferred += 1
            } else {
                quarantine(side, record.id, "\(label(target)) refused to create the counterpart of \(label(side)) \(record.id): \(error)", into: &batch, report: &report)
                batch.unstaged.append((flow.name, side, record.id))
                batch.removedLinks.append(linkRemoval(side, record.id))
            }
            return (batch, report)
        }
        var targetValues = canonical
        if case .success(let stored) = try await canonicalize(created.fields, side: target), stored.unresolvedReferences.isEmpty {
            targetValues = stored.values
        }
        var sourceValues = canonical
        let leftId = side == .left ? record.id : created.id
        let rightId = side == .right ? record.id : created.id
        // Values the target filled in itself (a generated customer number) are written back to the source,
        // so both sides agree on every mapped property.
        let writeBack = flow.properties.compactMap { mapping -> PropertyWrite? in
            guard mapping.direction.carries(from: target), flow.direction.carries(from: target),
                let value = targetValues[mapping.key], !value.isEmpty, (canonical[mapping.key] ?? .null).isEmpty
            else { return nil }
            return PropertyWrite(property: mapping.key, before: .null, after: value, reason: .filledEmpty)
        }
        if !sourceGone, !writeBack.isEmpty, case .success(let patch) = try await nativePatch(writeBack, to: side) {
            do {
                let stored = try await retry.run { try await connector(side).update(datatype: datatype(side), id: record.id, fields: patch, ifMatch: nil) }
                sourceValues = try await shadowAfterWrite(read: sourceValues, writes: writeBack, stored: stored, side: side)
                report.updated[side, default: 0] += 1
                batch.audit.append(AuditEntry(
                    atMillis: now(), flow: flow.name, leftId: leftId, rightId: rightId, target: side, action: .updated, changes: writeBack,
                    note: "values generated by \(label(target)) on create"))
            } catch let error as ConnectorError {
                // The link stands; the next pass sees the difference and retries the write-back.
                logger.warning("write-back after create failed", metadata: ["flow": "\(flow.name)", "id": "\(record.id)", "error": "\(error)"])
            }
        }
        report.created[target, default: 0] += 1
        report.plan.append(PlanEntry(action: .create, side: target, id: created.id, detail: "from \(label(side)) \(record.id)"))
        batch.links.append(Link(
            flow: flow.name, leftId: leftId, rightId: rightId, state: .linked,
            leftShadow: side == .left ? sourceValues : targetValues, rightShadow: side == .right ? sourceValues : targetValues, updatedAtMillis: now()))
        batch.keys.append((flow.name, target, created.id, keys(created.fields, side: target)))
        if sourceGone {
            batch.staged.append(StagedRecord(flow: flow.name, side: side, id: record.id, state: .deleted, fields: .object([:]), changedAtMillis: nil))
            batch.keys.append((flow.name, side, record.id, []))
        } else {
            batch.unstaged.append((flow.name, side, record.id))
        }
        batch.audit.append(AuditEntry(
            atMillis: now(), flow: flow.name, leftId: leftId, rightId: rightId, target: target, action: .created, changes: writes,
            note: "new on \(label(side)), no match by merge criteria"))
        await references.remember(flow: flow.name, leftId: leftId, rightId: rightId)
        return (batch, report)
    }
}

/// Creates converted and recorded as pending links, not yet sent (`FlowContext.prepareCreates`).
struct PreparedCreates: Sendable {
    struct Item: Sendable {
        var record: StagedRecord
        var patch: JSONValue
        var canonical: CanonicalRecord
        var writes: [PropertyWrite]
        /// Recorded in the pending link before the create is sent.
        var idempotencyKey: String
        var wasPending: Bool
    }

    var side: Side
    /// The ids of every record the creates were asked for, in order.
    var recordIds: [String]
    var report: FlowReport
    /// The records to send; empty when none can be sent (dry run, a direction that does not carry them).
    var items: [Item] = []
    /// Records already settled (quarantined, unstaged) while preparing.
    var settled: Set<String> = []
}

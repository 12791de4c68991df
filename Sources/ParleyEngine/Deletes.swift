import ParleyCore

extension FlowContext {
    /// Applies staged deletes per the flow's policy, after the circuit breaker allowed them; `sides`: those
    /// that may have some (a pass leaves out a side it knows has none).
    func applyDeletes(sides: [Side] = [.left, .right]) async throws -> FlowReport {
        var report = FlowReport(flow: flow.name)
        var pending: [StagedRecord] = []
        for side in sides {
            var after: String?
            while true {
                let records = try await store.staged(flow: flow.name, side: side, states: [.deleted], after: after, limit: options.pageSize)
                guard let last = records.last else { break }
                after = last.id
                pending += records
            }
        }
        guard !pending.isEmpty else { return report }
        let linked = try await store.counts(flow: flow.name).linked
        let limit = max(options.breakerMinRecords, Int(Double(linked) * options.maxDeleteShare))
        if pending.count > limit, !options.allowMassDeletes, !flow.deletesAreIgnored {
            throw EngineError.circuitBreaker(flow: flow.name, deletes: pending.count, links: linked, limit: limit)
        }
        var batch = StoreBatch()
        for record in pending {
            let side = record.side
            let other = side.other
            guard var link = try await store.links(flow: flow.name, side: side, ids: [record.id])[record.id], link.state.isActive,
                let otherId = link.id(on: other)
            else {
                batch.unstaged.append((flow.name, side, record.id))
                continue
            }
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
                report.archived[other, default: 0] += 1
                report.plan.append(PlanEntry(action: .archive, side: other, id: otherId, detail: "\(label(side)) \(record.id) was deleted"))
                if !options.dryRun {
                    do {
                        let archivePatch = patch
                        let stored = try await retry.run { try await connector(other).update(datatype: datatype(other), id: otherId, fields: archivePatch, ifMatch: nil) }
                        if case .success(let canonical) = try await canonicalize(stored.fields, side: other) { link.setShadow(canonical.values, on: other) }
                    } catch let error as ConnectorError {
                        report.archived[other, default: 0] -= 1
                        if case .notFound = error {
                            // Already gone there too.
                        } else if error.isTransient {
                            report.deferred += 1
                            continue
                        } else {
                            quarantine(side, record.id, "\(label(other)) refused to archive \(otherId): \(error)", into: &batch, report: &report)
                        }
                    }
                }
                batch.audit.append(AuditEntry(
                    atMillis: now(), flow: flow.name, leftId: link.leftId, rightId: link.rightId, target: other, action: .archived,
                    changes: [PropertyWrite(property: marker.property, before: .null, after: .text(marker.value.jsonText), reason: .archived)],
                    note: "deleted on \(label(side))"))
            case .propagate:
                report.deleted[other, default: 0] += 1
                report.plan.append(PlanEntry(action: .delete, side: other, id: otherId, detail: "\(label(side)) \(record.id) was deleted"))
                if !options.dryRun {
                    do {
                        try await retry.run { try await connector(other).delete(datatype: datatype(other), id: otherId) }
                    } catch let error as ConnectorError where error.isTransient {
                        report.deleted[other, default: 0] -= 1
                        report.deferred += 1
                        continue
                    }
                }
                batch.audit.append(AuditEntry(atMillis: now(), flow: flow.name, leftId: link.leftId, rightId: link.rightId, target: other, action: .deleted, note: "deleted on \(label(side))"))
            }
            batch.links.append(link)
            batch.unstaged.append((flow.name, side, record.id))
        }
        try await store.commit(batch)
        return report
    }
}

extension FlowDefinition {
    var deletesAreIgnored: Bool { if case .ignore = deletes { true } else { false } }
}

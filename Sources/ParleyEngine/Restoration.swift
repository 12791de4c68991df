import ParleyCore

extension FlowContext {
    /// What became of a record that exists again after Parley applied its delete.
    enum Restoration {
        /// Linked to its counterpart again and merged: what to record.
        case relinked(StoreBatch, FlowReport)
        /// Its counterpart is gone too: the old link is removed (in the batch), and the record is matched anew once
        /// the batch is recorded.
        case unlinked(StoreBatch)
        /// Deleted again, or a system could not serve it (parked, deferred, quarantined): recorded in the batch.
        case settled(StoreBatch, FlowReport)
    }

    /// A record that exists again after Parley applied its delete — restored from a trash, a soft delete undone, a
    /// record one full scan missed. Were its link left as deleted, the record would be ignored for good and every
    /// edit to it lost. If its counterpart still exists, the two are linked again and merged: edits made since the
    /// delete cross over, and where the policy archived the counterpart through a mapped property, the restored
    /// record's value of that property counts as an edit, so the counterpart is un-archived (or stays archived if
    /// the restored record says so). If the counterpart is gone (the delete was propagated), the record starts over.
    func restore(_ staged: StagedRecord, side: Side, link: Link) async throws -> Restoration {
        var batch = StoreBatch()
        var report = FlowReport(flow: flow.name)
        let other = side.other
        guard case .read(let read) = try await readForMerge(side, id: staged.id, for: staged, again: true, into: &batch, report: &report) else {
            return .settled(batch, report)
        }
        guard let record = read else {
            // Deleted again before it was matched: the link stays as it is.
            batch.unstaged.append((flow.name, side, staged.id))
            return .settled(batch, report)
        }
        let removal = linkRemoval(side, staged.id)
        guard let otherId = link.id(on: other) else {
            batch.removedLinks.append(removal)
            return .unlinked(batch)
        }
        guard case .read(let counterpart) = try await readForMerge(other, id: otherId, for: staged, again: false, into: &batch, report: &report) else {
            return .settled(batch, report)
        }
        guard counterpart != nil else {
            batch.removedLinks.append(removal)
            batch.audit.append(AuditEntry(
                atMillis: now(), flow: flow.name, leftId: link.leftId, rightId: link.rightId, target: side, action: .deleted,
                note: "\(label(side)) \(staged.id) exists again after its delete, and \(label(other)) \(otherId) is gone: the old link is removed and the record matched anew"))
            return .unlinked(batch)
        }
        var relinked = link
        relinked.state = .linked
        relinked.updatedAtMillis = now()
        var note = "\(label(side)) \(staged.id) exists again after its delete: linked to \(label(other)) \(otherId) again"
        var changes: [PropertyWrite] = []
        if case .archive(let leftMarker, let rightMarker) = flow.deletes, let marker = other == .left ? leftMarker : rightMarker {
            if let mapping = flow.properties.first(where: { $0.path(on: other) == marker.property }) {
                // Forgetting the restored side's shadow of the property the archive set makes its current value an edit.
                var shadow = relinked.shadow(on: side)
                shadow[mapping.key] = nil
                relinked.setShadow(shadow, on: side)
            } else if let restoreValue = marker.restoreValue {
                switch try await unarchive(otherId, marker: marker, restoreValue: restoreValue, for: staged, into: &batch, report: &report) {
                case .done(let change):
                    note += "; un-archived (\(marker.property) set to \(restoreValue.jsonText))"
                    changes.append(change)
                case .notDone:
                    return .settled(batch, report)
                }
            } else {
                note += "; it was archived (\(marker.property)) when the record was deleted and stays so: no mapped property carries it and no restore value is configured"
            }
        }
        batch.links.append(relinked)
        batch.audit.append(AuditEntry(
            atMillis: now(), flow: flow.name, leftId: link.leftId, rightId: link.rightId, target: other, action: .linked, changes: changes, note: note))
        report.plan.append(PlanEntry(action: .link, side: other, id: otherId, detail: "\(label(side)) \(staged.id) exists again after its delete"))
        let (merged, mergeReport) = try await processLinkedChange(link: relinked, record: record, changedSide: side, attempt: 1, isFresh: true)
        batch.append(merged)
        report.merge(mergeReport)
        return .relinked(batch, report)
    }

    enum Unarchive {
        case done(PropertyWrite)
        /// Deferred (the system is unavailable) or quarantined (it refused): recorded in the batch; the record stays
        /// as it is, and the restore is tried again.
        case notDone
    }

    /// Sets an archive marker no mapped property carries back to its restore value, on the counterpart of a
    /// record that exists again after its delete.
    func unarchive(_ otherId: String, marker: ArchiveMarker, restoreValue: JSONValue, for staged: StagedRecord, into batch: inout StoreBatch, report: inout FlowReport)
        async throws -> Unarchive
    {
        let other = staged.side.other
        report.plan.append(PlanEntry(action: .update, side: other, id: otherId, detail: "un-archive: \(marker.property) = \(restoreValue.jsonText)"))
        var patch: JSONValue = .object([:])
        patch.setValue(restoreValue, at: marker.property)
        if !options.dryRun {
            do {
                let restorePatch = patch
                _ = try await retry.run { try await connector(other).update(datatype: datatype(other), id: otherId, fields: restorePatch, ifMatch: nil) }
            } catch let error as ConnectorError where error.isTransient {
                report.deferred += 1
                return .notDone
            } catch let error as ConnectorError where !error.stopsFlow {
                quarantine(staged.side, staged.id, "\(label(staged.side)) \(staged.id) exists again after its delete, but \(label(other)) refused to un-archive \(otherId): \(error)", into: &batch, report: &report)
                batch.unstaged.append((flow.name, staged.side, staged.id))
                return .notDone
            }
        }
        report.updated[other, default: 0] += 1
        return .done(PropertyWrite(property: marker.property, before: .text(marker.value.jsonText), after: .text(restoreValue.jsonText), reason: .restored))
    }
}

import ParleyCore

extension FlowContext {
    /// A linked record changed on `changedSide`: read the counterpart, three-way merge against both shadows,
    /// write only what differs (each write guarded by the version read, where the system has versions), and
    /// store both shadows from what was read plus what the systems answered for the written properties.
    /// `isFresh`: `record` was just read directly (not taken from a change feed page, which may be old).
    func processLinkedChange(
        link: Link, record: NativeRecord, changedSide: Side, attempt: Int = 0, isFresh: Bool = false
    ) async throws -> (StoreBatch, FlowReport) {
        var batch = StoreBatch()
        var report = FlowReport(flow: flow.name)
        let side = changedSide
        let current: CanonicalizedRecord
        switch try await canonicalize(record.fields, side: side) {
        case .failure(let error):
            quarantine(side, record.id, "\(label(side)) \(record.id): \(error)", into: &batch, report: &report)
            return (batch, report)
        case .success(let value): current = value
        }
        batch.keys.append((flow.name, side, record.id, keys(record.fields, side: side)))
        let staged = StagedRecord(flow: flow.name, side: side, id: record.id, state: .parked, fields: record.fields, changedAtMillis: record.changedAtMillis)
        if let unresolved = current.unresolvedReferences.first {
            park(staged, waitingOn: "\(unresolved.flow):\(unresolved.id)",
                reason: "waiting on \(unresolved.flow): \(unresolved.property) refers to \(label(side)) \(unresolved.id), which is not linked yet",
                into: &batch, report: &report)
            return (batch, report)
        }
        // Echo suppression: this is what Parley last saw or wrote here.
        if attempt == 0, unchanged(current.values, shadow: link.shadow(on: side)) {
            report.unchanged += 1
            batch.unstaged.append((flow.name, side, record.id))
            return (batch, report)
        }
        let otherSide = side.other
        guard let otherId = link.id(on: otherSide) else { return (batch, report) }
        guard case .read(let other) = try await readForMerge(otherSide, id: otherId, for: staged, again: false, into: &batch, report: &report) else {
            return (batch, report)
        }
        guard let other else {
            // Deleted behind our back; its tombstone arrives through the other side's feed.
            return (batch, report)
        }
        let otherCurrent: CanonicalizedRecord
        switch try await canonicalize(other.fields, side: otherSide) {
        case .failure(let error):
            quarantine(otherSide, otherId, "\(label(otherSide)) \(otherId): \(error)", into: &batch, report: &report)
            return (batch, report)
        case .success(let value): otherCurrent = value
        }
        if let unresolved = otherCurrent.unresolvedReferences.first {
            park(staged, waitingOn: "\(unresolved.flow):\(unresolved.id)",
                reason: "waiting on \(unresolved.flow): \(label(otherSide)) \(otherId).\(unresolved.property) refers to \(unresolved.id), which is not linked yet",
                into: &batch, report: &report)
            return (batch, report)
        }
        var sides: [Side: (values: CanonicalRecord, changedAt: Int64?, version: String?)] = [
            side: (current.values, record.changedAtMillis, record.version),
            otherSide: (otherCurrent.values, other.changedAtMillis, other.version),
        ]
        let result = ThreeWayMerge.merge(
            flow: flow,
            left: MergeSide(current: sides[.left]?.values ?? [:], shadow: link.leftShadow, changedAtMillis: sides[.left]?.changedAt),
            right: MergeSide(current: sides[.right]?.values ?? [:], shadow: link.rightShadow, changedAtMillis: sides[.right]?.changedAt),
            observedLast: side)
        if !options.dryRun, !isFresh, !result.writes(to: side).isEmpty {
            // Writing back to the side that changed: the feed's copy may be minutes old, and an edit made since
            // would be overwritten or absorbed. Read it again (with its version) and merge that instead.
            guard case .read(let fresh) = try await readForMerge(side, id: record.id, for: staged, again: true, into: &batch, report: &report) else {
                return (batch, report)
            }
            // Deleted since: its tombstone arrives through the feed.
            guard let fresh else { return (batch, report) }
            return try await processLinkedChange(link: link, record: fresh, changedSide: side, attempt: attempt + 1, isFresh: true)
        }
        var updatedLink = link
        for target in [Side.left, .right] {
            let writes = result.writes(to: target)
            guard !writes.isEmpty, let targetId = link.id(on: target) else { continue }
            let patch: JSONValue
            switch try await nativePatch(writes, to: target) {
            case .failure(let error):
                if let parking = parkReason(error, side: target) {
                    park(staged, waitingOn: parking.waitingOn, reason: parking.reason, into: &batch, report: &report)
                } else {
                    quarantine(side, record.id, "cannot write to \(label(target)) \(targetId): \(error)", into: &batch, report: &report)
                }
                return (batch, report)
            case .success(let value): patch = value
            }
            if options.dryRun {
                report.plan.append(PlanEntry(action: .update, side: target, id: targetId, detail: writes.map { "\($0.property): \($0.before.display) → \($0.after.display)" }.joined(separator: ", ")))
                report.updated[target, default: 0] += 1
                continue
            }
            do {
                let version = sides[target]?.version
                let stored = try await retry.run {
                    try await connector(target).update(datatype: datatype(target), id: targetId, fields: patch, ifMatch: version)
                }
                if let values = sides[target]?.values {
                    sides[target]?.values = try await shadowAfterWrite(read: values, writes: writes, stored: stored, side: target)
                }
            } catch ConnectorError.versionMismatch where attempt < 3 {
                // The record changed between read and write: read again and re-merge (the counterpart is read
                // again anyway; the changed side is read again when it was the one written).
                return try await processLinkedChange(
                    link: link, record: record, changedSide: changedSide, attempt: attempt + 1, isFresh: isFresh && target != side)
            } catch let error as ConnectorError {
                if error.isTransient {
                    report.deferred += 1
                    park(staged, waitingOn: "\(label(target)):\(targetId)", reason: "\(label(target)) unavailable: \(error)", into: &batch, report: &report)
                    report.parked -= 1
                } else {
                    quarantine(side, record.id, "\(label(target)) refused the update of \(targetId): \(error)", into: &batch, report: &report)
                }
                return (batch, report)
            }
            report.updated[target, default: 0] += 1
            batch.audit.append(AuditEntry(
                atMillis: now(), flow: flow.name, leftId: link.leftId, rightId: link.rightId, target: target, action: .updated,
                changes: writes, note: "changed on \(label(side))"))
        }
        for conflict in result.conflicts {
            report.conflicts += 1
            batch.conflicts.append(ConflictEntry(
                flow: flow.name, leftId: link.leftId ?? "", rightId: link.rightId ?? "", property: conflict.property,
                leftValue: conflict.leftValue, rightValue: conflict.rightValue, winner: conflict.winner, rule: conflict.rule, atMillis: now()))
            report.plan.append(PlanEntry(action: .conflict, side: conflict.winner, id: link.id(on: conflict.winner) ?? "",
                detail: "\(conflict.property): \(conflict.winningValue.display) wins over \(conflict.losingValue.display) (\(conflict.rule.rawValue))"))
        }
        updatedLink.leftShadow = sides[.left]?.values ?? link.leftShadow
        updatedLink.rightShadow = sides[.right]?.values ?? link.rightShadow
        updatedLink.updatedAtMillis = now()
        batch.links.append(updatedLink)
        batch.unstaged.append((flow.name, side, record.id))
        batch.unquarantine.append((flow.name, side, record.id))
        return (batch, report)
    }

    enum MergeRead {
        /// The record as stored now (nil: it does not exist).
        case read(NativeRecord?)
        /// It could not be read; the staged change was deferred (system unavailable) or quarantined.
        case held
    }

    /// Reads a record a merge needs. A system that is unavailable defers the change (parked without counting as
    /// parked); a record the system cannot serve (an answer that is not valid JSON, a refusal) quarantines the
    /// change with the reason, so it does not stop every other change of the flow.
    func readForMerge(
        _ side: Side, id: String, for staged: StagedRecord, again: Bool, into batch: inout StoreBatch, report: inout FlowReport
    ) async throws -> MergeRead {
        do {
            return .read(try await readLive(side, id: id))
        } catch let error as ConnectorError where error.isTransient {
            report.deferred += 1
            park(staged, waitingOn: "\(label(side)):\(id)", reason: "\(label(side)) unavailable: \(error)", into: &batch, report: &report)
            report.parked -= 1
            return .held
        } catch let error as ConnectorError where !error.stopsFlow {
            quarantine(staged.side, staged.id, "cannot read \(label(side)) \(id)\(again ? " again" : ""): \(error)", into: &batch, report: &report)
            return .held
        }
    }
}

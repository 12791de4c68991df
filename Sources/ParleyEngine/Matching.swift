import ParleyCore

extension FlowContext {
    /// Decides every staged record: link it to its unique match, create it on the other side when nothing
    /// matches, hold it as ambiguous when several do, or retry a parked one.
    /// `sides` and `pager` narrow it to part of the work (one side's partition, when workers share it);
    /// `skipping` leaves out records this pass already decided while reading (see `ingest`).
    func matchStaged(
        sides: [Side] = [.left, .right], pager: StagedPager? = nil, skipping: [Side: Set<String>] = [:],
        progress: @Sendable (Int, FlowReport) -> Void
    ) async throws -> FlowReport {
        var report = FlowReport(flow: flow.name)
        var processed = 0
        progress(0, report)
        let states = Self.matchedStates
        for side in sides {
            var after: String?
            while true {
                let records =
                    if let pager {
                        try await pager(side, states, after, options.pageSize)
                    } else {
                        try await store.staged(flow: flow.name, side: side, states: states, after: after, limit: options.pageSize)
                    }
                guard let last = records.last else { break }
                after = last.id
                let decided = skipping[side] ?? []
                let outcome = try await matchBatch(
                    decided.isEmpty ? records : records.filter { !decided.contains($0.id) }, side: side, partitioned: pager != nil)
                report.merge(outcome)
                processed += records.count
                progress(processed, report)
            }
        }
        return report
    }

    /// The staged states matching decides (or retries) every pass.
    static let matchedStates: [StagedState] = [.unmatched, .ambiguous, .parked]

    /// Reads a page of staged records: (side, states, after, limit).
    typealias StagedPager = @Sendable (Side, [StagedState], String?, Int) async throws -> [StagedRecord]

    /// Outcome of looking for a record's counterpart.
    enum MatchDecision {
        case create
        case link(String)
        case ambiguous([String], String)
        case retryLinked(Link)
        /// The record exists again after Parley applied its delete (`restore`).
        case restore(Link)
    }

    /// What looking a staged record up found, before a single candidate is confirmed.
    enum Lookup {
        case create
        case retryLinked(Link)
        case restore(Link)
        case candidates([String])
    }

    /// Looks up a batch of staged records: their links (a pending one means a create to retry) and the other
    /// side's records sharing a merge key. Records whose link waits on this side itself are left out.
    /// `knownLinks`: the records' links, when the caller has just read them (their links by this side's ids).
    /// `knownKeys`: the records' merge keys, when the caller has just computed them.
    /// Returns `keys`: each record's merge keys.
    func lookUp(
        _ records: [StagedRecord], side: Side, knownLinks: [String: Link]? = nil, knownKeys: [String: [String]]? = nil
    ) async throws -> (found: [(StagedRecord, Lookup)], pendingIds: Set<String>, keys: [String: [String]]) {
        let other = side.other
        let existingLinks = if let knownLinks { knownLinks } else { try await store.links(flow: flow.name, side: side, ids: records.map(\.id)) }
        let keysById = knownKeys ?? Dictionary(uniqueKeysWithValues: records.map { ($0.id, keys($0.fields, side: side)) })
        let candidatesByKey = try await store.ids(flow: flow.name, side: other, keys: Array(Set(keysById.values.joined())))
        var found: [(StagedRecord, Lookup)] = []
        for record in records {
            if let link = existingLinks[record.id] {
                if link.state.isActive {
                    found.append((record, .retryLinked(link)))
                } else if link.state == (side == .left ? .pendingRight : .pendingLeft) {
                    found.append((record, .create))
                } else if link.state == Self.deletedState(side) {
                    found.append((record, .restore(link)))
                }
                continue
            }
            let candidates = Set((keysById[record.id] ?? []).flatMap { candidatesByKey[$0] ?? [] }).sorted()
            found.append((record, candidates.isEmpty ? .create : .candidates(candidates)))
        }
        return (found, Set(existingLinks.filter { !$0.value.state.isActive }.keys), keysById)
    }

    /// Splits records about to be created so that no two share a merge key: the first record with a key is
    /// created now, the later ones wait for its counterpart and then find it as a candidate, exactly as when
    /// they come on a later page. (Otherwise two records of one side with the same key were both created when
    /// one page held them, and the second one held as ambiguous when they were a page apart.) A record whose
    /// create is already pending (`pending`) comes first: it may exist on the other side already.
    static func firstOfEachKey(
        _ records: [StagedRecord], keys: [String: [String]], pending: Set<String> = []
    ) -> (now: [StagedRecord], later: [(record: StagedRecord, first: String)]) {
        var firstByKey: [String: String] = [:]
        var now: [StagedRecord] = []
        var later: [(record: StagedRecord, first: String)] = []
        for record in records where pending.contains(record.id) {
            for key in keys[record.id] ?? [] where firstByKey[key] == nil { firstByKey[key] = record.id }
        }
        for record in records {
            if pending.contains(record.id) {
                now.append(record)
                continue
            }
            let recordKeys = keys[record.id] ?? []
            if let first = recordKeys.lazy.compactMap({ firstByKey[$0] }).first {
                later.append((record, first))
                continue
            }
            for key in recordKeys { firstByKey[key] = record.id }
            now.append(record)
        }
        return (now, later)
    }

    /// The records a look-up would have created that have no create pending from before.
    static func newCreates(_ lookups: (found: [(StagedRecord, Lookup)], pendingIds: Set<String>, keys: [String: [String]])) -> [StagedRecord] {
        lookups.found.compactMap { record, lookup in
            if case .create = lookup, !lookups.pendingIds.contains(record.id) { record } else { nil }
        }
    }

    /// Decides one batch of staged records of `side`. `partitioned`: other workers decide other partitions of
    /// this side at the same time (see `rivalWaits`).
    func matchBatch(_ records: [StagedRecord], side: Side, partitioned: Bool = false) async throws -> FlowReport {
        var report = FlowReport(flow: flow.name)
        var batch = StoreBatch()
        let other = side.other
        var waits: [String: RivalWait] = [:]
        var knownKeys: [String: [String]]?
        let batchIds = Set(records.map(\.id))
        if partitioned {
            let keysById = Dictionary(uniqueKeysWithValues: records.map { ($0.id, keys($0.fields, side: side)) })
            // Before the candidates are looked up: a rival another worker links after this check is then found
            // as a candidate.
            waits = try await rivalWaits(records, side: side, keys: keysById, batch: batchIds)
            knownKeys = keysById
        }
        let lookups = try await lookUp(records, side: side, knownKeys: knownKeys)
        if !partitioned {
            // One worker: only a pending create can be a rival (see `pendingRivalWaits`).
            waits = try await pendingRivalWaits(Self.newCreates(lookups), side: side, keys: lookups.keys, batch: batchIds)
        }
        var decisions: [(StagedRecord, MatchDecision)] = []
        for (record, lookup) in lookups.found {
            switch lookup {
            case .create:
                // A record whose own create is pending was decided before; only new creates wait for a rival.
                switch lookups.pendingIds.contains(record.id) ? nil : waits[record.id] {
                case nil: decisions.append((record, .create))
                case .deferred(let reason):
                    // Staged for a later pass, saying why (the record's status in the API, a dry run's plan).
                    report.deferred += 1
                    report.plan.append(PlanEntry(action: .park, side: side, id: record.id, detail: reason))
                    if record.reason != reason {
                        var waiting = record
                        waiting.reason = reason
                        batch.staged.append(waiting)
                    }
                case .held(let reason): decisions.append((record, .ambiguous([], reason)))
                }
            case .retryLinked(let link):
                decisions.append((record, .retryLinked(link)))
            case .restore(let link):
                decisions.append((record, .restore(link)))
            case .candidates(let candidates) where candidates.count == 1:
                decisions.append((record, try await confirmUnique(record, side: side, candidate: candidates[0])))
            case .candidates(let candidates):
                decisions.append((record, .ambiguous(candidates, "matches \(candidates.count) \(label(other)) records by merge criteria: \(candidates.prefix(5).joined(separator: ", "))")))
            }
        }
        let (creates, sharingKeys) = Self.firstOfEachKey(
            decisions.compactMap { if case .create = $1 { $0 } else { nil } }, keys: lookups.keys, pending: lookups.pendingIds)
        // A dry run creates nothing for them to find: the plan shows what the pass would decide.
        let heldForShared: [(StagedRecord, MatchDecision)] =
            options.dryRun
            ? sharingKeys.map { ($0.record, .ambiguous([], "shares a merge key with \(label(side)) \($0.first), whose counterpart this pass creates")) } : []
        // Restored records whose counterpart is gone: matched anew once their old links are removed.
        var startingOver: [StagedRecord] = []
        for (record, decision) in decisions + heldForShared {
            switch decision {
            case .create:
                continue
            case .ambiguous(let candidates, let reason):
                holdAmbiguous(record, candidates: candidates, reason: reason, into: &batch, report: &report)
            case .link(let otherId):
                let (part, partReport) = try await linkPair(record, side: side, otherId: otherId)
                batch.append(part)
                report.merge(partReport)
            case .retryLinked(let link):
                let read: NativeRecord?
                do {
                    read = try await readLive(side, id: record.id)
                } catch {
                    report.deferred += 1
                    continue
                }
                // Deleted since: its tombstone, if the feed has not brought it yet, applies the delete policy.
                guard let fresh = read else {
                    batch.unstaged.append((flow.name, side, record.id))
                    continue
                }
                let (part, partReport) = try await processLinkedChange(link: link, record: fresh, changedSide: side, attempt: 1)
                batch.append(part)
                report.merge(partReport)
            case .restore(let link):
                switch try await restore(record, side: side, link: link) {
                case .relinked(let part, let partReport), .settled(let part, let partReport):
                    batch.append(part)
                    report.merge(partReport)
                case .unlinked(let part):
                    batch.append(part)
                    startingOver.append(record)
                }
            }
        }
        try await store.commit(batch)
        if !startingOver.isEmpty { report.merge(try await matchBatch(startingOver, side: side, partitioned: partitioned)) }
        if !creates.isEmpty { report.merge(try await createAll(creates, from: side, pendingIds: lookups.pendingIds).report) }
        if !sharingKeys.isEmpty, !options.dryRun { report.merge(try await matchBatch(sharingKeys.map(\.record), side: side, partitioned: partitioned)) }
        return report
    }

    /// A single candidate is linked only if the match is mutual: the candidate matches only this record and
    /// is not linked to another one.
    func confirmUnique(_ record: StagedRecord, side: Side, candidate: String) async throws -> MatchDecision {
        let other = side.other
        if let link = try await store.links(flow: flow.name, side: other, ids: [candidate])[candidate] {
            let linkedTo = link.id(on: side) ?? "a pending record"
            if link.state == Self.deletedState(side) {
                // Not linked automatically: the candidate may have been archived for that delete.
                return .ambiguous([candidate], "matches \(label(other)) \(candidate), whose counterpart \(label(side)) \(linkedTo) was deleted; link them if this record takes its place")
            }
            return .ambiguous([candidate], "matches \(label(other)) \(candidate), which is already linked to \(label(side)) \(linkedTo)")
        }
        let candidateKeys = try await store.keys(flow: flow.name, side: other, ids: [candidate])[candidate] ?? []
        let reverse = Set(try await store.ids(flow: flow.name, side: side, keys: candidateKeys).values.joined())
        if reverse == [record.id] { return .link(candidate) }
        let others = reverse.subtracting([record.id]).sorted()
        return .ambiguous([candidate], "\(label(other)) \(candidate) also matches \(label(side)) \(others.prefix(5).joined(separator: ", "))")
    }

    /// First match: merge the two records (an empty value never overwrites a filled one), write what
    /// differs, and link them.
    func linkPair(_ record: StagedRecord, side: Side, otherId: String) async throws -> (StoreBatch, FlowReport) {
        var batch = StoreBatch()
        var report = FlowReport(flow: flow.name)
        let other = side.other
        let otherStaged = try await store.stagedRecord(flow: flow.name, side: other, id: otherId)
        let otherNative: NativeRecord
        if let otherStaged {
            otherNative = NativeRecord(id: otherId, fields: otherStaged.fields, changedAtMillis: otherStaged.changedAtMillis)
        } else {
            let fetched: NativeRecord?
            do {
                fetched = try await readLive(other, id: otherId)
            } catch let error as ConnectorError where error.isTransient {
                report.deferred += 1
                return (batch, report)
            } catch let error as ConnectorError where !error.stopsFlow {
                quarantine(side, record.id, "\(label(side)) \(record.id) matches \(label(other)) \(otherId), which could not be read: \(error)", into: &batch, report: &report)
                batch.unstaged.append((flow.name, side, record.id))
                return (batch, report)
            }
            guard let fetched else {
                // Deleted since its merge keys were recorded: no longer a candidate. The record stays staged and is
                // matched again on the next pass, without it.
                batch.keys.append((flow.name, other, otherId, []))
                report.deferred += 1
                report.plan.append(PlanEntry(action: .park, side: side, id: record.id, detail: "its candidate \(label(other)) \(otherId) no longer exists; matched again next pass"))
                return (batch, report)
            }
            otherNative = fetched
        }
        let records: [Side: NativeRecord] = [
            side: NativeRecord(id: record.id, fields: record.fields, changedAtMillis: record.changedAtMillis),
            other: otherNative,
        ]
        var values: [Side: CanonicalRecord] = [:]
        for s in [Side.left, .right] {
            guard let native = records[s] else { continue }
            switch try await canonicalize(native.fields, side: s) {
            case .failure(let error):
                quarantine(s, native.id, "\(label(s)) \(native.id): \(error)", into: &batch, report: &report)
                batch.unstaged.append((flow.name, s, native.id))
                return (batch, report)
            case .success(let canonical):
                if let unresolved = canonical.unresolvedReferences.first {
                    park(record, waitingOn: "\(unresolved.flow):\(unresolved.id)",
                        reason: "waiting on \(unresolved.flow): \(label(s)) \(native.id).\(unresolved.property) refers to \(unresolved.id), which is not linked yet",
                        into: &batch, report: &report)
                    return (batch, report)
                }
                values[s] = canonical.values
            }
        }
        let result = ThreeWayMerge.merge(
            flow: flow,
            left: MergeSide(current: values[.left] ?? [:], shadow: nil, changedAtMillis: records[.left]?.changedAtMillis),
            right: MergeSide(current: values[.right] ?? [:], shadow: nil, changedAtMillis: records[.right]?.changedAtMillis))
        let leftId = side == .left ? record.id : otherId
        let rightId = side == .right ? record.id : otherId
        for target in [Side.left, .right] {
            let writes = result.writes(to: target)
            guard !writes.isEmpty, let targetId = records[target]?.id else { continue }
            switch try await nativePatch(writes, to: target) {
            case .failure(let error):
                if let parking = parkReason(error, side: target) {
                    park(record, waitingOn: parking.waitingOn, reason: parking.reason, into: &batch, report: &report)
                } else {
                    quarantine(side, record.id, "cannot write to \(label(target)) \(targetId): \(error)", into: &batch, report: &report)
                }
                return (batch, report)
            case .success(let patch):
                report.updated[target, default: 0] += 1
                if options.dryRun {
                    report.plan.append(PlanEntry(action: .update, side: target, id: targetId, detail: writes.map { "\($0.property): \($0.before.display) → \($0.after.display)" }.joined(separator: ", ")))
                    continue
                }
                do {
                    let stored = try await retry.run { try await connector(target).update(datatype: datatype(target), id: targetId, fields: patch, ifMatch: nil) }
                    values[target] = try await shadowAfterWrite(read: values[target] ?? [:], writes: writes, stored: stored, side: target)
                } catch let error as ConnectorError {
                    report.updated[target, default: 0] -= 1
                    if error.isTransient {
                        report.deferred += 1
                    } else {
                        quarantine(side, record.id, "\(label(target)) refused the update of \(targetId) while linking: \(error)", into: &batch, report: &report)
                        batch.unstaged.append((flow.name, side, record.id))
                    }
                    return (batch, report)
                }
                batch.audit.append(AuditEntry(atMillis: now(), flow: flow.name, leftId: leftId, rightId: rightId, target: target, action: .updated, changes: writes, note: "first match"))
            }
        }
        for conflict in result.conflicts {
            report.conflicts += 1
            batch.conflicts.append(ConflictEntry(
                flow: flow.name, leftId: leftId, rightId: rightId, property: conflict.property, leftValue: conflict.leftValue,
                rightValue: conflict.rightValue, winner: conflict.winner, rule: conflict.rule, atMillis: now()))
        }
        report.linked += 1
        report.plan.append(PlanEntry(action: .link, side: side, id: record.id, detail: "with \(label(other)) \(otherId)"))
        batch.links.append(Link(
            flow: flow.name, leftId: leftId, rightId: rightId, state: .linked, leftShadow: values[.left] ?? [:],
            rightShadow: values[.right] ?? [:], updatedAtMillis: now()))
        batch.audit.append(AuditEntry(atMillis: now(), flow: flow.name, leftId: leftId, rightId: rightId, target: other, action: .linked, note: "matched by merge criteria"))
        batch.unstaged.append((flow.name, .left, leftId))
        batch.unstaged.append((flow.name, .right, rightId))
        await references.remember(flow: flow.name, leftId: leftId, rightId: rightId)
        return (batch, report)
    }
}

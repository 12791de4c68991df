import ParleyCore
import Synchronization

extension FlowContext {
    /// Reads one side's change feed from its cursor to the end, page by page. Linked records are merged at
    /// once; unlinked ones are staged for matching; deletes are staged for the circuit breaker. Each page's
    /// outcome and its cursor are committed together, so a crash re-reads at most one page.
    /// With `creatingUnmatched`, each page's new records that nothing on the other side matches (read before,
    /// completely) are created on the other side as soon as the page is recorded — what matching would decide
    /// for them after the read, without waiting for the rest of the feed. Records with candidates wait for
    /// matching; those the creates leave staged (parked, deferred) are returned as `held`, for matching to skip.
    /// `start`: the cursor the read starts from, when the caller has just read it from the store (one round
    /// trip less), or `.stored` to read it here.
    func ingest(
        side: Side, from start: ReadStart = .stored, creatingUnmatched: Bool = false, progress: @Sendable (Int, FlowReport) -> Void
    ) async throws -> (report: FlowReport, held: Set<String>) {
        // With `creatingUnmatched`, a page's creates are sent while the pages after it are read, recorded and
        // prepared (and, once they are prepared, alongside the next page's creates — each system's own request
        // limit bounds them together), so the systems are not left idle while the state records a page. At most
        // two pages' creates are in flight. A page waits for them when it repeats a record still being created,
        // or when one of its new records shares a merge key with one: it then finds the created counterpart as
        // a candidate, exactly as if the pages had been created one after the other.
        try await withThrowingTaskGroup(of: CreatedPage.self) { creating in
            var report = FlowReport(flow: flow.name)
            var held: Set<String> = []
            var inFlight: [Int: (ids: Set<String>, keys: Set<String>)] = [:]
            // What the pages' creates did, merged as each page's creates finish, so progress is current.
            let created = CreatesReport(flow: flow.name)
            func settle(_ finished: CreatedPage) {
                held.formUnion(finished.held)
                inFlight[finished.page] = nil
            }
            func current() -> FlowReport {
                var combined = report
                combined.merge(created.snapshot)
                return combined
            }
            // The phase announces itself before its first page, so its time is measured from its start.
            progress(0, report)
            var cursor: String?
            switch start {
            case .stored: cursor = try await store.cursor(flow: flow.name, side: side)
            case .cursor(let known): cursor = known
            }
            var processed = 0
            var pageNumber = 0
            // Cursors read this pass: a feed that answers one again (goes backwards, or repeats a page) ends the
            // read instead of looping forever.
            var visited: Set<String> = [cursor ?? ""]
            let baseline = try await readingNewOnlyBaseline(side)
            var page = try await readPage(side, since: cursor)
            while true {
                pageNumber += 1
                let since = cursor
                let last = !page.hasMore || page.items.isEmpty
                let revisited = !visited.insert(page.next).inserted
                // The next page is read while this one is recorded, so the system serves it while Parley works;
                // an error here cancels the read.
                let nextCursor = page.next
                async let upcoming: ChangePage? = last || revisited ? nil : readPage(side, since: nextCursor)
                var batch = StoreBatch()
                let ids = page.items.compactMap { item -> String? in if case .record(let r) = item { r.id } else { nil } }
                if inFlight.values.contains(where: { !$0.ids.isDisjoint(with: ids) }) {
                    while let finished = try await creating.next() { settle(finished) }
                }
                let links = try await store.links(flow: flow.name, side: side, ids: ids)
                let excluded = try await excludedIds(page.items, links: links, side: side, baseline: baseline)
                let (linkedChanges, unmatched) = classify(page.items, side: side, links: links, excluded: excluded, into: &batch, report: &report)
                // The merge keys of the records staged from this page (before the linked changes add theirs), for
                // the creates' waits; only taken when this page's creates are sent, off the other passes' path.
                let newKeys = creatingUnmatched && !unmatched.isEmpty ? Set(batch.keys.lazy.flatMap(\.keys)) : []
                let merged = try await processLinkedChanges(linkedChanges, changedSide: side)
                batch.append(merged.batch)
                report.merge(merged.report)
                if !revisited { batch.cursors.append((flow.name, side, page.next)) }
                // The end of the first complete read of a `new-only` side: what comes later was created later.
                if baseline, last { batch.cursors.append((newOnlyBaselineMarker, side, "read")) }
                try await store.commit(batch)
                if creatingUnmatched, !unmatched.isEmpty {
                    if inFlight.values.contains(where: { !$0.keys.isDisjoint(with: newKeys) }) {
                        while let finished = try await creating.next() { settle(finished) }
                    }
                    let prepared = try await prepareUnmatched(unmatched, side: side, links: links)
                    if inFlight.count >= 2, let finished = try await creating.next() { settle(finished) }
                    inFlight[pageNumber] = (Set(prepared.items.lazy.map(\.record.id)), newKeys)
                    creating.addTask { [pageNumber] in
                        let sent = try await sendCreates(prepared)
                        created.add(sent.report)
                        return CreatedPage(page: pageNumber, held: sent.held)
                    }
                }
                processed += page.items.count
                progress(processed, current())
                cursor = page.next
                if revisited, !last {
                    logger.warning(
                        "change feed answered a cursor already read in this pass; stopping this read, the cursor stays",
                        metadata: ["flow": "\(flow.name)", "system": "\(label(side))", "since": "\(since ?? "-")", "next": "\(page.next)"])
                }
                guard let following = try await upcoming else { break }
                page = following
            }
            while let finished = try await creating.next() { settle(finished) }
            report = current()
            progress(processed, report)
            return (report, held)
        }
    }

    /// Sorts a page's items: linked records that changed are returned to be merged, unlinked ones (and those whose
    /// create is pending) are staged and returned as `unmatched`; deletes, excluded and malformed records are
    /// recorded in `batch`. A page that repeats a record is processed once, as its last (latest) representation.
    func classify(
        _ items: [ChangeItem], side: Side, links: [String: Link], excluded: Set<String>, into batch: inout StoreBatch, report: inout FlowReport
    ) -> (linkedChanges: [(Link, NativeRecord)], unmatched: [StagedRecord]) {
        var latest: [String: Int] = [:]
        for (offset, item) in items.enumerated() { if case .record(let r) = item { latest[r.id] = offset } }
        var linkedChanges: [(Link, NativeRecord)] = []
        var unmatched: [StagedRecord] = []
        for (offset, item) in items.enumerated() {
            switch item {
            case .malformed(let id, let reason):
                quarantine(side, id ?? "(no id)", reason, into: &batch, report: &report)
            case .record(let record):
                guard latest[record.id] == offset else { continue }
                report.read[side, default: 0] += 1
                if let link = links[record.id] {
                    if record.deleted {
                        if link.state.isActive {
                            batch.staged.append(StagedRecord(
                                flow: flow.name, side: side, id: record.id, state: .deleted, fields: record.fields, changedAtMillis: record.changedAtMillis))
                        }
                        batch.keys.append((flow.name, side, record.id, []))
                    } else if link.state.isActive {
                        linkedChanges.append((link, record))
                    } else if link.state == .pendingLeft || link.state == .pendingRight || link.state == Self.deletedState(side) {
                        // A pending create is retried; a record that exists again after its delete is restored.
                        unmatched.append(stage(record, side: side, into: &batch))
                    }
                } else if record.deleted {
                    batch.unstaged.append((flow.name, side, record.id))
                    batch.keys.append((flow.name, side, record.id, []))
                } else if excluded.contains(record.id) {
                    stage(record, side: side, state: .excluded, reason: excludedReason(side), into: &batch)
                } else {
                    unmatched.append(stage(record, side: side, into: &batch))
                }
            }
        }
        return (linkedChanges, unmatched)
    }

    func readPage(_ side: Side, since: String?) async throws -> ChangePage {
        try await retry.run { try await connector(side).changes(datatype: datatype(side), since: since, limit: options.pageSize) }
    }

    @discardableResult
    func stage(_ record: NativeRecord, side: Side, state: StagedState = .unmatched, reason: String? = nil, into batch: inout StoreBatch) -> StagedRecord {
        let staged = StagedRecord(
            flow: flow.name, side: side, id: record.id, state: state, fields: record.fields, changedAtMillis: record.changedAtMillis, reason: reason)
        batch.staged.append(staged)
        batch.keys.append((flow.name, side, record.id, keys(record.fields, side: side)))
        batch.unquarantine.append((flow.name, side, record.id))
        return staged
    }

    /// Prepares the creates of just-staged records that match nothing (or whose create is pending); the
    /// others — with candidates, or sharing a merge key with an earlier record of the page — are left to matching.
    /// `links`: the page's links, read before the page was recorded (recording it writes none of these records').
    func prepareUnmatched(_ records: [StagedRecord], side: Side, links: [String: Link]) async throws -> PreparedCreates {
        let lookups = try await lookUp(records, side: side, knownLinks: links)
        // Records sharing a merge key with an earlier one of the page, or with a record outside it that goes
        // first (a pending create: `pendingRivalWaits`), are left to matching, after the read.
        let waiting = try await pendingRivalWaits(Self.newCreates(lookups), side: side, keys: lookups.keys, batch: Set(records.map(\.id)))
        let creates = Self.firstOfEachKey(
            lookups.found.compactMap { if case .create = $1, waiting[$0.id] == nil { $0 } else { nil } }, keys: lookups.keys, pending: lookups.pendingIds
        ).now
        if creates.isEmpty { return PreparedCreates(side: side, recordIds: [], report: FlowReport(flow: flow.name)) }
        return try await prepareCreates(creates, from: side, pendingIds: lookups.pendingIds)
    }

    /// Merges linked records that changed, several at a time.
    func processLinkedChanges(_ changes: [(Link, NativeRecord)], changedSide: Side) async throws -> (batch: StoreBatch, report: FlowReport) {
        var batch = StoreBatch()
        var report = FlowReport(flow: flow.name)
        let parts = try await forEachConcurrently(changes, limit: options.concurrency) { change in
            try await self.processLinkedChange(link: change.0, record: change.1, changedSide: changedSide)
        }
        for (part, partReport) in parts {
            batch.append(part)
            report.merge(partReport)
        }
        return (batch, report)
    }
}

/// Where a side's read starts.
enum ReadStart {
    /// The cursor the store holds now.
    case stored
    /// A cursor the caller has just read from the store (nil: from the beginning).
    case cursor(String?)
}

/// What the pages' creates did so far, shared by their tasks and the read that reports progress.
final class CreatesReport: Sendable {
    private let report: Mutex<FlowReport>

    init(flow: String) { report = Mutex(FlowReport(flow: flow)) }

    func add(_ part: FlowReport) { report.withLock { $0.merge(part) } }

    var snapshot: FlowReport { report.withLock { $0 } }
}

/// One page's creates, sent while the read went on (`FlowContext.ingest`): the records they left staged.
struct CreatedPage: Sendable {
    var page: Int
    var held: [String]
}

extension FlowContext {
    /// Marks, in the cursors table, that a `new-only` side's first complete read is done (flow names cannot
    /// contain `#`, so the key never meets a flow's own cursor).
    var newOnlyBaselineMarker: String { "\(flow.name)#new-only-baseline" }

    /// Whether `side` is `new-only` and its first complete read — the records that existed before Parley first
    /// read it — is still under way. A first read interrupted by a crash resumes as the baseline.
    func readingNewOnlyBaseline(_ side: Side) async throws -> Bool {
        guard flow.onboarding[side] == .newOnly else { return false }
        return try await store.cursor(flow: newOnlyBaselineMarker, side: side) == nil
    }

    func excludedReason(_ side: Side) -> String {
        "existed before Parley first read the \(label(side)) (onboarding: new-only): not created on the other side"
    }

    /// Unlinked records of a page that stay out of onboarding: on a `new-only` side, every record of the first
    /// read, and later any record already excluded then (an edit does not make an existing record new).
    func excludedIds(_ items: [ChangeItem], links: [String: Link], side: Side, baseline: Bool) async throws -> Set<String> {
        guard flow.onboarding[side] == .newOnly else { return [] }
        var excluded: Set<String> = []
        for item in items {
            guard case .record(let record) = item, !record.deleted, links[record.id] == nil else { continue }
            if baseline {
                excluded.insert(record.id)
            } else if try await store.stagedRecord(flow: flow.name, side: side, id: record.id)?.state == .excluded {
                excluded.insert(record.id)
            }
        }
        return excluded
    }
}

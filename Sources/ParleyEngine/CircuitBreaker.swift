import ParleyCore

/// The circuit breaker in front of `applyDeletes`: how many deletes a flow may apply, and which count.
extension FlowContext {
    /// The circuit breaker: the deletes and archives applied within its window (a pass's, and webhooks' one by
    /// one) and these may come to at most the flow's limit. Only confirmed deletes count: when more are staged
    /// than the limit allows, they are read first (until more than it allows are confirmed gone), so that a full
    /// scan that missed records it still holds does not stop the flow. Returns what was read, by index into
    /// `deletes`; throws when the confirmed deletes exceed what the limit allows, after committing what the reads
    /// contradicted (the others stay staged, waiting for an operator). `known`: what was read before.
    func confirmBreaker(_ deletes: [LinkedDelete], known: [Int: Existence], into batch: inout StoreBatch) async throws -> [Int: Existence] {
        guard !options.allowMassDeletes, !flow.deletesAreIgnored else { return known }
        let recent = options.breakerWindowMillis > 0 ? try await store.removals(flow: flow.name, since: now() - options.breakerWindowMillis) : 0
        // The share is of the links the flow had before the window's deletes (each was an active link).
        let linked = try await store.counts(flow: flow.name).linked + recent
        let limit = max(options.breakerMinRecords, Int(Double(linked) * options.maxDeleteShare))
        let allowed = max(0, limit - recent)
        guard deletes.count > allowed else { return known }
        var existences = known
        var gone = 0
        for (index, delete) in deletes.enumerated() {
            let existence: Existence
            if let read = known[index] { existence = read } else { existence = await self.existence(of: delete.record) }
            existences[index] = existence
            guard case .gone = existence else { continue }
            gone += 1
            if gone > allowed { break }
        }
        guard gone > allowed else { return existences }
        var contradictedCount = 0
        for (index, existence) in existences {
            guard case .exists(let current) = existence else { continue }
            contradicted(deletes[index].record, current: current, into: &batch)
            contradictedCount += 1
        }
        try await store.commit(batch)
        throw EngineError.circuitBreaker(
            flow: flow.name, deletes: deletes.count - contradictedCount, recent: recent, windowMillis: options.breakerWindowMillis, links: linked, limit: limit)
    }
}

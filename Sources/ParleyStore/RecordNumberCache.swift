import Synchronization

/// Record numbers the SQLite state has committed, so a commit need not search `record_ids` again for ids the
/// store has just read or written (an onboarding's page is numbered when staged, then its pending links and its
/// completed links refer to the same ids; a changed record's link is read before its commit). A number never
/// changes once committed, so an entry cannot go stale; entries come only from committed data (reads, and a
/// commit's numbers once it has committed). Bounded: two generations of `limit` entries, the older dropped whole.
final class RecordNumberCache: Sendable {
    private struct Generations {
        var current: [RecordRef: Int64] = [:]
        var previous: [RecordRef: Int64] = [:]
    }

    private let generations = Mutex(Generations())
    let limit: Int

    init(limit: Int = 16_384) { self.limit = limit }

    /// Hands each of `records` to `body` with its number, nil when unknown (in order, repeats included).
    func lookUp(_ records: [RecordRef], _ body: (RecordRef, Int64?) -> Void) {
        generations.withLock { cache in
            for record in records { body(record, cache.current[record] ?? cache.previous[record]) }
        }
    }

    func remember(_ numbers: some Sequence<(key: RecordRef, value: Int64)>) {
        generations.withLock { cache in
            for (record, number) in numbers {
                if cache.current.count >= limit {
                    cache.previous = cache.current
                    cache.current = [:]
                    cache.current.reserveCapacity(limit)
                }
                cache.current[record] = number
            }
        }
    }
}

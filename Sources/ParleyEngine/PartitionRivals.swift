import ParleyCore

extension FlowContext {
    /// What becomes of a record whose merge key another worker's record shares (see `rivalsInOtherPartitions`).
    enum RivalWait: Equatable {
        /// Left staged as it is for the next generation: the rival's create is in flight, or the rival is
        /// decided first and may be created this generation.
        case deferred
        /// Held as ambiguous: the rival, decided first, is itself held (ambiguous or parked).
        case held(String)
    }

    /// When workers decide a side's staged records partition by partition at the same time, two new records
    /// sharing a merge key in different partitions would both be created: neither worker sees the other's
    /// create when it looks for candidates. Of such records the one with the lowest id goes first, like the
    /// first of a key on one page (`firstOfEachKey`); the others wait until its counterpart exists and then
    /// find it as their candidate.
    ///
    /// A record about to be created waits when a record of the same side outside `records` shares one of its
    /// keys and either has a pending link (its create is in flight) or is staged, unlinked and has a lower id.
    /// Linked rivals need no wait: their counterpart and its keys were committed with the link, and the
    /// candidates are looked up after this check, so they are found. Returns, by id, the records that wait if
    /// the look-up finds nothing to match them with.
    func rivalsInOtherPartitions(_ records: [StagedRecord], side: Side, keys: [String: [String]]) async throws -> [String: RivalWait] {
        let batchIds = Set(records.map(\.id))
        let idsByKey = try await store.ids(flow: flow.name, side: side, keys: Array(Set(keys.values.joined())))
        var rivalsById: [String: [String]] = [:]
        for record in records {
            let rivals = Set((keys[record.id] ?? []).flatMap { idsByKey[$0] ?? [] }).subtracting(batchIds)
            if !rivals.isEmpty { rivalsById[record.id] = rivals.sorted() }
        }
        if rivalsById.isEmpty { return [:] }
        let rivalIds = Array(Set(rivalsById.values.joined()))
        let links = try await store.links(flow: flow.name, side: side, ids: rivalIds)
        var staged: [String: StagedRecord] = [:]
        for id in rivalIds where links[id] == nil {
            staged[id] = try await store.stagedRecord(flow: flow.name, side: side, id: id)
        }
        var waits: [String: RivalWait] = [:]
        for (id, rivals) in rivalsById {
            for rival in rivals {
                if let link = links[rival] {
                    if !link.state.isActive {
                        waits[id] = .deferred
                        break
                    }
                    continue
                }
                guard rival < id, let held = staged[rival], Self.matchedStates.contains(held.state) else { continue }
                if held.state == .unmatched {
                    waits[id] = .deferred
                    break
                }
                waits[id] = .held("shares a merge key with \(label(side)) \(rival), which is decided first and held as \(held.state.rawValue)")
            }
        }
        return waits
    }
}

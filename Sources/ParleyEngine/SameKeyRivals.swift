import ParleyCore

extension FlowContext {
    /// What becomes of a new record whose merge key a record outside its batch shares (see `rivalWaits`).
    enum RivalWait: Equatable {
        /// Left staged as it is, for a later pass (or generation): the rival's create is pending, or the rival
        /// is decided first and may be created meanwhile.
        case deferred
        /// Held as ambiguous: the rival, decided first, is itself held (ambiguous or parked).
        case held(String)
    }

    /// Of new records about to be created, those that must wait for another record of the same side sharing
    /// a merge key, outside their batch (within a batch, `firstOfEachKey` orders them):
    /// - a rival whose create is pending (sent, or failed and to be retried) goes first: creating this record
    ///   too would leave two counterparts for one key once the rival's create goes through;
    /// - a rival that is staged, unlinked and lower in id is decided first, as matching reads staged records in
    ///   id order. This matters when workers decide a side's partitions at the same time (partitions follow
    ///   ids, so two records sharing a key may lie in two of them): neither worker would see the other's create.
    /// Linked rivals need no wait: their counterpart and its keys were committed with the link, so a candidate
    /// look-up after this check finds them. Returns, by id, the records that wait if the look-up finds nothing
    /// to match them with. `batch`: the ids decided together with `records`.
    func rivalWaits(_ records: [StagedRecord], side: Side, keys: [String: [String]], batch: Set<String>) async throws -> [String: RivalWait] {
        if records.isEmpty { return [:] }
        let idsByKey = try await store.ids(flow: flow.name, side: side, keys: Array(Set(records.lazy.flatMap { keys[$0.id] ?? [] })))
        var rivalsById: [String: [String]] = [:]
        for record in records {
            let rivals = Set((keys[record.id] ?? []).flatMap { idsByKey[$0] ?? [] }).subtracting(batch)
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

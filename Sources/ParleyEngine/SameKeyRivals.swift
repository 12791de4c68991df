import ParleyCore

extension FlowContext {
    /// What becomes of a new record whose merge key a record outside its batch shares (see `rivalWaits`).
    enum RivalWait: Equatable {
        /// Left staged as it is, for a later pass (or generation): the rival's create is pending, or the rival
        /// is decided first and may be created meanwhile.
        case deferred(String)
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
            // Filtered rather than `subtracting(batch)`, which walks the whole batch for every record.
            let rivals = Set((keys[record.id] ?? []).flatMap { idsByKey[$0] ?? [] }.filter { !batch.contains($0) })
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
                    // Only a create in flight makes it wait; a linked rival's counterpart is a candidate, and one
                    // whose counterpart was deleted leaves nothing to match.
                    if link.state == (side == .left ? .pendingRight : .pendingLeft) {
                        waits[id] = .deferred(Self.waitingForCreate(of: rival, side: label(side)))
                        break
                    }
                    continue
                }
                guard rival < id, let held = staged[rival], Self.matchedStates.contains(held.state) else { continue }
                if held.state == .unmatched {
                    waits[id] = .deferred("waits for \(label(side)) \(rival), which shares a merge key and is decided first")
                    break
                }
                waits[id] = .held("shares a merge key with \(label(side)) \(rival), which is decided first and held as \(held.state.rawValue)")
            }
        }
        return waits
    }

    static func waitingForCreate(of rival: String, side: String) -> String {
        "waits for the pending create of \(side) \(rival)'s counterpart: the two share a merge key"
    }

    /// `rivalWaits` for one worker, without asking the store: matching then runs in id order and every create
    /// is confirmed before a later record is looked up (the pages whose creates are in flight are waited for by
    /// `ingest`), so the only rival to wait for is one whose create is still pending — sent without an answer,
    /// or failed transiently and to be retried. Those are few: the flow's pending links, read once per pass when
    /// first needed, and the creates this pass deferred (`PendingCreates`).
    func pendingRivalWaits(_ creates: [StagedRecord], side: Side, keys: [String: [String]], batch: Set<String>) async throws -> [String: RivalWait] {
        if creates.isEmpty { return [:] }
        let pending = try await pendingCreates.ids(on: side) { try await self.pendingCreateKeys() }
        if pending.isEmpty { return [:] }
        var waits: [String: RivalWait] = [:]
        for record in creates {
            let rivals = (keys[record.id] ?? []).lazy.flatMap { pending[$0] ?? [] }
            if let rival = rivals.first(where: { $0 != record.id && !batch.contains($0) }) {
                waits[record.id] = .deferred(Self.waitingForCreate(of: rival, side: label(side)))
            }
        }
        return waits
    }

    /// The merge keys of the records whose create is pending, by source side: key → record ids.
    func pendingCreateKeys() async throws -> [Side: [String: Set<String>]] {
        let links = try await store.pendingLinks(flow: flow.name)
        var result: [Side: [String: Set<String>]] = [:]
        for side in [Side.left, .right] {
            let ids = links.compactMap { $0.state == (side == .left ? .pendingRight : .pendingLeft) ? $0.id(on: side) : nil }
            if ids.isEmpty { continue }
            for (id, recordKeys) in try await store.keys(flow: flow.name, side: side, ids: ids) {
                for key in recordKeys { result[side, default: [:]][key, default: []].insert(id) }
            }
        }
        return result
    }
}

/// The merge keys of records whose create is pending, for one flow's pass on one worker: loaded from the
/// store's pending links when first needed, then kept current as the pass's creates finish or are deferred.
actor PendingCreates {
    private var byKey: [Side: [String: Set<String>]]?

    /// Key → record ids of `side`; `load` reads them from the store the first time.
    func ids(on side: Side, load: @Sendable () async throws -> [Side: [String: Set<String>]]) async throws -> [String: Set<String>] {
        if byKey == nil {
            let loaded = try await load()
            if byKey == nil { byKey = loaded }
        }
        return byKey?[side] ?? [:]
    }

    /// Records the outcome of a page's creates: `pending` keep their pending link, `done` no longer have one.
    /// Before the first load there is nothing to keep current (the load reads the store as it is then).
    func update(side: Side, pending: [(id: String, keys: [String])], done: Set<String>) {
        guard byKey != nil else { return }
        var sideKeys = byKey?[side] ?? [:]
        if !done.isEmpty, !sideKeys.isEmpty {
            for key in Array(sideKeys.keys) {
                sideKeys[key]?.subtract(done)
                if sideKeys[key]?.isEmpty == true { sideKeys[key] = nil }
            }
        }
        for (id, keys) in pending { for key in keys { sideKeys[key, default: []].insert(id) } }
        byKey?[side] = sideKeys
    }
}

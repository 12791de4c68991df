import Foundation
import ParleyCore

/// A `LinkStore` that forwards to a real store, runs `inject` just before the `failAt`-th commit (to make the
/// real store fail: fill its disk, make it read-only), and remembers when a commit first failed.
final class ObservedStore: LinkStore, @unchecked Sendable {
    let inner: any LinkStore
    private let lock = NSLock()
    private var commits = 0
    private var failAt: Int?
    private var inject: (@Sendable () async throws -> Void)?
    private(set) var firstFailure: ContinuousClock.Instant?
    private var linkReads: [(flow: String, side: Side, ids: Int)] = []
    private var cursorReadCount = 0
    private var stagedReadStates: [(side: Side, states: [StagedState])] = []

    init(_ inner: any LinkStore) { self.inner = inner }

    /// Arms the failure: `inject` runs before the `n`-th commit from now.
    func failBefore(commit n: Int, _ inject: @escaping @Sendable () async throws -> Void) {
        lock.withLock {
            failAt = commits + n
            self.inject = inject
        }
    }

    var failedAt: ContinuousClock.Instant? { lock.withLock { firstFailure } }

    /// Every read of links by ids so far: flow, side and how many ids.
    var linkLookups: [(flow: String, side: Side, ids: Int)] { lock.withLock { linkReads } }
    /// Cursor reads so far.
    var cursorReads: Int { lock.withLock { cursorReadCount } }
    /// Every page of staged records read so far: the side and the states asked for.
    var stagedReads: [(side: Side, states: [StagedState])] { lock.withLock { stagedReadStates } }

    func ensureRoom(bytes: Int64) async throws { try await inner.ensureRoom(bytes: bytes) }

    func commit(_ batch: StoreBatch) async throws {
        let action: (@Sendable () async throws -> Void)? = lock.withLock {
            commits += 1
            guard commits == failAt else { return nil }
            defer { inject = nil }
            return inject
        }
        try await action?()
        do {
            try await inner.commit(batch)
        } catch {
            lock.withLock { if firstFailure == nil { firstFailure = .now } }
            throw error
        }
    }

    func links(flow: String, side: Side, ids: [String]) async throws -> [String: Link] {
        lock.withLock { linkReads.append((flow, side, ids.count)) }
        return try await inner.links(flow: flow, side: side, ids: ids)
    }
    func pendingLinks(flow: String) async throws -> [Link] { try await inner.pendingLinks(flow: flow) }
    func links(flow: String, after: String?, limit: Int) async throws -> [Link] { try await inner.links(flow: flow, after: after, limit: limit) }
    func cursor(flow: String, side: Side) async throws -> String? {
        lock.withLock { cursorReadCount += 1 }
        return try await inner.cursor(flow: flow, side: side)
    }
    func staged(flow: String, side: Side, states: [StagedState], after: String?, limit: Int) async throws -> [StagedRecord] {
        lock.withLock { stagedReadStates.append((side, states)) }
        return try await inner.staged(flow: flow, side: side, states: states, after: after, limit: limit)
    }
    func stagedStates(flow: String, among states: [StagedState]) async throws -> [Side: Set<StagedState>] {
        try await inner.stagedStates(flow: flow, among: states)
    }
    func stagedRecord(flow: String, side: Side, id: String) async throws -> StagedRecord? { try await inner.stagedRecord(flow: flow, side: side, id: id) }
    func ids(flow: String, side: Side, keys: [String]) async throws -> [String: [String]] { try await inner.ids(flow: flow, side: side, keys: keys) }
    func keys(flow: String, side: Side, ids: [String]) async throws -> [String: [String]] { try await inner.keys(flow: flow, side: side, ids: ids) }
    func conflicts(flow: String?, unresolvedOnly: Bool, limit: Int) async throws -> [ConflictEntry] {
        try await inner.conflicts(flow: flow, unresolvedOnly: unresolvedOnly, limit: limit)
    }
    func resolveConflict(id: Int64) async throws { try await inner.resolveConflict(id: id) }
    func quarantined(flow: String?, limit: Int) async throws -> [QuarantineEntry] { try await inner.quarantined(flow: flow, limit: limit) }
    func removals(flow: String, since: Int64) async throws -> Int { try await inner.removals(flow: flow, since: since) }
    func quarantineEntry(flow: String, side: Side, id: String) async throws -> QuarantineEntry? {
        try await inner.quarantineEntry(flow: flow, side: side, id: id)
    }
    func audit(flow: String, side: Side, id: String, limit: Int) async throws -> [AuditEntry] { try await inner.audit(flow: flow, side: side, id: id, limit: limit) }
    func counts(flow: String) async throws -> FlowCounts { try await inner.counts(flow: flow) }
    func conflict(id: Int64) async throws -> ConflictEntry? { try await inner.conflict(id: id) }
    func findLinks(flow: String, ids: [String], keys: [String], limit: Int) async throws -> [Link] {
        try await inner.findLinks(flow: flow, ids: ids, keys: keys, limit: limit)
    }
    func recentLinks(flow: String, limit: Int) async throws -> [Link] { try await inner.recentLinks(flow: flow, limit: limit) }
    func history(flow: String, leftId: String?, rightId: String?, limit: Int) async throws -> [AuditEntry] {
        try await inner.history(flow: flow, leftId: leftId, rightId: rightId, limit: limit)
    }
    func recentAudit(flow: String?, limit: Int) async throws -> [AuditEntry] { try await inner.recentAudit(flow: flow, limit: limit) }
}

/// A `Connector` that forwards to a real one and records when each write (create, update, delete) started.
final class ObservedConnector: Connector, @unchecked Sendable {
    let inner: any Connector
    private let lock = NSLock()
    private var startedWrites: [ContinuousClock.Instant] = []

    init(_ inner: any Connector) { self.inner = inner }

    var system: String { inner.system }
    var writes: [ContinuousClock.Instant] { lock.withLock { startedWrites } }

    private func recordWrite() { lock.withLock { startedWrites.append(.now) } }

    func schema() async throws -> SystemSchema { try await inner.schema() }
    func changes(datatype: String, since cursor: String?, limit: Int) async throws -> ChangePage {
        try await inner.changes(datatype: datatype, since: cursor, limit: limit)
    }
    func fetch(datatype: String, id: String) async throws -> NativeRecord? { try await inner.fetch(datatype: datatype, id: id) }
    func create(datatype: String, fields: JSONValue, idempotencyKey: String) async throws -> NativeRecord {
        recordWrite()
        return try await inner.create(datatype: datatype, fields: fields, idempotencyKey: idempotencyKey)
    }
    func update(datatype: String, id: String, fields: JSONValue, ifMatch: String?) async throws -> NativeRecord {
        recordWrite()
        return try await inner.update(datatype: datatype, id: id, fields: fields, ifMatch: ifMatch)
    }
    func delete(datatype: String, id: String) async throws {
        recordWrite()
        try await inner.delete(datatype: datatype, id: id)
    }
    func find(datatype: String, matching fields: [String: JSONValue]) async throws -> [NativeRecord]? {
        try await inner.find(datatype: datatype, matching: fields)
    }
}

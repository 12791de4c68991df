/// Lifecycle of a link.
public enum LinkState: String, Sendable, Hashable, Codable {
    case linked
    /// A create on the right side was started (idempotency key recorded) but not confirmed yet.
    case pendingRight = "pending-right"
    case pendingLeft = "pending-left"
    /// The left record was deleted; the right one was archived, deleted or left alone per policy.
    case leftDeleted = "left-deleted"
    case rightDeleted = "right-deleted"

    public var isActive: Bool { self == .linked }
}

/// The identity pair of a flow plus per-side shadows (the only state Parley owns).
public struct Link: Sendable, Hashable {
    public var flow: String
    public var leftId: String?
    public var rightId: String?
    public var state: LinkState
    public var idempotencyKey: String?
    public var leftShadow: CanonicalRecord
    public var rightShadow: CanonicalRecord
    public var updatedAtMillis: Int64

    public init(
        flow: String, leftId: String?, rightId: String?, state: LinkState, idempotencyKey: String? = nil,
        leftShadow: CanonicalRecord = [:], rightShadow: CanonicalRecord = [:], updatedAtMillis: Int64
    ) {
        self.flow = flow
        self.leftId = leftId
        self.rightId = rightId
        self.state = state
        self.idempotencyKey = idempotencyKey
        self.leftShadow = leftShadow
        self.rightShadow = rightShadow
        self.updatedAtMillis = updatedAtMillis
    }

    public func id(on side: Side) -> String? { side == .left ? leftId : rightId }
    public func shadow(on side: Side) -> CanonicalRecord { side == .left ? leftShadow : rightShadow }
    public mutating func setShadow(_ shadow: CanonicalRecord, on side: Side) {
        if side == .left { leftShadow = shadow } else { rightShadow = shadow }
    }
}

/// Why a record waits in staging.
public enum StagedState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Seen, not linked yet: the matching phase decides (link, create, or ambiguous).
    case unmatched
    /// Matches several records: held for a person, never auto-merged.
    case ambiguous
    /// Waits for a referenced record to be linked ("waiting on customer").
    case parked
    /// A linked record was deleted; the delete policy is applied after the circuit breaker allows it.
    case deleted
    /// A person dismissed its ambiguity: it is neither linked nor created until it changes again.
    case dismissed
    /// Existed before Parley first read a `new-only` side: never created on the other side (also after it
    /// changes), but linked when a record there matches it by merge criteria.
    case excluded
}

/// A record held by Parley between seeing it and acting on it.
public struct StagedRecord: Sendable, Hashable {
    public var flow: String
    public var side: Side
    public var id: String
    public var state: StagedState
    public var fields: JSONValue
    public var changedAtMillis: Int64?
    public var reason: String?
    /// Ids on the other side it matched (ambiguous), or the referenced id it waits on (parked).
    public var related: [String]

    public init(
        flow: String, side: Side, id: String, state: StagedState, fields: JSONValue, changedAtMillis: Int64?,
        reason: String? = nil, related: [String] = []
    ) {
        self.flow = flow
        self.side = side
        self.id = id
        self.state = state
        self.fields = fields
        self.changedAtMillis = changedAtMillis
        self.reason = reason
        self.related = related
    }
}

public struct ConflictEntry: Sendable, Hashable {
    public var id: Int64?
    public var flow: String
    public var leftId: String
    public var rightId: String
    public var property: String
    public var leftValue: CanonicalValue
    public var rightValue: CanonicalValue
    public var winner: Side
    public var rule: ConflictRule
    public var atMillis: Int64
    public var resolved: Bool

    public init(
        id: Int64? = nil, flow: String, leftId: String, rightId: String, property: String, leftValue: CanonicalValue,
        rightValue: CanonicalValue, winner: Side, rule: ConflictRule, atMillis: Int64, resolved: Bool = false
    ) {
        self.id = id
        self.flow = flow
        self.leftId = leftId
        self.rightId = rightId
        self.property = property
        self.leftValue = leftValue
        self.rightValue = rightValue
        self.winner = winner
        self.rule = rule
        self.atMillis = atMillis
        self.resolved = resolved
    }

    public var losingValue: CanonicalValue { winner == .left ? rightValue : leftValue }
    public var winningValue: CanonicalValue { winner == .left ? leftValue : rightValue }
}

public struct QuarantineEntry: Sendable, Hashable {
    public var flow: String
    public var side: Side
    public var id: String
    public var reason: String
    public var attempts: Int
    public var atMillis: Int64

    public init(flow: String, side: Side, id: String, reason: String, attempts: Int = 1, atMillis: Int64) {
        self.flow = flow
        self.side = side
        self.id = id
        self.reason = reason
        self.attempts = attempts
        self.atMillis = atMillis
    }
}

/// What Parley did to a system, and why: the audit trail behind "why did this field change?".
public enum AuditAction: String, Sendable, Hashable, Codable {
    case linked, created, updated, archived, deleted, parked, quarantined, conflict
}

public struct AuditEntry: Sendable, Hashable {
    public var id: Int64?
    public var atMillis: Int64
    public var flow: String
    public var leftId: String?
    public var rightId: String?
    /// The side written to (or acted on).
    public var target: Side
    public var action: AuditAction
    public var changes: [PropertyWrite]
    public var note: String?

    public init(
        id: Int64? = nil, atMillis: Int64, flow: String, leftId: String?, rightId: String?, target: Side, action: AuditAction,
        changes: [PropertyWrite] = [], note: String? = nil
    ) {
        self.id = id
        self.atMillis = atMillis
        self.flow = flow
        self.leftId = leftId
        self.rightId = rightId
        self.target = target
        self.action = action
        self.changes = changes
        self.note = note
    }
}

/// Everything one step of the engine records, committed atomically (one transaction).
public struct StoreBatch: Sendable {
    public var links: [Link] = []
    /// Links to forget, by (flow, leftId, rightId).
    public var removedLinks: [(flow: String, leftId: String?, rightId: String?)] = []
    public var staged: [StagedRecord] = []
    public var unstaged: [(flow: String, side: Side, id: String)] = []
    /// Merge keys of records, replacing what was recorded for the record before.
    public var keys: [(flow: String, side: Side, id: String, keys: [String])] = []
    public var conflicts: [ConflictEntry] = []
    public var audit: [AuditEntry] = []
    public var quarantine: [QuarantineEntry] = []
    public var unquarantine: [(flow: String, side: Side, id: String)] = []
    public var cursors: [(flow: String, side: Side, cursor: String)] = []
    /// True when losing this batch in a crash would change nothing (a write check that writes values back
    /// unchanged): a store may then commit it without waiting for its log to reach the disk.
    public var lossIsHarmless = false

    public init() {}

    public var isEmpty: Bool {
        links.isEmpty && removedLinks.isEmpty && staged.isEmpty && unstaged.isEmpty && keys.isEmpty && conflicts.isEmpty
            && audit.isEmpty && quarantine.isEmpty && unquarantine.isEmpty && cursors.isEmpty
    }

    /// How many rows the batch writes (or removes), about: a store's measure of how much it changed.
    public var rowCount: Int {
        links.count + removedLinks.count + staged.count + unstaged.count + keys.reduce(0) { $0 + 1 + $1.keys.count } + conflicts.count
            + audit.count + quarantine.count + unquarantine.count + cursors.count
    }

    public mutating func append(_ other: StoreBatch) {
        lossIsHarmless = lossIsHarmless && other.lossIsHarmless
        links += other.links
        removedLinks += other.removedLinks
        staged += other.staged
        unstaged += other.unstaged
        keys += other.keys
        conflicts += other.conflicts
        audit += other.audit
        quarantine += other.quarantine
        unquarantine += other.unquarantine
        cursors += other.cursors
    }
}

/// Per-flow counts for `status` and the dashboard.
public struct FlowCounts: Sendable, Hashable, Codable {
    public var linked = 0
    public var pending = 0
    public var deleted = 0
    public var unmatched = 0
    public var ambiguous = 0
    public var parked = 0
    public var pendingDeletes = 0
    /// Records a `new-only` side had before Parley first read it: left out of onboarding.
    public var excluded = 0
    public var quarantined = 0
    public var openConflicts = 0
    public var conflicts = 0
    public init() {}
}

/// Where links, shadows, cursors, staging, conflicts, quarantine and audit live (SQLite or PostgreSQL).
public protocol LinkStore: LinkStoreManagement {
    /// Applies a batch atomically.
    func commit(_ batch: StoreBatch) async throws
    /// Throws the store's "full" error when it cannot grow by `bytes` (its disk, or a limit on its size): a
    /// flow's pass asks before it sends anything to a system, so that a state that could not record a page
    /// of work is found before that work reaches a system. A store that cannot tell (a database server) accepts.
    func ensureRoom(bytes: Int64) async throws
    /// Links of a flow by the given side's ids (any state); keyed by that side's id.
    func links(flow: String, side: Side, ids: [String]) async throws -> [String: Link]
    /// Deletes and archives recorded in a flow's audit trail at or after `since` (epoch milliseconds): what the
    /// circuit breaker has let through over its window.
    func removals(flow: String, since: Int64) async throws -> Int
    /// Links waiting for a create to be confirmed.
    func pendingLinks(flow: String) async throws -> [Link]
    /// Links in a stable order, for paging (`after` is the last left id seen, or nil).
    func links(flow: String, after: String?, limit: Int) async throws -> [Link]
    func cursor(flow: String, side: Side) async throws -> String?
    /// Staged records of a side in the given states, ordered by id, after `after`.
    func staged(flow: String, side: Side, states: [StagedState], after: String?, limit: Int) async throws -> [StagedRecord]
    /// Of the given states, those in which each side of a flow has at least one staged record (one query):
    /// a pass reads staged records only where there are some.
    func stagedStates(flow: String, among states: [StagedState]) async throws -> [Side: Set<StagedState>]
    func stagedRecord(flow: String, side: Side, id: String) async throws -> StagedRecord?
    /// For each key, the ids on `side` that have it.
    func ids(flow: String, side: Side, keys: [String]) async throws -> [String: [String]]
    /// Merge keys recorded for the given ids.
    func keys(flow: String, side: Side, ids: [String]) async throws -> [String: [String]]
    func conflicts(flow: String?, unresolvedOnly: Bool, limit: Int) async throws -> [ConflictEntry]
    func resolveConflict(id: Int64) async throws
    func quarantined(flow: String?, limit: Int) async throws -> [QuarantineEntry]
    func quarantineEntry(flow: String, side: Side, id: String) async throws -> QuarantineEntry?
    func audit(flow: String, side: Side, id: String, limit: Int) async throws -> [AuditEntry]
    func counts(flow: String) async throws -> FlowCounts
}

extension LinkStore {
    /// A store that cannot tell answers every state on both sides: the pass then reads them all, as it would
    /// without asking.
    public func stagedStates(flow: String, among states: [StagedState]) async throws -> [Side: Set<StagedState>] {
        [.left: Set(states), .right: Set(states)]
    }
}

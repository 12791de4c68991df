import ParleyCore

/// What one pass did to one flow; also the unit of progress reports.
public struct FlowReport: Sendable, Hashable {
    public var flow: String
    public var read: [Side: Int] = [:]
    public var unchanged = 0
    public var linked = 0
    public var created: [Side: Int] = [:]
    public var updated: [Side: Int] = [:]
    public var conflicts = 0
    public var parked = 0
    public var ambiguous = 0
    public var quarantined = 0
    public var deleted: [Side: Int] = [:]
    public var archived: [Side: Int] = [:]
    /// Records left for the next pass because a system stayed unavailable.
    public var deferred = 0
    /// What the pass did or would do, record by record, up to `planLimit` entries: a pass over a million
    /// records keeps its counts, not a million lines (and merging reports stays cheap).
    public var plan: [PlanEntry] = []
    /// Entries left out of `plan` once it was full.
    public var planOmitted = 0
    public static let planLimit = 10_000

    public init(flow: String) { self.flow = flow }

    public var writes: Int {
        created.values.reduce(0, +) + updated.values.reduce(0, +) + deleted.values.reduce(0, +) + archived.values.reduce(0, +)
    }

    public mutating func merge(_ other: FlowReport) {
        for (side, n) in other.read { read[side, default: 0] += n }
        unchanged += other.unchanged
        linked += other.linked
        for (side, n) in other.created { created[side, default: 0] += n }
        for (side, n) in other.updated { updated[side, default: 0] += n }
        conflicts += other.conflicts
        parked += other.parked
        ambiguous += other.ambiguous
        quarantined += other.quarantined
        for (side, n) in other.deleted { deleted[side, default: 0] += n }
        for (side, n) in other.archived { archived[side, default: 0] += n }
        deferred += other.deferred
        let room = max(0, Self.planLimit - plan.count)
        if other.plan.count <= room {
            plan += other.plan
        } else {
            plan += other.plan.prefix(room)
            planOmitted += other.plan.count - room
        }
        planOmitted += other.planOmitted
    }
}

/// One planned action (dry run) — also printed as "what Parley did".
public struct PlanEntry: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable {
        case link, create, update, park, conflict, ambiguous, quarantine, archive, delete
    }
    public var action: Action
    public var side: Side
    public var id: String
    public var detail: String
}

public struct PassReport: Sendable {
    public var flows: [FlowReport]
    public var errors: [String]

    public var writes: Int { flows.reduce(0) { $0 + $1.writes } }
}

/// Progress of a running pass, for progress bars. Each phase reports once with `processed` 0 as it starts,
/// then after every page.
public struct PassProgress: Sendable {
    public var flow: String
    public var phase: String
    public var processed: Int
    public var report: FlowReport
}

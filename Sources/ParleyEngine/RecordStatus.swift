import ParleyCore

/// Everything Parley holds about one record of a flow, and what it means in a sentence: the answer to "why has
/// this record not synced?" for a record that is not linked (yet) as much as for one that is. Read by the
/// management API, the dashboard and `parley record`.
public struct RecordStatus: Sendable {
    public enum Status: String, Sendable, CaseIterable {
        case linked, creating, deleted, unmatched, ambiguous, parked, dismissed, excluded, quarantined, unseen
        case deletePending = "delete-pending"
    }

    /// What the sentences need of the flow: its name, each side's `system.datatype`, its delete policy.
    public struct FlowFacts: Sendable {
        public var name: String
        public var labels: [Side: String]
        /// `ignore`, `archive` or `propagate`.
        public var deletes: String

        public init(name: String, labels: [Side: String], deletes: String) {
            self.name = name
            self.labels = labels
            self.deletes = deletes
        }

        public init(_ flow: FlowDefinition) {
            let deletes =
                switch flow.deletes {
                case .ignore: "ignore"
                case .archive: "archive"
                case .propagate: "propagate"
                }
            self.init(name: flow.name, labels: [.left: flow.left.description, .right: flow.right.description], deletes: deletes)
        }

        func label(_ side: Side) -> String { labels[side] ?? side.rawValue }
    }

    public var flow: FlowFacts
    public var side: Side
    public var id: String
    public var link: Link?
    public var staged: StagedRecord?
    public var quarantine: QuarantineEntry?
    /// Audit entries of the record (of its link, when it has one), newest first.
    public var history: [AuditEntry]

    public init(flow: FlowFacts, side: Side, id: String, link: Link?, staged: StagedRecord?, quarantine: QuarantineEntry?, history: [AuditEntry]) {
        self.flow = flow
        self.side = side
        self.id = id
        self.link = link
        self.staged = staged
        self.quarantine = quarantine
        self.history = history
    }

    /// Reads what the store holds about one record.
    public static func load(from store: any LinkStore, flow: FlowFacts, side: Side, id: String, historyLimit: Int) async throws -> RecordStatus {
        let link = try await store.links(flow: flow.name, side: side, ids: [id])[id]
        let staged = try await store.stagedRecord(flow: flow.name, side: side, id: id)
        let quarantine = try await store.quarantineEntry(flow: flow.name, side: side, id: id)
        let history =
            if let link {
                try await store.history(flow: flow.name, leftId: link.leftId, rightId: link.rightId, limit: historyLimit)
            } else {
                try await store.audit(flow: flow.name, side: side, id: id, limit: historyLimit)
            }
        return RecordStatus(flow: flow, side: side, id: id, link: link, staged: staged, quarantine: quarantine, history: history)
    }

    /// A quarantined record says so first (it needs a person); then what waits in staging; then the link.
    public var status: Status {
        if quarantine != nil { return .quarantined }
        if let staged {
            switch staged.state {
            case .unmatched: return .unmatched
            case .ambiguous: return .ambiguous
            case .parked: return .parked
            case .deleted: return .deletePending
            case .dismissed: return .dismissed
            case .excluded: return .excluded
            }
        }
        guard let link else { return .unseen }
        switch link.state {
        case .linked: return .linked
        case .pendingLeft, .pendingRight: return .creating
        case .leftDeleted, .rightDeleted: return .deleted
        }
    }

    public var summary: String {
        let other = side.other
        let otherLabel = flow.label(other)
        switch status {
        case .quarantined:
            let attempts = quarantine?.attempts ?? 1
            return "quarantined (\(attempts) attempt\(attempts == 1 ? "" : "s")): \(quarantine?.reason ?? "")"
                + " — fix the cause, then retry it; it is not synced until then"
        case .unmatched:
            return "seen, not matched yet: " + (staged?.reason ?? "the next pass links it to a match in \(otherLabel) or creates it there")
        case .ambiguous:
            return (staged?.reason ?? "matches several records") + " — held for a person: link it by hand or dismiss it"
        case .parked:
            return (staged?.reason ?? "waiting on a referenced record") + " — it resumes by itself"
        case .deletePending:
            return "reported deleted; the next pass \(policyText) \(link.flatMap { $0.id(on: other) }.map { "\(otherLabel) \($0)" } ?? "its counterpart")"
                + " once a read confirms it is gone (within the circuit breaker's limit)"
        case .dismissed:
            return "dismissed by an operator: neither linked nor created until it changes again"
                + (staged?.reason.map { " (\($0))" } ?? "")
        case .excluded:
            return "existed before Parley first read this new-only side: not created in \(otherLabel), but linked if a record there matches it"
        case .linked:
            return "linked to \(otherLabel) \(link?.id(on: other) ?? "")"
        case .creating:
            let target: Side = link?.state == .pendingRight ? .right : .left
            return "its counterpart's create in \(flow.label(target)) is pending (sent, not confirmed);"
                + " the next pass confirms it or retries with the same idempotency key"
        case .deleted:
            let deletedSide: Side = link?.state == .leftDeleted ? .left : .right
            let deleted = "\(flow.label(deletedSide)) \(link?.id(on: deletedSide) ?? "")"
            return deletedSide == side
                ? "deleted in \(flow.label(side)); its counterpart was handled per the flow's policy (\(policyName)); the link is kept as history"
                : "its counterpart \(deleted) was deleted; this record was handled per the flow's policy (\(policyName))"
        case .unseen:
            return "Parley holds nothing for \(flow.label(side)) \(id) in flow '\(flow.name)': not read yet"
                + " (the next pass or a webhook brings it), or not a record of this datatype"
        }
    }

    private var policyName: String { flow.deletes }

    private var policyText: String {
        switch flow.deletes {
        case "ignore": "leaves as is"
        case "archive": "archives"
        default: "deletes"
        }
    }
}

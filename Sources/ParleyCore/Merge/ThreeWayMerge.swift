/// Why a value won a conflict; recorded with every conflict so "which clock decided" is never a mystery.
public enum ConflictRule: String, Sendable, Hashable, Codable {
    /// The property has an owner side.
    case owner
    /// Both systems' change markers were compared; the newer one won.
    case newestChangeMarker = "newest-change-marker"
    /// Change markers were missing or equal; the side Parley observed changing last won.
    case observationOrder = "observation-order"
    /// Nothing else decided: the flow's priority system won.
    case priority
}

public struct ConflictDecision: Sendable, Hashable {
    public var property: String
    public var leftValue: CanonicalValue
    public var rightValue: CanonicalValue
    public var winner: Side
    public var rule: ConflictRule

    public var winningValue: CanonicalValue { winner == .left ? leftValue : rightValue }
    public var losingValue: CanonicalValue { winner == .left ? rightValue : leftValue }

    public init(property: String, leftValue: CanonicalValue, rightValue: CanonicalValue, winner: Side, rule: ConflictRule) {
        self.property = property
        self.leftValue = leftValue
        self.rightValue = rightValue
        self.winner = winner
        self.rule = rule
    }
}

/// Why a property is written, for the audit trail.
public enum WriteReason: String, Sendable, Hashable, Codable {
    case changed
    case cleared
    case filledEmpty = "filled-empty"
    case conflictWon = "conflict-won"
    case created
    case archived
    /// An archive marker set back when the deleted record came back.
    case restored
}

public struct PropertyWrite: Sendable, Hashable {
    public var property: String
    public var before: CanonicalValue
    public var after: CanonicalValue
    public var reason: WriteReason

    public init(property: String, before: CanonicalValue, after: CanonicalValue, reason: WriteReason) {
        self.property = property
        self.before = before
        self.after = after
        self.reason = reason
    }
}

/// What a merge decided: the values to write to each side and the conflicts resolved on the way.
public struct MergeResult: Sendable, Hashable {
    public var writes: [Side: [PropertyWrite]] = [.left: [], .right: []]
    public var conflicts: [ConflictDecision] = []

    public var isEmpty: Bool { writes.values.allSatisfy(\.isEmpty) }
    public func writes(to side: Side) -> [PropertyWrite] { writes[side] ?? [] }
}

/// One side's view for a merge: its current canonical values, what Parley last saw there, when it changed.
public struct MergeSide: Sendable {
    public var current: CanonicalRecord
    /// Nil for a first match (no link yet).
    public var shadow: CanonicalRecord?
    public var changedAtMillis: Int64?

    public init(current: CanonicalRecord, shadow: CanonicalRecord?, changedAtMillis: Int64?) {
        self.current = current
        self.shadow = shadow
        self.changedAtMillis = changedAtMillis
    }
}

/// Field-level three-way merge (DESIGN.md "The core algorithm", step 3). Pure: no I/O, no clock.
public enum ThreeWayMerge {
    public static func merge(
        flow: FlowDefinition, left: MergeSide, right: MergeSide, observedLast: Side? = nil
    ) -> MergeResult {
        var result = MergeResult()
        let firstMatch = left.shadow == nil || right.shadow == nil
        for mapping in flow.properties {
            let key = mapping.key
            let l = left.current[key] ?? .null
            let r = right.current[key] ?? .null
            let canWriteLeft = flow.direction.carries(from: .right) && mapping.direction.carries(from: .right)
            let canWriteRight = flow.direction.carries(from: .left) && mapping.direction.carries(from: .left)

            if firstMatch {
                if mapping.same(l, r) { continue }
                // An empty value never overwrites a filled one during first matching.
                if l.isEmpty {
                    if canWriteLeft { result.writes[.left, default: []].append(PropertyWrite(property: key, before: l, after: r, reason: .filledEmpty)) }
                    continue
                }
                if r.isEmpty {
                    if canWriteRight { result.writes[.right, default: []].append(PropertyWrite(property: key, before: r, after: l, reason: .filledEmpty)) }
                    continue
                }
                resolve(mapping: mapping, l: l, r: r, left: left, right: right, observedLast: observedLast, flow: flow,
                    canWriteLeft: canWriteLeft, canWriteRight: canWriteRight, into: &result)
                continue
            }

            let changedLeft = !mapping.same(l, left.shadow?[key] ?? .null)
            let changedRight = !mapping.same(r, right.shadow?[key] ?? .null)
            switch (changedLeft, changedRight) {
            case (false, false):
                continue
            case (true, false):
                guard canWriteRight, !mapping.same(l, r) else { continue }
                result.writes[.right, default: []].append(PropertyWrite(property: key, before: r, after: l, reason: l.isEmpty ? .cleared : .changed))
            case (false, true):
                guard canWriteLeft, !mapping.same(l, r) else { continue }
                result.writes[.left, default: []].append(PropertyWrite(property: key, before: l, after: r, reason: r.isEmpty ? .cleared : .changed))
            case (true, true):
                if mapping.same(l, r) { continue }
                resolve(mapping: mapping, l: l, r: r, left: left, right: right, observedLast: observedLast, flow: flow,
                    canWriteLeft: canWriteLeft, canWriteRight: canWriteRight, into: &result)
            }
        }
        return result
    }

    static func resolve(
        mapping: PropertyMapping, l: CanonicalValue, r: CanonicalValue, left: MergeSide, right: MergeSide,
        observedLast: Side?, flow: FlowDefinition, canWriteLeft: Bool, canWriteRight: Bool, into result: inout MergeResult
    ) {
        let (winner, rule) = decideWinner(mapping: mapping, left: left, right: right, observedLast: observedLast, flow: flow,
            canWriteLeft: canWriteLeft, canWriteRight: canWriteRight)
        result.conflicts.append(ConflictDecision(property: mapping.key, leftValue: l, rightValue: r, winner: winner, rule: rule))
        let loser = winner.other
        result.writes[loser, default: []].append(
            PropertyWrite(property: mapping.key, before: loser == .left ? l : r, after: winner == .left ? l : r, reason: .conflictWon))
    }

    static func decideWinner(
        mapping: PropertyMapping, left: MergeSide, right: MergeSide, observedLast: Side?, flow: FlowDefinition,
        canWriteLeft: Bool, canWriteRight: Bool
    ) -> (Side, ConflictRule) {
        // A side that cannot be written to (one-way flow or property) always keeps its value.
        if !canWriteLeft { return (.left, .owner) }
        if !canWriteRight { return (.right, .owner) }
        if let owner = mapping.owner { return (owner, .owner) }
        if let l = left.changedAtMillis, let r = right.changedAtMillis, l != r {
            return (l > r ? .left : .right, .newestChangeMarker)
        }
        if let observedLast { return (observedLast, .observationOrder) }
        return (flow.conflict.prioritySide, .priority)
    }
}

import ParleyCore

/// The value an operator chose for a conflicted property.
public enum ConflictChoice: Sendable, Hashable {
    /// The value the left system had when the conflict was recorded.
    case left
    /// The value the right system had when the conflict was recorded.
    case right
    /// A value of the operator's own, in the left system's form (`"a@b.example"`, `1250.50`, `"2025-03-01"`),
    /// which is the flow's canonical meaning; it is converted for the right system like any other write.
    case custom(JSONValue)
}

/// Operator actions: the writes a person asks for through the management API or the dashboard. Each goes
/// through the same functions a pass uses (merge, link, sync a record), so shadows, audit and echo
/// suppression stay exactly as consistent as after a pass. Callers serialize them with the polling loop
/// (`SyncTrigger.perform`).
extension SyncEngine {
    /// Writes the chosen value of a conflicted property to both systems, stores what each system answered
    /// as that property's shadow, records the writes in the audit trail and marks the conflict resolved.
    /// Other properties of the link are left to the next pass, so a change that is still on its way is
    /// never absorbed.
    public func resolveConflict(id: Int64, choice: ConflictChoice) async throws -> FlowReport {
        guard let conflict = try await store.conflict(id: id) else { throw OperatorError.conflictNotFound(id) }
        return try await holdingFlow(conflict.flow) { try await resolveConflictHeld(id: id, choice: choice) }
    }

    func resolveConflictHeld(id: Int64, choice: ConflictChoice) async throws -> FlowReport {
        guard let conflict = try await store.conflict(id: id) else { throw OperatorError.conflictNotFound(id) }
        guard !conflict.resolved else { throw OperatorError.conflictAlreadyResolved(id) }
        let flow = try flow(named: conflict.flow)
        guard let mapping = flow.properties.first(where: { $0.key == conflict.property }) else {
            throw OperatorError.propertyNotMapped(flow: flow.name, property: conflict.property)
        }
        let value: CanonicalValue
        let choiceText: String
        switch choice {
        case .left:
            value = conflict.leftValue
            choiceText = "kept the \(flow.left.system) value"
        case .right:
            value = conflict.rightValue
            choiceText = "kept the \(flow.right.system) value"
        case .custom(let json):
            value = try Self.customValue(json, mapping: mapping)
            choiceText = "chose a value of their own"
        }
        guard let link = try await store.links(flow: flow.name, side: .left, ids: [conflict.leftId])[conflict.leftId],
            link.state.isActive, link.rightId == conflict.rightId
        else { throw OperatorError.linkNotFound(flow: flow.name, leftId: conflict.leftId, rightId: conflict.rightId) }
        let context = try context(for: flow, references: ReferenceResolver(store: store, limit: options.referenceCacheIds))
        let note = "conflict #\(id) on \(mapping.key) resolved by an operator, who \(choiceText)"
        let (batch, report) = try await context.writeChosenValue(value, mapping: mapping, link: link, note: note)
        try await store.commit(batch)
        try await store.resolveConflict(id: id)
        logger.info("conflict resolved", metadata: ["flow": "\(flow.name)", "conflict": "\(id)", "property": "\(mapping.key)"])
        return report
    }

    /// Links an ambiguous (or any unlinked) record to the record a person picked on the other side: the
    /// same first-match merge as automatic matching, with "linked manually" in the audit trail.
    public func linkManually(flow name: String, side: Side, id: String, otherId: String) async throws -> FlowReport {
        try await holdingFlow(name) { try await linkManuallyHeld(flow: name, side: side, id: id, otherId: otherId) }
    }

    func linkManuallyHeld(flow name: String, side: Side, id: String, otherId: String) async throws -> FlowReport {
        let flow = try flow(named: name)
        let other = side.other
        let context = try context(for: flow, references: ReferenceResolver(store: store, limit: options.referenceCacheIds))
        // A link whose other record was deleted holds nothing live: the new link replaces it (else a record whose
        // counterpart was deleted could never be linked to the one that took its place).
        var replaced: [String] = []
        if let link = try await store.links(flow: flow.name, side: side, ids: [id])[id] {
            guard link.state == FlowContext.deletedState(other), let gone = link.id(on: other) else {
                throw OperatorError.alreadyLinked(flow: flow.name, record: "\(context.label(side)) \(id)", to: link.id(on: other) ?? "a record being created")
            }
            replaced.append("\(context.label(other)) \(gone)")
        }
        if let link = try await store.links(flow: flow.name, side: other, ids: [otherId])[otherId] {
            guard link.state == FlowContext.deletedState(side), let gone = link.id(on: side) else {
                throw OperatorError.alreadyLinked(flow: flow.name, record: "\(context.label(other)) \(otherId)", to: link.id(on: side) ?? "a record being created")
            }
            replaced.append("\(context.label(side)) \(gone)")
        }
        guard let record = try await context.readLive(side, id: id) else {
            throw OperatorError.recordNotFound(record: "\(context.label(side)) \(id)")
        }
        guard try await context.readLive(other, id: otherId) != nil else {
            throw OperatorError.recordNotFound(record: "\(context.label(other)) \(otherId)")
        }
        let staged = StagedRecord(
            flow: flow.name, side: side, id: id, state: .unmatched, fields: record.fields, changedAtMillis: record.changedAtMillis)
        var (batch, report) = try await context.linkPair(staged, side: side, otherId: otherId)
        for index in batch.audit.indices where batch.audit[index].action == .linked {
            batch.audit[index].note = "linked manually by an operator"
                + (replaced.isEmpty ? "" : ", replacing the link to \(replaced.joined(separator: " and ")), deleted since")
        }
        try await store.commit(batch)
        guard report.linked == 1 else {
            throw OperatorError.notLinked(reason: report.plan.last?.detail ?? "a system was unavailable; try again")
        }
        logger.info("linked manually", metadata: ["flow": "\(flow.name)", "side": "\(side.rawValue)", "id": "\(id)", "other": "\(otherId)"])
        return report
    }

    /// Sets an ambiguous record aside: it is neither linked nor created until it changes again.
    public func dismissAmbiguous(flow name: String, side: Side, id: String) async throws {
        try await holdingFlow(name) { try await dismissAmbiguousHeld(flow: name, side: side, id: id) }
    }

    func dismissAmbiguousHeld(flow name: String, side: Side, id: String) async throws {
        let flow = try flow(named: name)
        guard var staged = try await store.stagedRecord(flow: flow.name, side: side, id: id), staged.state == .ambiguous else {
            throw OperatorError.notAmbiguous(flow: flow.name, record: "\(flow.datatype(on: side)) \(id)")
        }
        staged.state = .dismissed
        staged.reason = "dismissed by an operator; was: \(staged.reason ?? "ambiguous")"
        var batch = StoreBatch()
        batch.staged.append(staged)
        try await store.commit(batch)
    }

    /// Re-reads a quarantined record and syncs it. It leaves quarantine unless it fails again (then the
    /// entry carries the new reason).
    public func retryQuarantined(flow name: String, side: Side, id: String) async throws -> FlowReport {
        try await holdingFlow(name) { try await retryQuarantinedHeld(flow: name, side: side, id: id) }
    }

    func retryQuarantinedHeld(flow name: String, side: Side, id: String) async throws -> FlowReport {
        let flow = try flow(named: name)
        guard try await store.quarantineEntry(flow: flow.name, side: side, id: id) != nil else {
            throw OperatorError.notQuarantined(flow: flow.name, record: "\(flow.datatype(on: side)) \(id)")
        }
        let ref = flow.datatype(on: side)
        let context = try context(for: flow, references: ReferenceResolver(store: store, limit: options.referenceCacheIds))
        let report = try await context.syncRecords([ChangedRecord(system: ref.system, datatype: ref.datatype, id: id)], side: side)
        if report.quarantined == 0 {
            var batch = StoreBatch()
            batch.unquarantine.append((flow.name, side, id))
            try await store.commit(batch)
        }
        return report
    }

    /// With several workers, an operator action holds its flow so that no worker processes it meanwhile.
    func holdingFlow<T: Sendable>(_ flow: String, _ body: @Sendable () async throws -> T) async throws -> T {
        guard let result = try await exclusivelyIfShared(flow: flow, body) else { throw OperatorError.flowBusy(flow: flow) }
        return result
    }

    func flow(named name: String) throws -> FlowDefinition {
        guard let flow = flows.first(where: { $0.name == name }) else {
            throw OperatorError.unknownFlow(name, known: flows.map(\.name))
        }
        return flow
    }

    /// Reads an operator's value in the left system's form; text is accepted for numbers, dates and booleans.
    static func customValue(_ json: JSONValue, mapping: PropertyMapping) throws -> CanonicalValue {
        var candidate = json
        if mapping.leftType == .boolean, case .string(let text) = json {
            switch text.lowercased() {
            case "true", "yes", "1": candidate = .bool(true)
            case "false", "no", "0": candidate = .bool(false)
            default: break
            }
        }
        var fields: JSONValue = .object([:])
        fields.setValue(candidate, at: mapping.left)
        do {
            return try mapping.canonical(from: fields, side: .left)
        } catch {
            throw OperatorError.invalidValue(property: mapping.key, message: error.message)
        }
    }
}

extension FlowContext {
    /// Writes `value` for one property to each side that holds something else, and returns the link with
    /// that property's shadows taken from what the systems stored. A side the flow never writes to keeps
    /// its value. When a write fails, nothing is stored as a shadow, so the next pass carries the value
    /// already written on to the other side.
    func writeChosenValue(_ value: CanonicalValue, mapping: PropertyMapping, link: Link, note: String, attempt: Int = 0) async throws
        -> (StoreBatch, FlowReport)
    {
        var batch = StoreBatch()
        var report = FlowReport(flow: flow.name)
        var updated = link
        for target in [Side.left, .right] {
            guard let targetId = link.id(on: target) else { continue }
            guard let record = try await readLive(target, id: targetId) else {
                throw OperatorError.recordNotFound(record: "\(label(target)) \(targetId)")
            }
            let current: CanonicalValue
            switch try await canonicalize(record.fields, side: target) {
            case .success(let canonical): current = canonical.values[mapping.key] ?? .null
            case .failure(let error): throw OperatorError.invalidValue(property: mapping.key, message: "\(label(target)) \(targetId): \(error)")
            }
            var shadow = updated.shadow(on: target)
            let writable = flow.direction.carries(from: target.other) && mapping.direction.carries(from: target.other)
            if mapping.same(current, value) || !writable {
                shadow[mapping.key] = current
                updated.setShadow(shadow, on: target)
                continue
            }
            let write = PropertyWrite(property: mapping.key, before: current, after: value, reason: .conflictWon)
            let patch: JSONValue
            switch try await nativePatch([write], to: target) {
            case .success(let native): patch = native
            case .failure(.unresolvedReference(_, let refFlow, let id)):
                throw OperatorError.invalidValue(property: mapping.key, message: "refers to \(id), which is not linked in flow '\(refFlow)' yet")
            case .failure(.conversion(let error)):
                throw OperatorError.invalidValue(property: mapping.key, message: "\(label(target)): \(error.message)")
            }
            let stored: NativeRecord
            do {
                stored = try await retry.run {
                    try await connector(target).update(datatype: datatype(target), id: targetId, fields: patch, ifMatch: record.version)
                }
            } catch ConnectorError.versionMismatch where attempt < 3 {
                // Changed between read and write: read again.
                return try await writeChosenValue(value, mapping: mapping, link: link, note: note, attempt: attempt + 1)
            } catch let error as ConnectorError {
                try await store.commit(batch.auditOnly)
                throw OperatorError.writeFailed("\(label(target)) refused the write of \(mapping.key) to \(targetId): \(error)")
            }
            if case .success(let canonical) = try await canonicalize(stored.fields, side: target) {
                shadow[mapping.key] = canonical.values[mapping.key] ?? value
            } else {
                shadow[mapping.key] = value
            }
            updated.setShadow(shadow, on: target)
            report.updated[target, default: 0] += 1
            report.plan.append(PlanEntry(action: .update, side: target, id: targetId, detail: "\(mapping.key): \(current.display) → \(value.display)"))
            batch.audit.append(AuditEntry(
                atMillis: now(), flow: flow.name, leftId: link.leftId, rightId: link.rightId, target: target, action: .updated,
                changes: [write], note: note))
        }
        updated.updatedAtMillis = now()
        batch.links.append(updated)
        return (batch, report)
    }
}

extension StoreBatch {
    /// Only the audit entries: what was written, without the shadows of an action that did not finish.
    var auditOnly: StoreBatch {
        var batch = StoreBatch()
        batch.audit = audit
        return batch
    }
}

/// Why an operator action could not be carried out, with what to do instead.
public enum OperatorError: Error, Sendable, CustomStringConvertible {
    case unknownFlow(String, known: [String])
    case conflictNotFound(Int64)
    case conflictAlreadyResolved(Int64)
    case propertyNotMapped(flow: String, property: String)
    case invalidValue(property: String, message: String)
    case linkNotFound(flow: String, leftId: String, rightId: String)
    case recordNotFound(record: String)
    case alreadyLinked(flow: String, record: String, to: String)
    case notLinked(reason: String)
    case notAmbiguous(flow: String, record: String)
    case notQuarantined(flow: String, record: String)
    case writeFailed(String)
    case flowBusy(flow: String)

    /// How a caller should classify the failure (the management API maps it to an HTTP status).
    public enum Kind: Sendable {
        /// Nothing with that name or id exists.
        case notFound
        /// It exists but is not in a state that allows the action.
        case conflict
        /// The request itself is wrong (a value that cannot be written).
        case invalid
        /// A system refused or was unavailable.
        case failed
    }

    public var kind: Kind {
        switch self {
        case .unknownFlow, .conflictNotFound, .linkNotFound, .recordNotFound, .notQuarantined, .notAmbiguous: .notFound
        case .conflictAlreadyResolved, .alreadyLinked: .conflict
        case .propertyNotMapped, .invalidValue: .invalid
        case .notLinked, .writeFailed, .flowBusy: .failed
        }
    }

    public var description: String {
        switch self {
        case .unknownFlow(let name, let known):
            "no flow named '\(name)'; the configured flows are: \(known.joined(separator: ", "))"
        case .conflictNotFound(let id): "no conflict #\(id); list open conflicts with GET /api/conflicts"
        case .conflictAlreadyResolved(let id): "conflict #\(id) is already resolved; nothing was written"
        case .propertyNotMapped(let flow, let property):
            "flow '\(flow)' no longer maps property '\(property)'; the conflict cannot be resolved by writing it"
        case .invalidValue(let property, let message): "the value for '\(property)' cannot be written: \(message)"
        case .linkNotFound(let flow, let leftId, let rightId):
            "flow '\(flow)' has no active link \(leftId) <-> \(rightId) any more (deleted or re-linked); nothing was written"
        case .recordNotFound(let record): "\(record) does not exist (any more); check the id"
        case .alreadyLinked(let flow, let record, let to):
            "\(record) is already linked to \(to) in flow '\(flow)'; nothing was changed"
        case .notLinked(let reason): "the records were not linked: \(reason)"
        case .notAmbiguous(let flow, let record):
            "\(record) is not held as ambiguous in flow '\(flow)'; list ambiguous matches with GET /api/ambiguous"
        case .notQuarantined(let flow, let record):
            "\(record) is not quarantined in flow '\(flow)'; list quarantined records with GET /api/quarantine"
        case .writeFailed(let message): "\(message); the conflict stays open, try again once the system accepts writes"
        case .flowBusy(let flow):
            "other workers are processing flow '\(flow)' (onboarding or a long pass); nothing was changed, try again in a moment"
        }
    }
}

extension PassReport {
    /// The report of an operator action that touched one flow.
    public init(_ report: FlowReport) {
        self.init(flows: [report], errors: [])
    }
}

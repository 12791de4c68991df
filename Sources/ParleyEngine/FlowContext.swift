import Logging
import ParleyCore

/// Everything one flow's pass works with. Immutable; per-pass caches live in actors.
struct FlowContext: Sendable {
    let flow: FlowDefinition
    let leftConnector: any Connector
    let rightConnector: any Connector
    let store: any LinkStore
    let options: EngineOptions
    let retry: RetryPolicy
    let references: ReferenceResolver
    /// The merge keys of records whose create is pending, for this pass (`pendingRivalWaits`).
    let pendingCreates = PendingCreates()
    let logger: Logger
    let now: @Sendable () -> Int64

    func connector(_ side: Side) -> any Connector { side == .left ? leftConnector : rightConnector }
    func datatype(_ side: Side) -> String { flow.datatype(on: side).datatype }

    /// Reads a record from its system (with retries). One its system reports deleted (a soft delete, a tombstone
    /// served by id) is as good as gone: nil, as for a record that is not found — never merged, linked or created.
    func readLive(_ side: Side, id: String) async throws -> NativeRecord? {
        guard let record = try await retry.run({ try await connector(side).fetch(datatype: datatype(side), id: id) }), !record.deleted else { return nil }
        return record
    }
    func label(_ side: Side) -> String { flow.datatype(on: side).description }

    /// Canonical values of a record, with right-side references translated to left ids.
    func canonicalize(_ fields: JSONValue, side: Side) async throws -> Result<CanonicalizedRecord, ConversionError> {
        var translations: [String: [String: String]] = [:]
        if side == .right {
            for (refFlow, ids) in flow.referencedIds(in: fields, side: .right) {
                translations[refFlow] = try await references.leftIds(flow: refFlow, rightIds: ids)
            }
        }
        do {
            return .success(try flow.canonicalize(fields, side: side) { refFlow, id in translations[refFlow]?[id] })
        } catch {
            return .failure(error)
        }
    }

    /// Native patch for `side`, with left references translated to that side's ids.
    func nativePatch(_ writes: [PropertyWrite], to side: Side) async throws -> Result<JSONValue, NativePatchError> {
        var translations: [String: [String: String]] = [:]
        if side == .right {
            for (refFlow, ids) in flow.referencedLeftIds(in: writes) {
                translations[refFlow] = try await references.rightIds(flow: refFlow, leftIds: ids)
            }
        }
        do {
            return .success(try flow.nativePatch(writes, to: side) { refFlow, id in translations[refFlow]?[id] })
        } catch {
            return .failure(error)
        }
    }

    /// A new create's idempotency key: the record and the time of the create's first attempt. It is recorded in the
    /// pending link and reused by every retry; a record created again later (its first counterpart deleted, its link
    /// removed) gets a new one, so the system does not answer with the record of the earlier create.
    func newIdempotencyKey(source: Side, id: String) -> String {
        "parley-\(flow.name)-\(source.rawValue)-\(id)-\(now())"
    }

    /// The link state saying that `side`'s record was deleted.
    static func deletedState(_ side: Side) -> LinkState { side == .left ? .leftDeleted : .rightDeleted }

    /// A `StoreBatch.removedLinks` entry: the link holding `side`'s record `id`.
    func linkRemoval(_ side: Side, _ id: String) -> (flow: String, leftId: String?, rightId: String?) {
        (flow.name, side == .left ? id : nil, side == .right ? id : nil)
    }

    func quarantine(_ side: Side, _ id: String, _ reason: String, into batch: inout StoreBatch, report: inout FlowReport) {
        logger.warning("quarantined record", metadata: ["flow": "\(flow.name)", "system": "\(label(side))", "id": "\(id)", "reason": "\(reason)"])
        batch.quarantine.append(QuarantineEntry(flow: flow.name, side: side, id: id, reason: reason, atMillis: now()))
        batch.audit.append(AuditEntry(
            atMillis: now(), flow: flow.name, leftId: side == .left ? id : nil, rightId: side == .right ? id : nil, target: side,
            action: .quarantined, note: reason))
        report.quarantined += 1
        report.plan.append(PlanEntry(action: .quarantine, side: side, id: id, detail: reason))
    }

    func park(_ record: StagedRecord, waitingOn: String, reason: String, into batch: inout StoreBatch, report: inout FlowReport) {
        var parked = record
        parked.state = .parked
        parked.reason = reason
        parked.related = [waitingOn]
        batch.staged.append(parked)
        report.parked += 1
        report.plan.append(PlanEntry(action: .park, side: record.side, id: record.id, detail: reason))
    }

    /// Holds a staged record as ambiguous for a person: `candidates` are the other side's records it could be
    /// linked to (the dashboard offers each).
    func holdAmbiguous(_ record: StagedRecord, candidates: [String], reason: String, into batch: inout StoreBatch, report: inout FlowReport) {
        var held = record
        held.state = .ambiguous
        held.reason = reason
        held.related = candidates
        batch.staged.append(held)
        report.ambiguous += 1
        report.plan.append(PlanEntry(action: .ambiguous, side: record.side, id: record.id, detail: reason))
    }

    func parkReason(_ error: NativePatchError, side: Side) -> (waitingOn: String, reason: String)? {
        if case .unresolvedReference(let property, let refFlow, let id) = error {
            return ("\(refFlow):\(id)", "waiting on \(refFlow): \(property) refers to \(id), which is not linked yet")
        }
        return nil
    }

    func describe(_ error: any Error) -> String {
        if let error = error as? ConnectorError { return error.description }
        return String(describing: error)
    }

    func keys(_ fields: JSONValue, side: Side) -> [String] {
        MergeKeys.keys(of: fields, side: side, criteria: flow.mergeCriteria)
    }

    /// A side's shadow after Parley wrote to it: the values read before the write, with the written
    /// properties as the system stored them. Properties Parley did not write keep the values it read, so an
    /// edit that reached the system between the read and the write is seen as a change next time instead
    /// of being taken into the shadow unseen.
    func shadowAfterWrite(read: CanonicalRecord, writes: [PropertyWrite], stored: NativeRecord, side: Side) async throws -> CanonicalRecord {
        var shadow = read
        let answered: CanonicalRecord? = if case .success(let value) = try await canonicalize(stored.fields, side: side) { value.values } else { nil }
        for write in writes { shadow[write.property] = answered?[write.property] ?? write.after }
        return shadow
    }

    /// Whether every mapped property of `current` means the same as in `shadow`.
    func unchanged(_ current: CanonicalRecord, shadow: CanonicalRecord) -> Bool {
        flow.properties.allSatisfy { $0.same(current[$0.key] ?? .null, shadow[$0.key] ?? .null) }
    }
}

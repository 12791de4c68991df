import ParleyCore
@testable import ParleyEngine
import ParleyTestSupport
import Testing

/// Which new records wait for a record of another partition that shares a merge key (workers deciding a side's
/// partitions at the same time), checked against a real SQLite state.
@Suite("Same-key rivals outside a batch")
struct SameKeyRivalsTests {
    @Test("a lower-id unmatched or held rival, or one whose create is pending, makes a record wait; a linked, higher-id or same-batch one does not")
    func waits() async throws {
        let harness = try await SyncHarness.start(erpSeed: 0)
        do {
            let engine = harness.engine()
            let flow = try #require(engine.flows.first { $0.name == "customers" })
            let context = try engine.context(for: flow, references: ReferenceResolver(store: harness.store, limit: 100))
            var batch = StoreBatch()
            func stage(_ id: String, _ state: StagedState, keys: [String]) {
                batch.staged.append(StagedRecord(flow: "customers", side: .left, id: id, state: state, fields: .object([:]), changedAtMillis: nil))
                batch.keys.append(("customers", .left, id, keys))
            }
            // The records asked about, each with one rival outside the batch.
            for (id, key) in [("5", "0:a"), ("6", "0:b"), ("8", "1:c"), ("9", "0:d"), ("4", "0:e"), ("7", "0:f")] { stage(id, .unmatched, keys: [key]) }
            stage("3", .unmatched, keys: ["0:a"])  // lower id, unmatched: decided first
            stage("60", .unmatched, keys: ["0:b"])  // higher id: goes after "6"
            stage("2", .ambiguous, keys: ["1:c"])  // lower id, held
            stage("90", .unmatched, keys: ["0:d"])  // higher id, but its create is pending
            batch.links.append(Link(flow: "customers", leftId: "90", rightId: nil, state: .pendingRight, idempotencyKey: "k-90", updatedAtMillis: 0))
            batch.keys.append(("customers", .left, "1", ["0:e"]))  // lower id, linked: its counterpart is a candidate
            batch.links.append(Link(flow: "customers", leftId: "1", rightId: "p1", state: .linked, updatedAtMillis: 0))
            batch.keys.append(("customers", .left, "0", ["0:f"]))  // lower id, neither linked nor staged (quarantined)
            stage("11", .unmatched, keys: ["0:g"])
            batch.keys.append(("customers", .left, "10", ["0:g"]))  // lower id, its counterpart deleted: nothing to wait for
            batch.links.append(Link(flow: "customers", leftId: "10", rightId: "p10", state: .rightDeleted, updatedAtMillis: 0))
            try await harness.store.commit(batch)

            let asked = batch.staged.filter { ["5", "6", "8", "9", "4", "7", "11"].contains($0.id) }
            let keys = Dictionary(uniqueKeysWithValues: batch.keys.map { ($0.id, $0.keys) })
            let waits = try await context.rivalWaits(asked, side: .left, keys: keys, batch: Set(asked.map(\.id)))
            #expect(waits == [
                "5": .deferred("waits for erp.customer 3, which shares a merge key and is decided first"),
                "9": .deferred("waits for the pending create of erp.customer 90's counterpart: the two share a merge key"),
                "8": .held("shares a merge key with erp.customer 2, which is decided first and held as ambiguous"),
            ])
            // A rival in the same batch is left to `firstOfEachKey`.
            let together = batch.staged.filter { ["3", "5"].contains($0.id) }
            #expect(try await context.rivalWaits(together, side: .left, keys: keys, batch: ["3", "5"]).isEmpty)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("within a batch, a record whose create is pending goes first of its key, wherever it stands")
    func pendingFirstInBatch() {
        let records = ["1", "2", "3"].map { StagedRecord(flow: "customers", side: .left, id: $0, state: .unmatched, fields: .object([:]), changedAtMillis: nil) }
        let keys = ["1": ["0:a"], "2": ["0:a"], "3": ["0:b"]]
        let plain = FlowContext.firstOfEachKey(records, keys: keys)
        #expect(plain.now.map(\.id) == ["1", "3"])
        #expect(plain.later.map { [$0.record.id, $0.first] } == [["2", "1"]])
        let pending = FlowContext.firstOfEachKey(records, keys: keys, pending: ["2"])
        #expect(pending.now.map(\.id) == ["2", "3"])
        #expect(pending.later.map { [$0.record.id, $0.first] } == [["1", "2"]])
    }
}

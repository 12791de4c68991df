import Foundation
import ParleyCore
import ParleyStore
import ParleyTestSupport
import Testing

/// The store contract: every `LinkStore` implementation must pass these unchanged.
enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres
    var description: String { rawValue }

    /// PostgreSQL runs when a test cluster is given (scripts/test always gives one and requires it).
    static var available: [StoreKind] {
        TestPostgres.adminURL == nil && !TestPostgres.required ? [.sqlite] : allCases
    }

    func make() async throws -> any LinkStore {
        switch self {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("parley-store-\(UUID().uuidString).sqlite").path
            return try SQLiteStore(path: path)
        case .postgres:
            return try await PostgresStore(url: try await TestPostgres.freshDatabase())
        }
    }
}

@Suite("Store contract")
struct StoreContractTests {
    let shadow: CanonicalRecord = ["name": .text("Acme"), "budget": .number(DecimalText("12.5")!), "customerId": .reference("7"), "startDate": .date("2026-01-02")]

    @Test("links round-trip with shadows; a pending link is completed in place", arguments: StoreKind.available)
    func links(kind: StoreKind) async throws {
        let store = try await kind.make()
        var batch = StoreBatch()
        batch.links.append(Link(flow: "customers", leftId: "1", rightId: nil, state: .pendingRight, idempotencyKey: "k-1", updatedAtMillis: 5))
        try await store.commit(batch)
        #expect(try await store.pendingLinks(flow: "customers").map(\.leftId) == ["1"])

        var complete = StoreBatch()
        complete.links.append(Link(flow: "customers", leftId: "1", rightId: "a", state: .linked, leftShadow: shadow, rightShadow: ["name": .text("ACME")], updatedAtMillis: 6))
        try await store.commit(complete)
        #expect(try await store.pendingLinks(flow: "customers").isEmpty)
        let byRight = try await store.links(flow: "customers", side: .right, ids: ["a", "zzz"])
        #expect(byRight.count == 1)
        #expect(byRight["a"]?.leftShadow == shadow)
        #expect(byRight["a"]?.rightShadow == ["name": .text("ACME")])
        #expect(try await store.links(flow: "projects", side: .left, ids: ["1"]).isEmpty)
        #expect(try await store.counts(flow: "customers").linked == 1)
    }

    @Test("a link replaces every row holding either of its ids; within a batch the last link for an id wins", arguments: StoreKind.available)
    func linkReplacement(kind: StoreKind) async throws {
        let store = try await kind.make()
        var setup = StoreBatch()
        setup.links.append(Link(flow: "c", leftId: "L1", rightId: nil, state: .pendingRight, idempotencyKey: "k-L1", updatedAtMillis: 1))
        setup.links.append(Link(flow: "c", leftId: nil, rightId: "R1", state: .pendingLeft, idempotencyKey: "k-R1", updatedAtMillis: 1))
        setup.links.append(Link(flow: "c", leftId: "L2", rightId: "R2", state: .linked, leftShadow: shadow, rightShadow: shadow, updatedAtMillis: 1))
        setup.links.append(Link(flow: "c", leftId: "L3", rightId: "R3", state: .linked, updatedAtMillis: 1))
        setup.links.append(Link(flow: "other", leftId: "L1", rightId: "R1", state: .linked, updatedAtMillis: 1))
        // A pending link whose create answers an id another row holds, and a pending-left link completed.
        setup.links.append(Link(flow: "c", leftId: "L5", rightId: nil, state: .pendingRight, idempotencyKey: "k-L5", updatedAtMillis: 1))
        setup.links.append(Link(flow: "c", leftId: "L6", rightId: "R5", state: .linked, updatedAtMillis: 1))
        setup.links.append(Link(flow: "c", leftId: nil, rightId: "R7", state: .pendingLeft, idempotencyKey: "k-R7", updatedAtMillis: 1))
        try await store.commit(setup)

        var batch = StoreBatch()
        // Joins the pending-right row of L1 and the pending-left row of R1 into one link.
        batch.links.append(Link(flow: "c", leftId: "L1", rightId: "R1", state: .linked, updatedAtMillis: 2))
        // An edit of a linked pair: new shadows, same ids.
        batch.links.append(Link(flow: "c", leftId: "L2", rightId: "R2", state: .linked, leftShadow: ["name": .text("new")], rightShadow: shadow, updatedAtMillis: 2))
        // L3 is relinked twice in the batch: the last one (to R9) stands, R3 and R8 are no one's.
        batch.links.append(Link(flow: "c", leftId: "L3", rightId: "R8", state: .linked, updatedAtMillis: 2))
        batch.links.append(Link(flow: "c", leftId: "L3", rightId: "R9", state: .leftDeleted, updatedAtMillis: 3))
        batch.links.append(Link(flow: "c", leftId: "L5", rightId: "R5", state: .linked, idempotencyKey: "k-L5", leftShadow: shadow, rightShadow: shadow, updatedAtMillis: 4))
        batch.links.append(Link(flow: "c", leftId: "L7", rightId: "R7", state: .linked, idempotencyKey: "k-R7", leftShadow: shadow, updatedAtMillis: 4))
        try await store.commit(batch)

        let byLeft = try await store.links(flow: "c", side: .left, ids: ["L1", "L2", "L3", "L5", "L6", "L7"])
        #expect(byLeft.mapValues(\.rightId) == ["L1": "R1", "L2": "R2", "L3": "R9", "L5": "R5", "L7": "R7"])
        #expect(byLeft["L5"] == Link(flow: "c", leftId: "L5", rightId: "R5", state: .linked, idempotencyKey: "k-L5", leftShadow: shadow, rightShadow: shadow, updatedAtMillis: 4))
        #expect(byLeft["L7"] == Link(flow: "c", leftId: "L7", rightId: "R7", state: .linked, idempotencyKey: "k-R7", leftShadow: shadow, updatedAtMillis: 4))
        #expect(byLeft["L1"]?.state == .linked)
        #expect(byLeft["L2"]?.leftShadow == ["name": .text("new")])
        #expect(byLeft["L2"]?.rightShadow == shadow)
        #expect(byLeft["L2"]?.updatedAtMillis == 2)
        #expect(byLeft["L3"]?.state == .leftDeleted)
        #expect(
            try await store.links(flow: "c", side: .right, ids: ["R1", "R2", "R3", "R5", "R7", "R8", "R9"]).mapValues(\.leftId)
                == ["R1": "L1", "R2": "L2", "R5": "L5", "R7": "L7", "R9": "L3"])
        #expect(try await store.pendingLinks(flow: "c").isEmpty)
        #expect(Self.figures(try await store.counts(flow: "c")) == [4, 0, 1])
        #expect(try await store.links(flow: "other", side: .left, ids: ["L1"])["L1"]?.rightId == "R1")
    }

    @Test("paging links in a stable order", arguments: StoreKind.available)
    func paging(kind: StoreKind) async throws {
        let store = try await kind.make()
        var batch = StoreBatch()
        for index in 0..<25 {
            batch.links.append(Link(flow: "f", leftId: String(format: "%03d", index), rightId: "r\(index)", state: .linked, updatedAtMillis: 1))
        }
        try await store.commit(batch)
        var seen: [String] = []
        var after: String?
        while true {
            let page = try await store.links(flow: "f", after: after, limit: 10)
            guard let last = page.last else { break }
            seen += page.compactMap(\.leftId)
            after = last.leftId
        }
        #expect(seen == (0..<25).map { String(format: "%03d", $0) })
    }

    static func figures(_ counts: FlowCounts) -> [Int] { [counts.linked, counts.pending, counts.deleted] }

    @Test("counts of links per state, per flow: linked, pending either way, deleted either way", arguments: StoreKind.available)
    func linkCounts(kind: StoreKind) async throws {
        let store = try await kind.make()
        var batch = StoreBatch()
        for index in 0..<5 {
            batch.links.append(Link(flow: "c", leftId: "l\(index)", rightId: "r\(index)", state: .linked, updatedAtMillis: 1))
        }
        batch.links.append(Link(flow: "c", leftId: "l5", rightId: nil, state: .pendingRight, idempotencyKey: "k5", updatedAtMillis: 1))
        batch.links.append(Link(flow: "c", leftId: nil, rightId: "r6", state: .pendingLeft, idempotencyKey: "k6", updatedAtMillis: 1))
        batch.links.append(Link(flow: "c", leftId: nil, rightId: "r7", state: .pendingLeft, idempotencyKey: "k7", updatedAtMillis: 1))
        batch.links.append(Link(flow: "c", leftId: "l8", rightId: "r8", state: .leftDeleted, updatedAtMillis: 1))
        batch.links.append(Link(flow: "c", leftId: "l9", rightId: "r9", state: .rightDeleted, updatedAtMillis: 1))
        batch.links.append(Link(flow: "other", leftId: "l0", rightId: "r0", state: .linked, updatedAtMillis: 1))
        try await store.commit(batch)
        var counts = try await store.counts(flow: "c")
        #expect(Self.figures(counts) == [5, 3, 2])
        #expect(try await store.pendingLinks(flow: "c").map { $0.leftId ?? $0.rightId ?? "" }.sorted() == ["l5", "r6", "r7"])

        var settle = StoreBatch()
        settle.links.append(Link(flow: "c", leftId: "l5", rightId: "r5", state: .linked, updatedAtMillis: 2))
        settle.links.append(Link(flow: "c", leftId: "l6", rightId: "r6", state: .linked, updatedAtMillis: 2))
        try await store.commit(settle)
        counts = try await store.counts(flow: "c")
        #expect(Self.figures(counts) == [7, 1, 2])
        #expect(try await store.counts(flow: "other").linked == 1)
    }

    @Test("staging, merge keys and lookups by key", arguments: StoreKind.available)
    func staging(kind: StoreKind) async throws {
        let store = try await kind.make()
        var batch = StoreBatch()
        batch.staged.append(StagedRecord(flow: "c", side: .left, id: "1", state: .unmatched, fields: ["name": "A"], changedAtMillis: 3))
        batch.staged.append(StagedRecord(flow: "c", side: .left, id: "2", state: .ambiguous, fields: ["name": "B"], changedAtMillis: nil, reason: "two", related: ["x", "y"]))
        for id in ["e1", "e2"] {
            batch.staged.append(StagedRecord(flow: "c", side: .right, id: id, state: .excluded, fields: ["name": "E"], changedAtMillis: nil, reason: "existed before"))
        }
        batch.keys.append(("c", .left, "1", ["0:111", "1:c-1"]))
        batch.keys.append(("c", .left, "2", ["0:111"]))
        try await store.commit(batch)
        #expect(try await store.staged(flow: "c", side: .left, states: [.unmatched], after: nil, limit: 10).map(\.id) == ["1"])
        let ambiguous = try await store.stagedRecord(flow: "c", side: .left, id: "2")
        #expect(ambiguous?.related == ["x", "y"])
        #expect(ambiguous?.reason == "two")
        let ids = try await store.ids(flow: "c", side: .left, keys: ["0:111", "1:c-1", "0:999"])
        #expect(ids["0:111"]?.sorted() == ["1", "2"])
        #expect(ids["1:c-1"] == ["1"])
        #expect(ids["0:999"] == nil)
        #expect(try await store.keys(flow: "c", side: .left, ids: ["1"])["1"]?.sorted() == ["0:111", "1:c-1"])

        var replace = StoreBatch()
        replace.keys.append(("c", .left, "1", ["0:222"]))
        replace.unstaged.append(("c", .left, "1"))
        try await store.commit(replace)
        #expect(try await store.keys(flow: "c", side: .left, ids: ["1"])["1"] == ["0:222"])
        #expect(try await store.stagedRecord(flow: "c", side: .left, id: "1") == nil)
        let counts = try await store.counts(flow: "c")
        #expect(counts.ambiguous == 1)
        #expect(counts.unmatched == 0)
        #expect(counts.excluded == 2)
    }

    @Test("which states each side has staged records in, among those asked, per flow", arguments: StoreKind.available)
    func stagedStates(kind: StoreKind) async throws {
        let store = try await kind.make()
        let asked: [StagedState] = [.unmatched, .ambiguous, .parked, .deleted]
        #expect(try await store.stagedStates(flow: "c", among: asked).isEmpty)
        var batch = StoreBatch()
        batch.staged.append(StagedRecord(flow: "c", side: .left, id: "1", state: .unmatched, fields: [:], changedAtMillis: nil))
        batch.staged.append(StagedRecord(flow: "c", side: .left, id: "2", state: .parked, fields: [:], changedAtMillis: nil))
        batch.staged.append(StagedRecord(flow: "c", side: .right, id: "r", state: .deleted, fields: [:], changedAtMillis: nil))
        batch.staged.append(StagedRecord(flow: "c", side: .right, id: "x", state: .excluded, fields: [:], changedAtMillis: nil))
        batch.staged.append(StagedRecord(flow: "other", side: .right, id: "9", state: .ambiguous, fields: [:], changedAtMillis: nil))
        try await store.commit(batch)
        #expect(try await store.stagedStates(flow: "c", among: asked) == [.left: [.unmatched, .parked], .right: [.deleted]])
        #expect(try await store.stagedStates(flow: "c", among: [.excluded, .ambiguous]) == [.right: [.excluded]])
        #expect(try await store.stagedStates(flow: "other", among: asked) == [.right: [.ambiguous]])
        var unstage = StoreBatch()
        unstage.unstaged.append(("c", .left, "1"))
        try await store.commit(unstage)
        #expect(try await store.stagedStates(flow: "c", among: asked) == [.left: [.parked], .right: [.deleted]])
    }

    @Test("removals: the deletes and archives of a flow's audit at or after a time (the circuit breaker's window)", arguments: StoreKind.available)
    func removals(kind: StoreKind) async throws {
        let store = try await kind.make()
        var batch = StoreBatch()
        for (at, flow, action) in [(100, "c", AuditAction.archived), (200, "c", .deleted), (300, "c", .archived), (300, "c", .created), (300, "c", .updated), (400, "d", .deleted)] {
            batch.audit.append(AuditEntry(atMillis: Int64(at), flow: flow, leftId: "\(at)", rightId: nil, target: .right, action: action))
        }
        try await store.commit(batch)
        #expect(try await store.removals(flow: "c", since: 0) == 3)
        #expect(try await store.removals(flow: "c", since: 200) == 2)
        #expect(try await store.removals(flow: "c", since: 301) == 0)
        #expect(try await store.removals(flow: "d", since: 400) == 1)
        #expect(try await store.removals(flow: "e", since: 0) == 0)
    }

    @Test("cursors, conflicts, quarantine and audit", arguments: StoreKind.available)
    func records(kind: StoreKind) async throws {
        let store = try await kind.make()
        var batch = StoreBatch()
        batch.cursors.append(("c", .left, "42"))
        batch.conflicts.append(ConflictEntry(flow: "c", leftId: "1", rightId: "a", property: "phone", leftValue: .text("1"), rightValue: .text("2"), winner: .right, rule: .newestChangeMarker, atMillis: 9))
        batch.quarantine.append(QuarantineEntry(flow: "c", side: .right, id: "bad", reason: "erp rejected it", atMillis: 10))
        batch.audit.append(AuditEntry(atMillis: 11, flow: "c", leftId: "1", rightId: "a", target: .left, action: .updated,
            changes: [PropertyWrite(property: "phone", before: .text("1"), after: .text("2"), reason: .conflictWon)], note: "changed on pms"))
        try await store.commit(batch)
        var again = StoreBatch()
        again.cursors.append(("c", .left, "43"))
        again.quarantine.append(QuarantineEntry(flow: "c", side: .right, id: "bad", reason: "still rejected", atMillis: 12))
        try await store.commit(again)

        #expect(try await store.cursor(flow: "c", side: .left) == "43")
        #expect(try await store.cursor(flow: "c", side: .right) == nil)
        // Several cursors in one batch, one side twice: the last one for a side wins.
        var cursors = StoreBatch()
        cursors.cursors = [("c", .left, "44"), ("c", .right, "r1"), ("d", .left, "d1"), ("c", .left, "45")]
        try await store.commit(cursors)
        #expect(try await store.cursor(flow: "c", side: .left) == "45")
        #expect(try await store.cursor(flow: "c", side: .right) == "r1")
        #expect(try await store.cursor(flow: "d", side: .left) == "d1")
        // A batch whose loss would be harmless (a write check) is committed all the same.
        var check = StoreBatch()
        check.cursors.append(("c", .left, "45"))
        check.lossIsHarmless = true
        try await store.commit(check)
        #expect(try await store.cursor(flow: "c", side: .left) == "45")
        let conflicts = try await store.conflicts(flow: "c", unresolvedOnly: true, limit: 10)
        #expect(conflicts.count == 1)
        #expect(conflicts.first?.losingValue == .text("1"))
        let conflictId = try #require(conflicts.first?.id)
        try await store.resolveConflict(id: conflictId)
        #expect(try await store.conflicts(flow: "c", unresolvedOnly: true, limit: 10).isEmpty)
        #expect(try await store.conflicts(flow: nil, unresolvedOnly: false, limit: 10).count == 1)
        let quarantined = try #require(try await store.quarantineEntry(flow: "c", side: .right, id: "bad"))
        #expect(quarantined.reason == "still rejected")
        #expect(quarantined.attempts == 2)
        let history = try await store.audit(flow: "c", side: .left, id: "1", limit: 10)
        #expect(history.count == 1)
        #expect(history.first?.changes == [PropertyWrite(property: "phone", before: .text("1"), after: .text("2"), reason: .conflictWon)])
        #expect(history.first?.note == "changed on pms")
    }
}

import Foundation
import ParleyCore
import Testing

@testable import ParleyStore

@Suite("SQLite state: the cache of record numbers")
struct RecordNumberCacheTests {
    func ref(_ id: String) -> RecordRef { RecordRef(flow: "customers", side: .right, id: id) }

    @Test("bounded to two generations: the older is dropped whole when the newer is full")
    func bounded() {
        let cache = RecordNumberCache(limit: 2)
        let first: [RecordRef: Int64] = [ref("a"): 1, ref("b"): 2]
        cache.remember(first.sorted { $0.value < $1.value })
        let third: [RecordRef: Int64] = [ref("c"): 3]
        cache.remember(third)
        #expect(cache.numbers(of: ["a", "b", "c"].map(ref)) == [ref("a"): 1, ref("b"): 2, ref("c"): 3])
        let second: [RecordRef: Int64] = [ref("d"): 4, ref("e"): 5]
        cache.remember(second.sorted { $0.value < $1.value })
        #expect(cache.numbers(of: ["a", "b", "c", "d", "e"].map(ref)) == [ref("c"): 3, ref("d"): 4, ref("e"): 5])
    }

    @Test("a commit that failed leaves no number behind: the same records commit afterwards and are found by id")
    func failedCommitLeavesNoNumber() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("parley-numbers-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteStore(path: path)
        var batch = StoreBatch()
        batch.links.append(Link(flow: "customers", leftId: "7", rightId: "9f1c-a", state: .linked, updatedAtMillis: 1))
        batch.audit.append(AuditEntry(atMillis: 1, flow: "customers", leftId: "7", rightId: "9f1c-a", target: .right, action: .created))
        // The batch is numbered and written, then the transaction is rolled back.
        struct RolledBack: Error {}
        let written = batch
        await #expect(throws: RolledBack.self) {
            try await store.pool.write { db in
                _ = try BatchWriter.write(written, known: store.recordNumbers, in: db)
                throw RolledBack()
            }
        }
        #expect(store.recordNumbers.numbers(of: [ref("9f1c-a"), RecordRef(flow: "customers", side: .left, id: "7")]).isEmpty)
        try await store.commit(batch)
        #expect(try await store.links(flow: "customers", side: .right, ids: ["9f1c-a"])["9f1c-a"]?.leftId == "7")
        #expect(try await store.audit(flow: "customers", side: .left, id: "7", limit: 5).map(\.action) == [.created])
        // Numbers came from the cache for this one: it must land on the same rows.
        var update = StoreBatch()
        update.links.append(Link(flow: "customers", leftId: "7", rightId: "9f1c-a", state: .linked, updatedAtMillis: 2))
        try await store.commit(update)
        #expect(try await store.counts(flow: "customers").linked == 1)
        #expect(try await store.links(flow: "customers", side: .left, ids: ["7"])["7"]?.updatedAtMillis == 2)
    }

    @Test("a commit hands back, to remember, only the numbers the cache lacked: read from the state or given by it")
    func learnsOnlyWhatWasMissing() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("parley-numbers-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteStore(path: path)
        var first = StoreBatch()
        first.links.append(Link(flow: "customers", leftId: "7", rightId: nil, state: .pendingRight, updatedAtMillis: 1))
        first.keys.append(("customers", .right, "old", ["k"]))
        try await store.commit(first)
        // "old" is in the state; drop the cache so that it must be read back.
        let fresh = RecordNumberCache()
        fresh.remember([(RecordRef(flow: "customers", side: .left, id: "7"), store.recordNumbers.numbers(of: [RecordRef(flow: "customers", side: .left, id: "7")]).values.first ?? -1)])
        var second = StoreBatch()
        second.links.append(Link(flow: "customers", leftId: "7", rightId: "new", state: .linked, updatedAtMillis: 2))
        second.audit.append(AuditEntry(atMillis: 2, flow: "customers", leftId: "7", rightId: "new", target: .right, action: .created))
        second.keys.append(("customers", .right, "old", []))
        let batch = second
        let numbering = try await store.pool.write { db in try BatchWriter.write(batch, known: fresh, in: db) }
        #expect(Set(numbering.learned.map(\.key.id)) == ["new", "old"])
        #expect(numbering.learned.count == 2)
        #expect(numbering.numbers.count == 3)
        #expect(numbering.numbers[ref("new")].map(numbering.isNew) == true)
        #expect(numbering.numbers[ref("old")].map(numbering.isNew) == false)
    }
}

extension RecordNumberCache {
    /// The numbers known for `records`.
    func numbers(of records: [RecordRef]) -> [RecordRef: Int64] {
        var found: [RecordRef: Int64] = [:]
        lookUp(records) { record, number in found[record] = number }
        return found
    }
}

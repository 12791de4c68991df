import Foundation
import GRDB
import ParleyCore
import Testing

@testable import ParleyStore

/// A state written by an earlier Parley opens in this one: the migration numbers its records and every
/// look-up finds what it found before.
@Suite("SQLite state migration")
struct SQLiteMigrationTests {
    @Test("a schema v1 state with links, keys and audit rows reads the same after v2 numbers its records, and takes new writes")
    func v1StateMigrates() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("parley-v1-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try writeVersionOneState(at: path)

        let store = try SQLiteStore(path: path)
        let byRight = try await store.links(flow: "customers", side: .right, ids: ["9f1c-a", "9f1c-b"])
        #expect(byRight.mapValues(\.leftId) == ["9f1c-a": "7"])
        #expect(byRight["9f1c-a"]?.leftShadow == ["name": .text("Acme")])
        #expect(try await store.links(flow: "customers", side: .left, ids: ["8"])["8"]?.state == .pendingRight)
        #expect(try await store.links(flow: "projects", side: .left, ids: ["7"]).isEmpty)
        #expect(try await store.links(flow: "customers", after: nil, limit: 10).map(\.leftId) == ["7", "8"])
        #expect(try await store.links(flow: "customers", after: "7", limit: 10).map(\.leftId) == ["8"])
        #expect(try await store.keys(flow: "customers", side: .right, ids: ["9f1c-a"]) == ["9f1c-a": ["acme"]])
        #expect(try await store.ids(flow: "customers", side: .left, keys: ["acme", "globex"]) == ["acme": ["7"], "globex": ["9"]])
        #expect(try await store.audit(flow: "customers", side: .right, id: "9f1c-a", limit: 10).map(\.action) == [.updated, .created])
        #expect(try await store.audit(flow: "customers", side: .left, id: "7", limit: 10).count == 2)
        #expect(try await store.history(flow: "customers", leftId: nil, rightId: "9f1c-a", limit: 10).count == 2)
        #expect(try await store.findLinks(flow: "customers", ids: ["9f1c-a"], keys: [], limit: 10).map(\.leftId) == ["7"])
        #expect(try await store.findLinks(flow: "customers", ids: [], keys: ["acme"], limit: 10).map(\.leftId) == ["7"])

        // New writes after the migration: the pending link of 8 is completed, 9 is linked, 7's keys change.
        var batch = StoreBatch()
        batch.links.append(Link(flow: "customers", leftId: "8", rightId: "9f1c-c", state: .linked, updatedAtMillis: 9))
        batch.links.append(Link(flow: "customers", leftId: "9", rightId: "9f1c-b", state: .linked, updatedAtMillis: 9))
        batch.keys.append(("customers", .left, "7", ["acme corp"]))
        batch.audit.append(AuditEntry(atMillis: 9, flow: "customers", leftId: "9", rightId: "9f1c-b", target: .right, action: .linked))
        try await store.commit(batch)
        let after = try await store.links(flow: "customers", side: .right, ids: ["9f1c-a", "9f1c-b", "9f1c-c"])
        #expect(after.mapValues(\.leftId) == ["9f1c-a": "7", "9f1c-b": "9", "9f1c-c": "8"])
        #expect(try await store.pendingLinks(flow: "customers").isEmpty)
        #expect(try await store.counts(flow: "customers").linked == 3)
        #expect(try await store.keys(flow: "customers", side: .left, ids: ["7"]) == ["7": ["acme corp"]])
        #expect(try await store.ids(flow: "customers", side: .left, keys: ["acme"]).isEmpty)
        #expect(try await store.audit(flow: "customers", side: .right, id: "9f1c-b", limit: 10).map(\.action) == [.linked])

        // An export pages the merge keys by record number, one page of one record at a time here.
        var exported: [String] = []
        try await store.export(batchSize: 1) { batch in
            exported += batch.keys.map { "\($0.side.rawValue) \($0.id): \($0.keys.sorted().joined(separator: ","))" }
        }
        #expect(exported.sorted() == ["left 7: acme corp", "left 9: globex", "right 9f1c-a: acme"])
    }

    /// The state as schema v1 wrote it: ids in every table, indexed by id.
    func writeVersionOneState(at path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try StoreMigrations.migrator.migrate(queue, upTo: "v1")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO links (flow, left_id, right_id, state, idem_key, left_shadow, right_shadow, updated_at) VALUES
                        ('customers', '7', '9f1c-a', 'linked', NULL, '{"name":{"t":"Acme"}}', '{"name":{"t":"Acme"}}', 1),
                        ('customers', '8', NULL, 'pending-right', 'parley-customers-left-8', '{}', '{}', 2);
                    INSERT INTO record_keys (flow, side, key, record_id) VALUES
                        ('customers', 'left', 'acme', '7'), ('customers', 'right', 'acme', '9f1c-a'), ('customers', 'left', 'globex', '9');
                    INSERT INTO audit (at, flow, left_id, right_id, target, action, changes, note) VALUES
                        (1, 'customers', '7', '9f1c-a', 'right', 'created', '[]', NULL),
                        (2, 'customers', '7', '9f1c-a', 'right', 'updated', '[]', NULL);
                    """)
        }
    }
}

import Foundation
import Testing
@testable import ParleyReference

@Suite struct PersistenceTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("parley-persist-\(UUID().uuidString).sqlite").path
    }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    @Test func idempotencyKeysWebhooksAndSequencesSurviveARestart() async throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        let options = ReferenceOptions(kind: .erp, dbPath: path, seed: 5)
        let first = try await withReference(options) { running, client in
            #expect(running.seeded)
            #expect(try await client.post("/webhooks", #"{"url":"http://127.0.0.1:9/hooks","secret":"k"}"#).status == 201)
            let created = try await client.post("/customers", JSONValue.object(SampleData.company(index: 77).erpCustomerBody).text, headers: [("Idempotency-Key", "restart-1")])
            #expect(created.status == 201)
            return created.json
        }
        #expect(FileManager.default.fileExists(atPath: path))
        try await withReference(options) { running, client in
            #expect(!running.seeded)
            #expect(try await running.recordCounts()["customers"] == 6)
            let replay = try await client.post("/customers", JSONValue.object(SampleData.company(index: 77).erpCustomerBody).text, headers: [("Idempotency-Key", "restart-1")])
            #expect(replay.status == 200)
            #expect(replay.json == first)
            #expect(try await client.get("/webhooks").json["items"]?.arrayValue?.count == 1)
            let next = try await client.post("/customers", JSONValue.object(SampleData.company(index: 78).erpCustomerBody).text)
            #expect(next.json["id"]?.int64Value == 7)
            let feed = try await client.get("/customers?since=6")
            #expect(feed.json["items"]?.arrayValue?.count == 1)
            #expect(feed.json["next"] == .string("7"))
        }
    }

    @Test func refusesTheOtherSystemsDatabase() async throws {
        let path = Self.temporaryPath()
        defer { Self.remove(path) }
        try await withReference(ReferenceOptions(kind: .erp, dbPath: path)) { _, _ in }
        await #expect(throws: ReferenceDatabase.WrongSystem.self) {
            try await withReference(ReferenceOptions(kind: .pms, dbPath: path)) { _, _ in }
        }
    }

    @Test func temporaryDatabasesAreRemovedOnStop() async throws {
        let running = try await RunningReference.start(ReferenceOptions(kind: .pms, seed: 2), logger: TestLogging.logger)
        #expect(FileManager.default.fileExists(atPath: running.dbPath))
        await running.stop()
        await running.stop()
        #expect(!FileManager.default.fileExists(atPath: running.dbPath))
    }

    @Test func reportsAPortInUse() async throws {
        try await withReference(ReferenceOptions(kind: .erp)) { running, _ in
            await #expect(throws: RunningReference.StartFailed.self) {
                _ = try await RunningReference.start(ReferenceOptions(kind: .pms, port: running.port), logger: TestLogging.logger)
            }
        }
    }
}

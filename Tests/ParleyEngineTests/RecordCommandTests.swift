import Foundation
import ParleyCore
import ParleyEngine
import ParleyTestSupport
import Testing

/// `parley record`, run as the built executable against a harness's state.
@Suite("parley record")
struct RecordCommandTests {
    @Test("prints a linked record's status, link and history; a record never seen says so; a wrong side is a clear error")
    func printsStatus() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ParleyBinary.path), "build the parley executable first (swift build)")
        let harness = try await SyncHarness.start(erpSeed: 2)
        do {
            try await harness.sync()
            let erpId = try #require(try await harness.erpClient.all("customers").compactMap(SystemClient.id).first)
            let pmsId = try #require(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId]?.rightId)

            let linked = try await ParleyBinary.run(
                ["record", "--config", harness.configPath, "--flow", "customers", "--side", "erp", erpId], environment: harness.environment)
            #expect(linked.status == 0, "\(linked.output)")
            let lines = linked.output.split(separator: "\n").map(String.init)
            #expect(lines.prefix(2) == ["customers: erp.customer \(erpId) — linked", "linked to pms.customer \(pmsId)"])
            #expect(lines.count > 3 && lines[2].hasPrefix("link: erp.customer \(erpId) <-> pms.customer \(pmsId) (linked, updated "))
            #expect(lines.contains("history (newest first):"))
            #expect(lines.contains { $0.contains(" created on pms.customer") })

            let unseen = try await ParleyBinary.run(
                ["record", "--config", harness.configPath, "--flow", "customers", "--side", "pms", "no-such-id"], environment: harness.environment)
            #expect(unseen.status == 0)
            #expect(unseen.output.hasPrefix("customers: pms.customer no-such-id — unseen\nParley holds nothing for pms.customer no-such-id in flow 'customers'"))

            let wrongSide = try await ParleyBinary.run(
                ["record", "--config", harness.configPath, "--flow", "customers", "--side", "crm", "1"], environment: harness.environment)
            #expect(wrongSide.status != 0)
            #expect(wrongSide.output.contains("'crm' is not a side of flow 'customers': use left, right, erp or pms"))
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("deletes the circuit breaker holds: parley status counts them, parley record says why one waits")
    func heldDeletes() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ParleyBinary.path), "build the parley executable first (swift build)")
        let harness = try await SyncHarness.start()
        do {
            let ids = try await harness.createERPCustomers(40, number: "C-H", name: "Held")
            try await harness.sync()
            for id in ids.prefix(30) { try await harness.erpClient.delete("customers", id) }
            #expect(await harness.engine().syncPass(only: ["customers"]).errors.count == 1)

            let status = try await ParleyBinary.run(["status", "--config", harness.configPath], environment: harness.environment)
            #expect(status.status == 0, "\(status.output)")
            let lines = status.output.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            let header = try #require(lines.first)
            let column = try #require(header.firstIndex(of: "deletes"))
            let customers = try #require(lines.first { $0.first == "customers" })
            #expect(customers[column] == "30")
            #expect(customers[1] == "40")

            let record = try await ParleyBinary.run(
                ["record", "--config", harness.configPath, "--flow", "customers", "--side", "erp", ids[0]], environment: harness.environment)
            #expect(record.output.hasPrefix("customers: erp.customer \(ids[0]) — delete-pending\nreported deleted; the next pass archives pms.customer "))
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}

import Foundation
import ParleyCore
import ParleyEngine
import ParleyStore
import ParleyTestSupport
import Testing

@Suite("parley verify")
struct VerifyTests {
    func verify(_ harness: SyncHarness) async -> VerificationReport {
        await harness.engine().verify(makeIndex: { try SQLiteVerificationIndex() })
    }

    @Test("more differences than the list cap: the lists stop at the cap and the rest is counted (no crash)")
    func listCap() async throws {
        let harness = try await SyncHarness.start(erpSeed: 10)
        do {
            try await harness.sync()
            for erpId in ["1", "2", "3", "4", "5"] {
                let pmsId = try #require(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId]?.rightId)
                try await harness.pmsClient.patch("customers", pmsId, ["display_name": .string("Changed Behind Parley \(erpId) AS")])
            }
            let report = await harness.engine().verify(only: ["customers"], makeIndex: { try SQLiteVerificationIndex() }, listCap: 2)
            let customers = try #require(report.flows.first)
            #expect(customers.differences.count == 2)
            #expect(customers.truncated == 3)
            #expect(!report.ok)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("converged: OK; an edit behind Parley's back: names record, property and both values; a delete: the missing counterpart")
    func verifyFindsWhatDiffers() async throws {
        let harness = try await SyncHarness.start(erpSeed: 40, pmsSeed: 20, pmsSeedOffset: 30)
        do {
            try await harness.sync()
            let clean = await verify(harness)
            #expect(clean.ok, "\(clean.flows.map { ($0.flow, $0.differences, $0.missing, $0.duplicates) })")
            let customers = try #require(clean.flows.first { $0.flow == "customers" })
            #expect(customers.leftRecords == 50)
            #expect(customers.rightRecords == 50)
            #expect(customers.linked == 50)
            #expect(customers.agreeing == 50)

            let pmsId = try #require(try await harness.store.links(flow: "customers", side: .left, ids: ["4"])["4"]?.rightId)
            try await harness.pmsClient.patch("customers", pmsId, ["city": "Hammerfest"])
            let erpCity = try await harness.erpClient.get("customers", "4")?["address"]?["city"]?.stringValue ?? ""
            let edited = await verify(harness)
            #expect(!edited.ok)
            let difference = try #require(edited.flows.first { $0.flow == "customers" }?.differences.first)
            #expect(difference.leftId == "4")
            #expect(difference.rightId == pmsId)
            #expect(difference.property == "address.city")
            #expect(difference.rightProperty == "city")
            #expect(difference.leftValue == erpCity)
            #expect(difference.rightValue == "Hammerfest")

            try await harness.sync()
            #expect(await verify(harness).ok)

            let projects = try await harness.pmsClient.all("projects")
            let projectId = try #require(projects.first.flatMap(SystemClient.id))
            try await harness.pmsClient.delete("projects", projectId)
            let deleted = await verify(harness)
            #expect(!deleted.ok)
            let missing = try #require(deleted.flows.first { $0.flow == "projects" }?.missing)
            #expect(missing.count == 1)
            #expect(missing.first?.side == .left)
            #expect(missing.first?.reason.contains(projectId) == true)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}

import Foundation
import ParleyConfig
import ParleyCore
import ParleyEngine
import ParleyReference
import ParleyTestSupport
import Testing

@Suite("Onboarding: new-only")
struct NewOnlyOnboardingTests {
    /// The default configuration with the PMS side of the customers flow set to `new-only`.
    static let config = DefaultConfig.yaml.replacingOccurrences(
        of: "    onboarding: {erp: all, pms: all}\n    # A customer created in the ERP",
        with: "    onboarding: {erp: all, pms: new-only}\n    # A customer created in the ERP")

    @Test("customers that existed in a new-only PMS are never created in the ERP, even after an edit; new ones are; matches still link")
    func newOnlySide() async throws {
        #expect(Self.config != DefaultConfig.yaml, "the configuration did not change: the default's text moved")
        // ERP: companies 0..<100; PMS: 80..<120, so 20 are shared and 20 exist only in the PMS.
        let harness = try await SyncHarness.start(erpSeed: 100, pmsSeed: 40, pmsSeedOffset: 80, configYAML: Self.config)
        do {
            let first = try await harness.sync()
            let customers = first.flow("customers")
            #expect(customers.linked == 20)
            #expect(customers.created[.right] == 80)
            #expect(customers.created[.left] ?? 0 == 0)
            #expect(try await harness.erpClient.all("customers").count == 100)
            #expect(try await harness.pmsClient.all("customers").count == 120)
            let pmsOnly = try await harness.pmsClient.all("customers").filter { ($0["erp_number"]?.stringValue ?? "").isEmpty }
            #expect(pmsOnly.count == 20)
            #expect(try await harness.store.counts(flow: "customers").excluded == 20)

            // A customer created in the PMS after the first read is new: it reaches the ERP.
            let fresh = try await harness.pmsClient.create("customers", ["display_name": "Fresh AS", "org_no": "999888777"])
            let second = try await harness.sync()
            #expect(second.flow("customers").created[.left] == 1)
            let erpCustomers = try await harness.erpClient.all("customers")
            #expect(erpCustomers.count == 101)
            #expect(erpCustomers.contains { $0["name"]?.stringValue == "Fresh AS" })
            #expect(SystemClient.id(fresh) != nil)

            // An edit does not make an existing record new.
            let existing = try #require(pmsOnly.first)
            let existingId = try #require(SystemClient.id(existing))
            _ = try await harness.pmsClient.patch("customers", existingId, ["display_name": "Renamed in the PMS"])
            let third = try await harness.sync()
            #expect(third.flow("customers").created[.left] ?? 0 == 0)
            #expect(try await harness.erpClient.all("customers").count == 101)
            let staged = try await harness.store.stagedRecord(flow: "customers", side: .right, id: existingId)
            #expect(staged?.state == .excluded)

            // An ERP customer that matches an excluded PMS customer links with it instead of creating a duplicate.
            let orgNumber = try #require(existing["org_no"]?.stringValue)
            _ = try await harness.erpClient.create("customers", ["customerNumber": "LATE-1", "name": "Late AS", "organizationNumber": .string(orgNumber)])
            let fourth = try await harness.sync()
            #expect(fourth.flow("customers").linked == 1)
            #expect(fourth.flow("customers").created[.right] ?? 0 == 0)
            #expect(try await harness.pmsClient.all("customers").count == 121)
            #expect(try await harness.store.links(flow: "customers", side: .right, ids: [existingId])[existingId]?.state == .linked)
            #expect(try await harness.store.counts(flow: "customers").excluded == 19)

            // Nothing is left to do.
            let fifth = try await harness.sync()
            #expect(fifth.writes == 0)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}

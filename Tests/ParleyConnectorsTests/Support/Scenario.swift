import Foundation
import ParleyCore
import ParleyEngine
import ParleyTestSupport
import Testing

/// The end-to-end scenario every connector must pass, with the ERP on the left and the PMS on the right
/// of the `customers` and `projects` flows: onboarding (match, create both ways, references), a quiet
/// second pass, edits on both sides, a conflict, a reference created later, deletes both ways, and a
/// final quiet pass.
struct Scenario {
    let harness: EngineHarness
    let erp: any ScenarioSide
    let pms: any ScenarioSide

    func run() async throws {
        // Existing data on both sides: one customer on each matches by organization number.
        let erpAker = try await erp.addCustomer(Customer(name: "Aker Test AS", org: "911111111", email: "post@aker.test"))
        let erpBergen = try await erp.addCustomer(Customer(name: "Bergen Only AS", org: "922222222"))
        _ = try await erp.addProject(Project(code: "P-100", title: "Harbour", customer: erpAker))
        let pmsAker = try await pms.addCustomer(Customer(name: "Aker Test AS", org: "911111111", email: "post@aker.test"))
        let pmsOslo = try await pms.addCustomer(Customer(name: "Christiania Only AS", org: "933333333"))
        let pmsTunnel = try await pms.addProject(Project(code: "P-200", title: "Tunnel", customer: pmsOslo))

        let onboarding = try await harness.sync()
        #expect(onboarding.flow("customers").created[.right] == 1)
        #expect(onboarding.flow("customers").created[.left] == 1)
        #expect(onboarding.flow("projects").created[.right] == 1)
        #expect(onboarding.flow("projects").created[.left] == 1)
        #expect(try await harness.counterpart(flow: "customers", side: .left, id: erpAker) == pmsAker)
        let pmsBergen = try #require(try await harness.counterpart(flow: "customers", side: .left, id: erpBergen))
        let erpOslo = try #require(try await harness.counterpart(flow: "customers", side: .right, id: pmsOslo))
        #expect(try await pms.customer(pmsBergen) == Customer(name: "Bergen Only AS", org: "922222222"))
        #expect(try await erp.customer(erpOslo) == Customer(name: "Christiania Only AS", org: "933333333"))
        let erpTunnel = try #require(try await harness.counterpart(flow: "projects", side: .right, id: pmsTunnel))
        #expect(try await erp.project(erpTunnel) == Project(code: "P-200", title: "Tunnel", customer: erpOslo))
        #expect(try await pms.projectCodes() == ["P-100", "P-200"])
        #expect(try await erp.projectCodes() == ["P-100", "P-200"])

        let quiet = try await harness.sync()
        #expect(quiet.writes == 0)

        // Different properties edited on both sides: both survive.
        try await erp.renameCustomer(erpAker, to: "Aker Renamed AS")
        try await pms.setEmail(pmsAker, to: "new@aker.test")
        let edits = try await harness.sync()
        #expect(edits.flow("customers").conflicts == 0)
        #expect(try await erp.customer(erpAker) == Customer(name: "Aker Renamed AS", org: "911111111", email: "new@aker.test"))
        #expect(try await pms.customer(pmsAker) == Customer(name: "Aker Renamed AS", org: "911111111", email: "new@aker.test"))

        // The same property edited on both sides: one value wins everywhere, the other is in the conflict log.
        try await erp.renameCustomer(erpBergen, to: "Bergen ERP Name AS")
        try await Task.sleep(for: .milliseconds(30))
        try await pms.renameCustomer(pmsBergen, to: "Bergen PMS Name AS")
        let conflict = try await harness.sync()
        #expect(conflict.flow("customers").conflicts == 1)
        let logged = try await harness.store.conflicts(flow: "customers", unresolvedOnly: true, limit: 10)
        #expect(logged.count == 1)
        let winner = try #require(try await erp.customer(erpBergen)?.name)
        #expect(try await pms.customer(pmsBergen)?.name == winner)
        #expect(["Bergen ERP Name AS", "Bergen PMS Name AS"].contains(winner))
        #expect(logged.first?.losingValue == .text(winner == "Bergen ERP Name AS" ? "Bergen PMS Name AS" : "Bergen ERP Name AS"))

        // A project created later for a matched customer references the ERP's own customer id.
        let pmsBridge = try await pms.addProject(Project(code: "P-300", title: "Bridge", customer: pmsAker))
        try await harness.sync()
        let erpBridge = try #require(try await harness.counterpart(flow: "projects", side: .right, id: pmsBridge))
        #expect(try await erp.project(erpBridge) == Project(code: "P-300", title: "Bridge", customer: erpAker))

        // Deletes on either side archive the counterpart.
        let erpGone = try await erp.addCustomer(Customer(name: "Delete In ERP AS", org: "944444444"))
        let pmsGone = try await pms.addCustomer(Customer(name: "Delete In PMS AS", org: "955555555"))
        try await harness.sync()
        let pmsArchived = try #require(try await harness.counterpart(flow: "customers", side: .left, id: erpGone))
        let erpArchived = try #require(try await harness.counterpart(flow: "customers", side: .right, id: pmsGone))
        try await erp.deleteCustomer(erpGone)
        try await pms.deleteCustomer(pmsGone)
        let deletes = try await harness.sync()
        #expect(deletes.flow("customers").archived[.right] == 1)
        #expect(deletes.flow("customers").archived[.left] == 1)
        #expect(try await pms.customer(pmsArchived)?.active == false)
        #expect(try await erp.customer(erpArchived)?.active == false)

        // Everything settled: the next pass (and the one after, once our own writes were seen) writes nothing.
        try await harness.sync()
        let settled = try await harness.sync()
        #expect(settled.writes == 0)
        #expect(try await erp.projectCodes() == ["P-100", "P-200", "P-300"])
        #expect(try await pms.projectCodes() == ["P-100", "P-200", "P-300"])
    }
}

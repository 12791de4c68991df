import Foundation
import ParleyCore
import ParleyEngine
import ParleyReference
import ParleyTestSupport
import Testing

/// A record that exists again after Parley applied its delete — here an ERP row deleted and put back with the
/// same id (restored from a backup), seen by a full scan — is synced again rather than ignored for good.
@Suite("A record restored after its delete")
struct RestoredRecordTests {
    @Test("archive policy: the restored ERP customer is linked to its archived PMS customer again, which is un-archived and takes the edit")
    func restoredAfterArchive() async throws {
        try await Self.withERPAndPMS(deletes: "archive") { harness, erp, pms in
            let erpId = try await Self.addCustomer(erp, id: 1, name: "Restored AS")
            try await harness.sync()
            let pmsId = try #require(try await harness.counterpart(flow: "customers", side: .left, id: erpId))

            try await erp.execute("DELETE FROM customers WHERE id = 1", [])
            let deleted = try await harness.sync()
            #expect(deleted.flow("customers").archived[.right] == 1)
            #expect(try await pms.get("customers", pmsId)?["archived"] == true)

            // Put back from a backup under its old id, with a new name.
            _ = try await Self.addCustomer(erp, id: 1, name: "Restored Again AS")
            let restored = try await harness.sync()
            #expect(restored.flow("customers").created[.right] == nil)
            let link = try #require(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId])
            #expect(link.state == .linked)
            #expect(link.rightId == pmsId)
            let pmsCustomer = try #require(try await pms.get("customers", pmsId))
            #expect(pmsCustomer["archived"] == false)
            #expect(pmsCustomer["display_name"] == "Restored Again AS")
            #expect(try await pms.all("customers").count == 1)
            let audit = try await harness.store.audit(flow: "customers", side: .left, id: erpId, limit: 10)
            #expect(audit.contains { $0.action == .linked && $0.note?.contains("exists again after its delete") == true })

            // Settled: the next pass writes nothing (no loop between the restore and the archive marker).
            #expect(try await harness.sync().writes == 0)
        }
    }

    @Test("archive policy with a marker no property maps: the restored ERP customer's PMS customer is un-archived by the marker's restore value")
    func restoredAfterArchiveUnmapped() async throws {
        let unmapped = { (yaml: String) in
            yaml.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("{erp: isActive, pms: archived") }.joined(separator: "\n")
        }
        try await Self.withERPAndPMS(deletes: "archive", editing: unmapped) { harness, erp, pms in
            #expect(try #require(harness.flows.first { $0.name == "customers" }).properties.allSatisfy { $0.right != "archived" })
            let erpId = try await Self.addCustomer(erp, id: 1, name: "Restored AS")
            try await harness.sync()
            let pmsId = try #require(try await harness.counterpart(flow: "customers", side: .left, id: erpId))
            try await erp.execute("DELETE FROM customers WHERE id = 1", [])
            #expect(try await harness.sync().flow("customers").archived[.right] == 1)
            #expect(try await pms.get("customers", pmsId)?["archived"] == true)

            _ = try await Self.addCustomer(erp, id: 1, name: "Restored Again AS")
            let restored = try await harness.sync()
            #expect(restored.errors.isEmpty)
            #expect(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId]?.state == .linked)
            let pmsCustomer = try #require(try await pms.get("customers", pmsId))
            #expect(pmsCustomer["archived"] == false)
            #expect(pmsCustomer["display_name"] == "Restored Again AS")
            let audit = try await harness.store.audit(flow: "customers", side: .left, id: erpId, limit: 10)
            let relinked = try #require(audit.first { $0.action == .linked })
            #expect(relinked.note?.hasSuffix("; un-archived (archived set to false)") == true)
            #expect(relinked.changes == [PropertyWrite(property: "archived", before: .text("true"), after: .text("false"), reason: .restored)])
            #expect(try await harness.sync().writes == 0)
        }
    }

    @Test("propagate policy: the PMS customer was deleted too, so the restored ERP customer gets a new one")
    func restoredAfterPropagatedDelete() async throws {
        try await Self.withERPAndPMS(deletes: "propagate") { harness, erp, pms in
            let erpId = try await Self.addCustomer(erp, id: 1, name: "Restored AS")
            try await harness.sync()
            let pmsId = try #require(try await harness.counterpart(flow: "customers", side: .left, id: erpId))

            try await erp.execute("DELETE FROM customers WHERE id = 1", [])
            let deleted = try await harness.sync()
            #expect(deleted.flow("customers").deleted[.right] == 1)
            #expect(try await pms.get("customers", pmsId) == nil)

            _ = try await Self.addCustomer(erp, id: 1, name: "Restored Again AS")
            let restored = try await harness.sync()
            #expect(restored.flow("customers").created[.right] == 1)
            let link = try #require(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId])
            #expect(link.state == .linked)
            let newId = try #require(link.rightId)
            #expect(newId != pmsId)
            #expect(try await pms.get("customers", newId)?["display_name"] == "Restored Again AS")
            #expect(try await pms.all("customers").count == 1)
            #expect(try await harness.sync().writes == 0)
        }
    }

    @Test("a webhook for the restored record links it again at once, without waiting for a pass")
    func restoredThroughWebhook() async throws {
        try await Self.withERPAndPMS(deletes: "archive") { harness, erp, pms in
            let erpId = try await Self.addCustomer(erp, id: 1, name: "Restored AS")
            try await harness.sync()
            let pmsId = try #require(try await harness.counterpart(flow: "customers", side: .left, id: erpId))
            try await erp.execute("DELETE FROM customers WHERE id = 1", [])
            try await harness.sync()

            _ = try await Self.addCustomer(erp, id: 1, name: "Restored Again AS")
            let report = await harness.engine().syncRecords([ChangedRecord(system: "erp", datatype: "customer", id: erpId)])
            #expect(report.errors.isEmpty)
            #expect(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId]?.state == .linked)
            let pmsCustomer = try #require(try await pms.get("customers", pmsId))
            #expect(pmsCustomer["archived"] == false)
            #expect(pmsCustomer["display_name"] == "Restored Again AS")
        }
    }

    static func addCustomer(_ erp: TestSQLiteDatabase, id: Int64, name: String) async throws -> String {
        try await erp.execute(
            "INSERT INTO customers (id, customer_number, name, org_no, is_active) VALUES (?, 'C-RESTORE', ?, '912345678', 1)", [.int(id), .text(name)])
        return String(id)
    }

    /// An ERP in a SQLite file (customers full-scanned) and the reference PMS, with the customers flow's delete
    /// policy set to `deletes`.
    static func withERPAndPMS(
        deletes: String, editing edit: (String) -> String = { $0 }, _ body: (EngineHarness, TestSQLiteDatabase, SystemClient) async throws -> Void
    ) async throws {
        let folder = try EngineHarness.makeFolder()
        let database = try TestSQLiteDatabase(path: folder + "/erp.sqlite")
        try await database.execute(ERPTables.sqlite)
        let pms = try await SQLEndToEndTests.referencePMS(folder: folder)
        let client = SystemClient(baseURL: pms.baseURL)
        let systems = ERPTables.sqliteERPAndReferencePMS
        var harness: EngineHarness?
        do {
            let yaml = try #require(Self.replacingFirst("deletes: archive", with: "deletes: \(deletes)", in: DefaultFlows.configuration(systems: systems)))
            let started = try await EngineHarness.start(yaml: edit(yaml), folder: folder, environment: ["PMS_URL": pms.baseURL])
            harness = started
            try await body(started, database, client)
        } catch {
            await harness?.stop()
            await client.shutdown()
            await pms.stop()
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
        await harness?.stop()
        await client.shutdown()
        await pms.stop()
        try? FileManager.default.removeItem(atPath: folder)
    }

    static func replacingFirst(_ text: String, with replacement: String, in yaml: String) -> String? {
        guard let range = yaml.range(of: text) else { return nil }
        return yaml.replacingCharacters(in: range, with: replacement)
    }
}

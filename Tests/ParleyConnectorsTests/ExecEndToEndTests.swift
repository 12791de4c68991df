import Foundation
import Logging
import ParleyConnectors
import ParleyCore
import ParleyReference
import ParleyTestSupport
import Testing

@Suite("Exec connector end to end")
struct ExecEndToEndTests {
    @Test("Custom ERP <-> the example JSON-file connector (Examples/exec) with the default flows")
    func exampleConnector() async throws {
        let folder = try EngineHarness.makeFolder()
        var logger = Logger(label: "test.erp")
        logger.logLevel = .critical
        let erp = try await RunningReference.start(ReferenceOptions(kind: .erp, dbPath: folder + "/erp.sqlite"), logger: logger)
        let systems = """
            systems:
              erp:
                title: Custom ERP
                connector: contract
                url: ${ERP_URL}
              pms:
                title: JSON-file PMS
                connector: exec
                command: python3
                args: ["\(ExecPMSSide.example)", --schema, "\(ExecPMSSide.schema)", --data, records.json]
                timeout: 20s
            """
        let erpClient = SystemClient(baseURL: erp.baseURL)
        let user = ExecConnector(system: "pms-user", settings: ExecPMSSide.settings(data: folder + "/records.json", folder: folder))
        var harness: EngineHarness?
        do {
            let started = try await EngineHarness.start(
                yaml: DefaultFlows.configuration(systems: systems), folder: folder, environment: ["ERP_URL": erp.baseURL])
            harness = started
            try await Scenario(harness: started, erp: ReferenceERPSide(client: erpClient), pms: ExecPMSSide(client: user)).run()
            // The ERP customer created from the PMS got its customer number, and it was written back.
            let records = try JSONValue.parse(String(contentsOfFile: folder + "/records.json", encoding: .utf8))
            let customers = records["records"]?["customer"]?.objectValue?.values.compactMap { $0["fields"] } ?? []
            let oslo = customers.first { $0["display_name"] == "Christiania Only AS" }
            #expect(oslo?["erp_number"]?.stringValue?.hasPrefix("PMS-") == true)
        } catch {
            await harness?.stop()
            await user.shutdown()
            await erpClient.shutdown()
            await erp.stop()
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
        await harness?.stop()
        await user.shutdown()
        await erpClient.shutdown()
        await erp.stop()
        try? FileManager.default.removeItem(atPath: folder)
    }
}

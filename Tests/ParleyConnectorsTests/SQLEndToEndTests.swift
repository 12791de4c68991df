import Foundation
import Logging
import ParleyCore
import ParleyReference
import ParleyTestSupport
import Testing

@Suite("SQL connector end to end")
struct SQLEndToEndTests {
    static func referencePMS(folder: String) async throws -> RunningReference {
        var logger = Logger(label: "test.pms")
        logger.logLevel = .critical
        return try await RunningReference.start(ReferenceOptions(kind: .pms, dbPath: folder + "/pms.sqlite"), logger: logger)
    }

    @Test("ERP in PostgreSQL <-> Custom PMS: the default flows behave as with the contract connector")
    func postgresERP() async throws {
        let folder = try EngineHarness.makeFolder()
        let database = try await TestPostgresDatabase.create()
        try await database.execute(ERPTables.postgres)
        let pms = try await Self.referencePMS(folder: folder)
        let parts = database.parts
        let systems = """
            systems:
              erp:
                title: ERP database
                connector: sql
                driver: postgres
                url: postgres://\(parts.user)@\(parts.host):\(parts.port)/\(parts.database)
                password: ${ERP_DB_PASSWORD:-}
                tls: disable
                overlap: 1s
            \(ERPTables.datatypes(customerMarker: true, softDelete: true))
              pms:
                connector: contract
                url: ${PMS_URL}
            """
        let client = SystemClient(baseURL: pms.baseURL)
        var harness: EngineHarness?
        do {
            let started = try await EngineHarness.start(
                yaml: DefaultFlows.configuration(systems: systems), folder: folder,
                environment: ["PMS_URL": pms.baseURL, "ERP_DB_PASSWORD": parts.password ?? ""])
            harness = started
            let erp = SQLERPSide(label: "ERP database", database: database, customerClock: "clock_timestamp()", projectClock: "clock_timestamp()", softDeletes: true)
            try await Scenario(harness: started, erp: erp, pms: ReferencePMSSide(client: client)).run()
        } catch {
            await cleanUp(harness, client, pms, database, folder)
            throw error
        }
        await cleanUp(harness, client, pms, database, folder)
    }

    @Test("ERP in a SQLite file (customers full-scanned, projects by change marker) <-> Custom PMS")
    func sqliteERP() async throws {
        let folder = try EngineHarness.makeFolder()
        let database = try TestSQLiteDatabase(path: folder + "/erp.sqlite")
        try await database.execute(ERPTables.sqlite)
        let pms = try await Self.referencePMS(folder: folder)
        let systems = ERPTables.sqliteERPAndReferencePMS
        let client = SystemClient(baseURL: pms.baseURL)
        var harness: EngineHarness?
        do {
            let started = try await EngineHarness.start(
                yaml: DefaultFlows.configuration(systems: systems), folder: folder, environment: ["PMS_URL": pms.baseURL])
            harness = started
            let erp = SQLERPSide(label: "ERP file", database: database, customerClock: nil, projectClock: ERPTables.sqliteClock, softDeletes: false)
            try await Scenario(harness: started, erp: erp, pms: ReferencePMSSide(client: client)).run()
        } catch {
            await cleanUp(harness, client, pms, database, folder)
            throw error
        }
        await cleanUp(harness, client, pms, database, folder)
    }

    func cleanUp(_ harness: EngineHarness?, _ client: SystemClient, _ pms: RunningReference, _ database: any TestSQL, _ folder: String) async {
        await harness?.stop()
        await client.shutdown()
        await pms.stop()
        await database.close()
        try? FileManager.default.removeItem(atPath: folder)
    }
}

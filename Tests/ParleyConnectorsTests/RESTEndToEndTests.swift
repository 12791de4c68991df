import Foundation
import Logging
import ParleyCore
import ParleyReference
import ParleyTestSupport
import Testing

/// A running REST test system, a Custom ERP or an ERP database, and the harness between them.
struct RESTFixture {
    let folder: String
    let server: RESTTestServer
    let store: RESTTestStore
    let erp: RunningReference?
    let erpClient: SystemClient?
    let harness: EngineHarness

    static func start(sqliteERP: Bool = false, auth: String? = nil, key: String = RESTTestServer.apiKey) async throws -> RESTFixture {
        let folder = try EngineHarness.makeFolder()
        let server = RESTTestServer()
        try await server.start()
        var erp: RunningReference?
        var environment = ["REST_URL": await server.baseURL, "REST_KEY": key]
        let erpSystem: String
        if sqliteERP {
            let database = try TestSQLiteDatabase(path: folder + "/erp.sqlite")
            try await database.execute(ERPTables.sqlite)
            erpSystem = "  erp:\n    connector: sql\n    driver: sqlite\n    path: erp.sqlite\n" + ERPTables.datatypes(customerMarker: false, softDelete: false)
        } else {
            var logger = Logger(label: "test.erp")
            logger.logLevel = .critical
            let started = try await RunningReference.start(ReferenceOptions(kind: .erp, dbPath: folder + "/erp-ref.sqlite"), logger: logger)
            erp = started
            environment["ERP_URL"] = started.baseURL
            erpSystem = RESTSystem.referenceERP
        }
        do {
            let harness = try await EngineHarness.start(
                yaml: RESTSystem.configuration(erp: erpSystem, auth: auth), folder: folder, environment: environment)
            return RESTFixture(
                folder: folder, server: server, store: server.store, erp: erp, erpClient: erp.map { SystemClient(baseURL: $0.baseURL) },
                harness: harness)
        } catch {
            await server.stop()
            await erp?.stop()
            throw error
        }
    }

    var erpSide: any ScenarioSide {
        if let erpClient { return ReferenceERPSide(client: erpClient) }
        return SQLERPSide(
            label: "ERP file", database: (try? TestSQLiteDatabase(path: folder + "/erp.sqlite")) ?? NoDatabase(), customerClock: nil,
            projectClock: ERPTables.sqliteClock, softDeletes: false)
    }

    func stop() async {
        await harness.stop()
        await erpClient?.shutdown()
        await erp?.stop()
        await server.stop()
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// Stands in when a database cannot be opened (the test then fails on its first query).
struct NoDatabase: TestSQL {
    func execute(_ sql: String, _ values: [TestSQLValue]) async throws { throw HarnessFailureError("no database") }
    func rows(_ sql: String, _ values: [TestSQLValue]) async throws -> [[String?]] { throw HarnessFailureError("no database") }
    func close() async {}
}

@Suite("REST connector end to end")
struct RESTEndToEndTests {
    @Test("Custom ERP <-> a REST API of another style (wrapped bodies, offset pages, full scan, PUT only, sub-projects, API key)")
    func referenceERP() async throws {
        let fixture = try await RESTFixture.start()
        do {
            try await Scenario(harness: fixture.harness, erp: fixture.erpSide, pms: RESTPMSSide(store: fixture.store)).run()
            // Projects created through the API got their computed slug and fixed kind.
            let created = await fixture.store.projects.values.first { $0["key"] == "P-100" }
            #expect(created?["slug"] == "harbour-100")
            #expect(created?["kind"] == "project")
            #expect(await fixture.store.requestCount(matching: "PATCH") == 0)
        } catch {
            await fixture.stop()
            throw error
        }
        await fixture.stop()
    }

    @Test("ERP in a SQLite file <-> the REST API: both sides without change markers")
    func sqliteERP() async throws {
        let fixture = try await RESTFixture.start(sqliteERP: true)
        do {
            try await Scenario(harness: fixture.harness, erp: fixture.erpSide, pms: RESTPMSSide(store: fixture.store)).run()
        } catch {
            await fixture.stop()
            throw error
        }
        await fixture.stop()
    }

    @Test("full scan: a pass reads only records that changed, notices deletes, and never reads sub-projects")
    func fullScanReadsOnlyChanges() async throws {
        let fixture = try await RESTFixture.start()
        do {
            let store = fixture.store
            let aker = try await store.createClient(["name": "Aker AS", "org_number": "911111111"]).get()["id"]?.idText ?? ""
            let bergen = try await store.createClient(["name": "Bergen AS", "org_number": "922222222"]).get()["id"]?.idText ?? ""
            let oslo = try await store.createClient(["name": "Oslo AS", "org_number": "933333333"]).get()["id"]?.idText ?? ""
            _ = try await store.createClient(["name": "Drammen AS", "org_number": "944444444"]).get()
            _ = try await store.createClient(["name": "Eidsvoll AS", "org_number": "955555555"]).get()
            let harbour = try await store.createProject([
                "key": "P-1", "name": "Harbour", "client_id": .number(aker), "slug": "harbour-1", "kind": "project",
            ]).get()["id"]?.stringValue ?? ""
            let sub = await store.insertSubProject(key: "P-1a", name: "Harbour, phase A", parent: harbour, client: Int(aker) ?? 0)

            let first = try await fixture.harness.sync()
            #expect(first.flow("customers").read[.right] == 5)
            #expect(first.flow("customers").created[.left] == 5)
            #expect(first.flow("projects").read[.right] == 1)
            #expect(first.flow("projects").created[.left] == 1)

            let second = try await fixture.harness.sync()
            #expect(second.flow("customers").read[.right] == nil)
            #expect(second.flow("projects").read[.right] == nil)
            #expect(second.writes == 0)

            await store.edit(client: Int(aker) ?? 0) { $0["name"] = "Aker Renamed AS" }
            await store.edit(client: Int(bergen) ?? 0) { $0["email"] = "post@bergen.test" }
            await store.edit(project: sub) { $0["name"] = "Sub-projects are not synced" }
            let edits = try await fixture.harness.sync()
            #expect(edits.flow("customers").read[.right] == 2)
            #expect(edits.flow("customers").updated[.left] == 2)
            #expect(edits.flow("projects").read[.right] == nil)

            _ = await store.deleteClient(Int(oslo) ?? 0)
            let deletes = try await fixture.harness.sync()
            #expect(deletes.flow("customers").read[.right] == 1)
            #expect(deletes.flow("customers").archived[.left] == 1)
            let erpOslo = try #require(try await fixture.harness.counterpart(flow: "customers", side: .right, id: oslo))
            #expect(try await fixture.erpSide.customer(erpOslo)?.active == false)

            let quiet = try await fixture.harness.sync()
            #expect(quiet.flow("customers").read[.right] == nil)
            #expect(quiet.writes == 0)
            #expect(try await fixture.erpSide.projectCodes() == ["P-1"])
        } catch {
            await fixture.stop()
            throw error
        }
        await fixture.stop()
    }

    @Test("429 with Retry-After and 503 are retried; the pass still completes")
    func transientErrors() async throws {
        let fixture = try await RESTFixture.start()
        do {
            _ = try await fixture.store.createClient(["name": "Aker AS", "org_number": "911111111"]).get()
            await fixture.store.failNext(status: 429, retryAfter: "0")
            await fixture.store.failNext(status: 503)
            let report = try await fixture.harness.sync()
            #expect(report.flow("customers").created[.left] == 1)
            let lists = await fixture.store.requests.filter { $0.hasPrefix("GET /api/v2/clients?") }
            #expect(lists == Array(repeating: "GET /api/v2/clients?offset=0&limit=10", count: 3))
        } catch {
            await fixture.stop()
            throw error
        }
        await fixture.stop()
    }

    @Test("a wrong API key stops the flow with a message that names the system, never the key", arguments: ["header", "query"])
    func wrongKey(placement: String) async throws {
        let wrong = "not-the-key-\(UUID().uuidString)"
        let auth = "{apiKey: {\(placement): \(placement == "header" ? "X-Api-Key" : "api_key"), value: \"${REST_KEY}\"}}"
        let fixture = try await RESTFixture.start(auth: auth, key: wrong)
        do {
            let report = await fixture.harness.engine().syncPass()
            #expect(report.errors.count == 2)
            let first = try #require(report.errors.first)
            #expect(first.hasPrefix("flow 'customers': pms: "))
            #expect(first.contains("HTTP 401 invalid API key (check the system's credentials)"))
            #expect(!report.errors.joined().contains(wrong))
        } catch {
            await fixture.stop()
            throw error
        }
        await fixture.stop()
    }
}

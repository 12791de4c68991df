import Foundation
import Logging
import ParleyConfig
import ParleyConnectors
import ParleyCore
import Synchronization

/// A clock the test sets by hand.
final class ManualClock: Sendable {
    private let millis: Mutex<Int64>
    init(_ millis: Int64) { self.millis = Mutex(millis) }
    func set(_ value: Int64) { millis.withLock { $0 = value } }
    var now: Int64 { millis.withLock { $0 } }
}

/// A test database of either kind with the ERP tables, and a `connector: sql` for it built from YAML.
struct SQLFixture: Sendable {
    enum Driver: String, Sendable, CaseIterable, CustomStringConvertible {
        case postgres, sqlite
        var description: String { rawValue }
    }

    let driver: Driver
    let folder: String
    let database: any TestSQL
    let connector: SQLConnector
    let config: ParleyConfiguration

    /// `datatypes`: the `datatypes:` section (4-space indented); `extra`: more system keys (4-space indented).
    /// `clock`: the connector's "now" (when it sets change markers and judges the overlap window).
    static func make(
        _ driver: Driver, schema: String? = nil, datatypes: String? = nil, extra: String = "", clock: ManualClock? = nil
    ) async throws -> SQLFixture {
        let folder = try EngineHarness.makeFolder()
        let database: any TestSQL
        var connection: String
        var environment: [String: String] = [:]
        switch driver {
        case .postgres:
            let postgres = try await TestPostgresDatabase.create()
            let parts = postgres.parts
            database = postgres
            environment["DB_PASSWORD"] = parts.password ?? ""
            connection = """
                    driver: postgres
                    url: postgres://\(parts.user)@\(parts.host):\(parts.port)/\(parts.database)
                    password: ${DB_PASSWORD}
                    tls: disable
                """
            try await database.execute(schema ?? ERPTables.postgres)
        case .sqlite:
            database = try TestSQLiteDatabase(path: folder + "/erp.sqlite")
            connection = """
                    driver: sqlite
                    path: erp.sqlite
                """
            try await database.execute(schema ?? ERPTables.sqlite)
        }
        let yaml = """
            systems:
              erp:
                connector: sql
            \(connection)
            \(extra)
            \(datatypes ?? ERPTables.datatypes(customerMarker: driver == .postgres, softDelete: driver == .postgres))
            flows:
              - name: customers
                left: erp.customer
                right: erp.project
                properties:
                  - {left: name, right: name}
            """
        let path = folder + "/parley.yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try ConfigLoader.load(path: path, environment: environment)
        guard let system = config.system(named: "erp") else { throw HarnessFailureError("no system erp") }
        var logger = Logger(label: "test.sql")
        logger.logLevel = .critical
        guard case .sql(let settings) = system.connector else { throw HarnessFailureError("not a SQL system") }
        let connector: SQLConnector
        if let clock {
            connector = try SQLConnector(system: "erp", settings: settings, scanStatePath: folder + "/scan.sqlite", logger: logger, now: { clock.now })
        } else {
            guard let made = try ConnectorFactory.make(system, scanStatePath: folder + "/scan.sqlite", logger: logger) as? SQLConnector else {
                throw HarnessFailureError("not a SQL connector")
            }
            connector = made
        }
        return SQLFixture(driver: driver, folder: folder, database: database, connector: connector, config: config)
    }

    func close() async {
        await connector.shutdown()
        await database.close()
        try? FileManager.default.removeItem(atPath: folder)
    }
}

struct HarnessFailureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

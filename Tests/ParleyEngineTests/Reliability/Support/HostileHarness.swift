import Foundation
import Logging
import ParleyConfig
import ParleyConnectors
import ParleyCore
import ParleyEngine
import ParleyReference
import ParleyStore
import ParleyTestSupport

/// A real Custom ERP (left) and the hostile system standing in for the Custom PMS (right), synced by the
/// default configuration's customers flow, with a fresh SQLite state of its own.
final class HostileHarness: Sendable {
    let erp: RunningReference
    let erpClient: SystemClient
    let hostile: HostileServer
    let folder: String
    let store: SQLiteStore
    let flows: [FlowDefinition]
    let connectors: [String: ContractConnector]

    /// The default configuration up to (not including) the projects flow.
    static var customersOnlyYAML: String {
        let yaml = DefaultConfig.yaml
        guard let projects = yaml.range(of: "  - name: projects") else { return yaml }
        return String(yaml[..<projects.lowerBound])
    }

    private init(
        erp: RunningReference, hostile: HostileServer, folder: String, store: SQLiteStore, flows: [FlowDefinition],
        connectors: [String: ContractConnector]
    ) {
        self.erp = erp
        self.erpClient = SystemClient(baseURL: erp.baseURL)
        self.hostile = hostile
        self.folder = folder
        self.store = store
        self.flows = flows
        self.connectors = connectors
    }

    var state: HostileState { hostile.state }

    /// `timeoutMillis` is the hostile system's request timeout.
    static func start(erpSeed: Int = 0, timeoutMillis: Int = 1_000) async throws -> HostileHarness {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-hostile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let erp = try await RunningReference.start(ReferenceOptions(kind: .erp, dbPath: folder + "/erp.sqlite", seed: erpSeed), logger: logger)
        let hostile = try await HostileServer.start()
        let environment = ["PARLEY_ERP_URL": erp.baseURL, "PARLEY_PMS_URL": hostile.baseURL, "PARLEY_STATE": folder + "/state.sqlite"]
        let config = try ConfigLoader.load(yaml: customersOnlyYAML, configPath: folder + "/parley.yaml", environment: environment)
        let connectors = [
            "erp": ContractConnector(system: "erp", baseURL: erp.baseURL, token: nil, timeoutMillis: 5_000),
            "pms": ContractConnector(system: "pms", baseURL: hostile.baseURL, token: nil, timeoutMillis: timeoutMillis),
        ]
        var schemas: [String: SystemSchema] = [:]
        for (name, connector) in connectors { schemas[name] = try await connector.schema() }
        let flows = try resolveFlows(config, schemas: schemas).get()
        return HostileHarness(
            erp: erp, hostile: hostile, folder: folder, store: try SQLiteStore(path: config.state), flows: flows, connectors: connectors)
    }

    func engine(connectors override: [String: any Connector] = [:], _ configure: (inout EngineOptions) -> Void = { _ in }) -> SyncEngine {
        var options = EngineOptions()
        options.retryBaseDelayMillis = 20
        options.retryMaxDelayMillis = 200
        configure(&options)
        var all: [String: any Connector] = connectors
        for (name, connector) in override { all[name] = connector }
        var logger = Logger(label: "parley.engine")
        logger.logLevel = .critical
        return SyncEngine(flows: flows, connectors: all, store: store, options: options, logger: logger)
    }

    /// Customers on the ERP side, by id.
    func erpCustomers() async throws -> [String: JSONValue] {
        Dictionary(try await erpClient.all("customers").compactMap { r in SystemClient.id(r).map { ($0, r) } }, uniquingKeysWith: { a, _ in a })
    }

    /// The ERP customer linked to a hostile-side id.
    func linkedERPCustomer(of pmsId: String) async throws -> JSONValue? {
        guard let link = try await store.links(flow: "customers", side: .right, ids: [pmsId])[pmsId], link.state == .linked,
            let erpId = link.leftId
        else { return nil }
        return try await erpClient.get("customers", erpId)
    }

    func stop() async {
        for connector in connectors.values { await connector.shutdown() }
        await erpClient.shutdown()
        await erp.stop()
        await hostile.stop()
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// Hostile-side customer records.
enum HostileRecords {
    static func customer(_ id: String, name: String, orgNo: String? = nil) -> JSONValue {
        [
            "id": .string(id), "display_name": .string(name), "org_no": orgNo.map(JSONValue.string) ?? .null, "erp_number": nil,
            "contact_email": nil, "contact_phone": nil, "homepage": nil, "street_address": nil, "postal_code": nil, "city": "Oslo",
            "country": "NOR", "archived": false,
        ]
    }

    static func with(_ record: JSONValue, _ key: String, _ value: JSONValue) -> JSONValue {
        var copy = record
        copy.setValue(value, at: key)
        return copy
    }
}

import Foundation
import Logging
import ParleyConfig
import ParleyConnectors
import ParleyCore
import ParleyEngine
import ParleyReference
import ParleyStore

/// A Custom ERP and a Custom PMS on free ports, a fresh state file, and the default configuration.
public final class SyncHarness: Sendable {
    public let erp: RunningReference
    public let pms: RunningReference
    public let erpClient: SystemClient
    public let pmsClient: SystemClient
    public let folder: String
    public let statePath: String
    public let configPath: String
    public let flows: [FlowDefinition]
    public let connectors: [String: ContractConnector]
    public let store: SQLiteStore

    public static func start(
        erpSeed: Int = 0, pmsSeed: Int = 0, pmsSeedOffset: Int = 0, erpFaults: FaultSettings = .none, pmsFaults: FaultSettings = .none,
        configYAML: String = DefaultConfig.yaml
    ) async throws -> SyncHarness {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let erp = try await RunningReference.start(ReferenceOptions(kind: .erp, dbPath: folder + "/erp.sqlite", seed: erpSeed, faults: erpFaults), logger: logger)
        let pms = try await RunningReference.start(
            ReferenceOptions(kind: .pms, dbPath: folder + "/pms.sqlite", seed: pmsSeed, seedOffset: pmsSeedOffset, faults: pmsFaults), logger: logger)
        let configPath = folder + "/parley.yaml"
        try configYAML.write(toFile: configPath, atomically: true, encoding: .utf8)
        let environment = ["PARLEY_ERP_URL": erp.baseURL, "PARLEY_PMS_URL": pms.baseURL, "PARLEY_STATE": folder + "/state.sqlite"]
        let config = try ConfigLoader.load(path: configPath, environment: environment)
        var connectors: [String: ContractConnector] = [:]
        for system in config.systems {
            if case .contract(let settings) = system.connector {
                connectors[system.name] = ContractConnector(system: system.name, baseURL: settings.url, token: nil, timeoutMillis: 5_000, concurrency: 8)
            }
        }
        var schemas: [String: SystemSchema] = [:]
        for (name, connector) in connectors { schemas[name] = try await connector.schema() }
        let flows = try resolveFlows(config, schemas: schemas).get()
        return SyncHarness(
            erp: erp, pms: pms, folder: folder, statePath: config.state, configPath: configPath, flows: flows, connectors: connectors,
            store: try SQLiteStore(path: config.state))
    }

    init(
        erp: RunningReference, pms: RunningReference, folder: String, statePath: String, configPath: String, flows: [FlowDefinition],
        connectors: [String: ContractConnector], store: SQLiteStore
    ) {
        self.erp = erp
        self.pms = pms
        self.erpClient = SystemClient(baseURL: erp.baseURL)
        self.pmsClient = SystemClient(baseURL: pms.baseURL)
        self.folder = folder
        self.statePath = statePath
        self.configPath = configPath
        self.flows = flows
        self.connectors = connectors
        self.store = store
    }

    public func engine(
        store: (any LinkStore)? = nil, coordinator: (any WorkCoordinator)? = nil, _ configure: (inout EngineOptions) -> Void = { _ in }
    ) -> SyncEngine {
        var options = EngineOptions()
        options.retryBaseDelayMillis = 20
        options.retryMaxDelayMillis = 200
        configure(&options)
        return SyncEngine(flows: flows, connectors: connectors, store: store ?? self.store, options: options, coordinator: coordinator)
    }

    /// Runs a pass and fails on flow errors.
    @discardableResult
    public func sync(_ configure: (inout EngineOptions) -> Void = { _ in }) async throws -> PassReport {
        let report = await engine(configure).syncPass()
        if !report.errors.isEmpty { throw HarnessFailure(message: report.errors.joined(separator: "; ")) }
        return report
    }

    public func flow(_ name: String) -> FlowDefinition? { flows.first { $0.name == name } }

    /// Creates `count` ERP customers numbered `<number>0`, `<number>1`, … named `<name> 0 AS`, …; their ids in order.
    public func createERPCustomers(_ count: Int, number: String, name: String) async throws -> [String] {
        var ids: [String] = []
        for index in 0..<count {
            let created = try await erpClient.create("customers", ["customerNumber": .string("\(number)\(index)"), "name": .string("\(name) \(index) AS")])
            guard let id = SystemClient.id(created) else { throw HarnessFailure(message: "the ERP answered a create without an id: \(created)") }
            ids.append(id)
        }
        return ids
    }

    public func stop() async {
        for connector in connectors.values { await connector.shutdown() }
        await erpClient.shutdown()
        await pmsClient.shutdown()
        await erp.stop()
        await pms.stop()
        try? FileManager.default.removeItem(atPath: folder)
    }
}

public struct HarnessFailure: Error, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

extension PassReport {
    public func flow(_ name: String) -> FlowReport { flows.first { $0.flow == name } ?? FlowReport(flow: name) }
}

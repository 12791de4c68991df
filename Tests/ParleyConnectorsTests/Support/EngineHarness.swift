import Foundation
import Logging
import ParleyConfig
import ParleyConnectors
import ParleyCore
import ParleyEngine
import ParleyStore
import ParleyTestSupport

/// Loads a YAML configuration the way `parley` does (ConfigLoader, ConnectorFactory, each system's schema,
/// resolveFlows) and runs engine passes against a fresh SQLite state.
final class EngineHarness: Sendable {
    let folder: String
    let config: ParleyConfiguration
    let connectors: [String: any ManagedConnector]
    let flows: [FlowDefinition]
    let store: SQLiteStore

    static func start(yaml: String, folder: String, environment: [String: String] = [:]) async throws -> EngineHarness {
        let path = folder + "/parley.yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try ConfigLoader.load(path: path, environment: environment)
        var logger = Logger(label: "test.connectors")
        logger.logLevel = .critical
        let connectors = try await ConnectorFactory.make(config, logger: logger)
        do {
            var schemas: [String: SystemSchema] = [:]
            for (name, connector) in connectors { schemas[name] = try await connector.schema() }
            let flows = try resolveFlows(config, schemas: schemas).get()
            return EngineHarness(folder: folder, config: config, connectors: connectors, flows: flows, store: try SQLiteStore(path: config.state))
        } catch {
            for connector in connectors.values { await connector.shutdown() }
            throw error
        }
    }

    init(folder: String, config: ParleyConfiguration, connectors: [String: any ManagedConnector], flows: [FlowDefinition], store: SQLiteStore) {
        self.folder = folder
        self.config = config
        self.connectors = connectors
        self.flows = flows
        self.store = store
    }

    func engine() -> SyncEngine {
        var options = EngineOptions()
        options.retryBaseDelayMillis = 20
        options.retryMaxDelayMillis = 200
        options.maxAttempts = 3
        var logger = Logger(label: "test.engine")
        logger.logLevel = .critical
        return SyncEngine(flows: flows, connectors: connectors.mapValues { $0 as any Connector }, store: store, options: options, logger: logger)
    }

    /// One pass; flow errors fail the test.
    @discardableResult
    func sync() async throws -> PassReport {
        let report = await engine().syncPass()
        if !report.errors.isEmpty { throw HarnessFailure(message: report.errors.joined(separator: "; ")) }
        let quarantined = report.flows.filter { $0.quarantined > 0 }
        if !quarantined.isEmpty {
            var reasons: [String] = []
            for flow in quarantined.map(\.flow) {
                reasons += try await store.quarantined(flow: flow, limit: 5).map { "\($0.flow) \($0.side) \($0.id): \($0.reason)" }
            }
            throw HarnessFailure(message: "quarantined: " + reasons.joined(separator: "; "))
        }
        return report
    }

    /// The id linked on the other side.
    func counterpart(flow: String, side: Side, id: String) async throws -> String? {
        let link = try await store.links(flow: flow, side: side, ids: [id])[id]
        return link?.id(on: side.other)
    }

    func stop() async {
        for connector in connectors.values { await connector.shutdown() }
    }

    static func makeFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-connectors-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }
}

/// The flows of the default configuration (Custom ERP <-> Custom PMS) after the given `systems:` section.
enum DefaultFlows {
    static func configuration(systems: String, state: String = "state.sqlite") -> String {
        guard let range = DefaultConfig.yaml.range(of: "\nflows:") else { return "" }
        return "state: \(state)\n\n" + systems + "\n" + DefaultConfig.yaml[range.lowerBound...]
    }
}

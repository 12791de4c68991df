import Foundation
import Logging
import ParleyConfig
import ParleyConnectors
import ParleyCore
import ParleyEngine
import ParleyStore

/// The composition root: configuration, connectors, schemas, flows and store, wired for one command.
struct Runtime: Sendable {
    let config: ParleyConfiguration
    let flows: [FlowDefinition]
    let connectors: [String: any Connector]
    let schemas: [String: SystemSchema]
    let store: any LinkStore
    /// Set for PostgreSQL state: this process is one of possibly several workers sharing it.
    let coordinator: (any WorkCoordinator)?
    let logger: Logger

    enum Failure: Error, CustomStringConvertible {
        case schemaUnavailable(system: String, kind: String, location: String, reason: String)
        case dryRunNeedsSQLite

        var description: String {
            switch self {
            case .schemaUnavailable(let system, let kind, let location, let reason):
                kind == "exec"
                    ? "cannot read the schema of system '\(system)' from its program (\(location)): \(reason)"
                    : "cannot read the schema of system '\(system)' at \(location)\(kind == "contract" ? "/schema" : ""): \(reason). Is the system running and is its URL right?"
            case .dryRunNeedsSQLite: "--dry-run plans on a scratch copy of the state, which is supported for SQLite state files only"
            }
        }
    }

    static func load(configPath: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ParleyConfiguration {
        try ConfigLoader.load(path: configPath, environment: environment)
    }

    /// One connector per system, whatever its kind (contract, rest, sql, exec).
    static func makeConnectors(_ config: ParleyConfiguration) async throws -> [String: any Connector] {
        try await ConnectorFactory.make(config).mapValues { $0 as any Connector }
    }

    /// Each system's schema: from its `/schema` (contract), its program (exec), or the configuration (rest, sql).
    static func fetchSchemas(_ config: ParleyConfiguration, connectors: [String: any Connector]) async throws -> [String: SystemSchema] {
        var schemas: [String: SystemSchema] = [:]
        for system in config.systems {
            guard let connector = connectors[system.name] else { continue }
            do {
                schemas[system.name] = try await connector.schema()
            } catch {
                throw Failure.schemaUnavailable(system: system.name, kind: system.connector.kind, location: ConnectorFactory.describe(system), reason: "\(error)")
            }
        }
        return schemas
    }

    static func shutdown(_ connectors: [String: any Connector]) async {
        for connector in connectors.values { await connector.shutdownIfManaged() }
    }

    /// Loads everything; on failure shuts down what was started.
    static func open(
        configPath: String, logger: Logger, scratchStore: Bool = false,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> Runtime {
        let config = try load(configPath: configPath, environment: environment)
        let connectors = try await makeConnectors(config)
        do {
            let schemas = try await fetchSchemas(config, connectors: connectors)
            let flows = try resolveFlows(config, schemas: schemas).get()
            let store = try await openStore(config.state, scratch: scratchStore, environment: environment)
            let workerId = environment["PARLEY_WORKER_ID"].flatMap { $0.isEmpty ? nil : $0 }
            let coordinator = (store as? PostgresStore).map { PostgresWorkCoordinator(store: $0, workerId: workerId) }
            return Runtime(
                config: config, flows: flows, connectors: connectors, schemas: schemas, store: store, coordinator: coordinator, logger: logger)
        } catch {
            await shutdown(connectors)
            throw error
        }
    }

    /// SQLite for a file path, PostgreSQL for a `postgres://` URL (password from the URL or PARLEY_STATE_PASSWORD).
    static func openStore(_ state: String, scratch: Bool, environment: [String: String]) async throws -> any LinkStore {
        if state.hasPrefix("postgres://") || state.hasPrefix("postgresql://") {
            if scratch { throw Failure.dryRunNeedsSQLite }
            return try await PostgresStore(url: state, environment: environment)
        }
        let store = try SQLiteStore(path: state)
        guard scratch else { return store }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("parley-dry-run-\(UUID().uuidString).sqlite").path
        return try store.copy(to: copy)
    }

    func engine(_ options: EngineOptions) -> SyncEngine {
        var options = options
        options.maxDeleteShare = config.breaker.maxDeleteShare
        options.breakerMinRecords = config.breaker.minRecords
        options.breakerWindowMillis = Int64(config.breaker.windowMillis)
        return SyncEngine(flows: flows, connectors: connectors, store: store, options: options, coordinator: coordinator, logger: logger)
    }

    func shutdown() async {
        await Self.shutdown(connectors)
    }
}

import Foundation
import Logging
import ParleyConfig
import ParleyCore

/// Builds the connector of each configured system, whatever its kind.
public enum ConnectorFactory {
    /// One connector per system, by system name. On failure, connectors already built are shut down.
    public static func make(_ config: ParleyConfiguration, logger: Logger = Logger(label: "parley.connectors")) async throws -> [String: any ManagedConnector] {
        var connectors: [String: any ManagedConnector] = [:]
        for system in config.systems {
            do {
                connectors[system.name] = try make(system, scanStatePath: scanStatePath(system: system.name, config: config), logger: logger)
            } catch {
                for connector in connectors.values { await connector.shutdown() }
                throw error
            }
        }
        return connectors
    }

    /// The connector for one system. `scanStatePath`: where full-scan hashes are kept (REST and SQL datatypes
    /// without change markers).
    public static func make(_ system: SystemConfig, scanStatePath: String, logger: Logger = Logger(label: "parley.connectors")) throws -> any ManagedConnector {
        switch system.connector {
        case .contract(let settings):
            return ContractConnector(
                system: system.name, baseURL: settings.url, token: settings.token?.reveal(), timeoutMillis: settings.timeoutMillis,
                concurrency: settings.concurrency, insecureSkipTLSVerify: settings.insecureSkipTLSVerify)
        case .rest(let settings):
            return RESTConnector(system: system.name, title: system.title, settings: settings, scanStatePath: scanStatePath)
        case .sql(let settings):
            return try SQLConnector(system: system.name, title: system.title, settings: settings, scanStatePath: scanStatePath, logger: logger)
        case .exec(let settings):
            return ExecConnector(system: system.name, settings: settings, logger: logger)
        }
    }

    /// Next to a SQLite state file (`parley-state.sqlite` -> `parley-state.erp-scan.sqlite`); with a
    /// PostgreSQL state, in the configuration's folder (`parley-erp-scan.sqlite`).
    public static func scanStatePath(system: String, config: ParleyConfiguration) -> String {
        if config.state.contains("://") {
            return URL(fileURLWithPath: config.configDirectory).appendingPathComponent("parley-\(system)-scan.sqlite").path
        }
        let state = URL(fileURLWithPath: config.state)
        let stem = state.pathExtension.isEmpty ? state.lastPathComponent : state.deletingPathExtension().lastPathComponent
        return state.deletingLastPathComponent().appendingPathComponent("\(stem).\(system)-scan.sqlite").path
    }

    /// Where a system is, for messages (never with credentials).
    public static func describe(_ system: SystemConfig) -> String {
        switch system.connector {
        case .contract(let settings): settings.url
        case .rest(let settings): settings.url
        case .sql(let settings):
            switch settings.database {
            case .postgres(let connection): connection.displayURL
            case .sqlite(let path): path
            }
        case .exec(let settings): ([settings.command] + settings.arguments).joined(separator: " ")
        }
    }
}

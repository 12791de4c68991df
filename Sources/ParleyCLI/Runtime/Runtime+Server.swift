import Foundation
import ParleyConfig
import ParleyCore
import ParleyEngine
import ParleyServer
import ParleyStore

/// Wiring the HTTP server into a runtime: its options (flags over `server:` over defaults), the systems
/// with their webhook secrets, and dry-run planning on a scratch copy of the state.
extension Runtime {
    /// `--host`/`--port` win over the file's `server:`; the token comes from PARLEY_API_TOKEN, else the file.
    func serverOptions(host: String?, port: Int?, environment: [String: String] = ProcessInfo.processInfo.environment) -> ServerOptions {
        let settings = config.server ?? ServerSettings()
        let token = environment["PARLEY_API_TOKEN"].flatMap { $0.isEmpty ? nil : $0 } ?? settings.apiToken?.reveal()
        return ServerOptions(host: host ?? settings.host, port: port ?? settings.port, apiToken: token, publicURL: settings.publicURL)
    }

    /// Contract systems may send webhooks; other connector kinds are polled only.
    var systemInfos: [SystemInfo] {
        config.systems.map { system in
            if case .contract(let settings) = system.connector {
                return SystemInfo(name: system.name, title: system.title, url: settings.url, webhookSecret: settings.webhookSecret?.reveal())
            }
            return SystemInfo(name: system.name, title: system.title, url: "(\(system.connector.kind) connector)")
        }
    }

    func serverContext(engine: SyncEngine, trigger: SyncTrigger) -> ServerContext {
        let store = store
        let engineForPlans = engine
        return ServerContext(
            engine: engine, store: store, connectors: connectors.mapValues { $0 as any Connector }, systems: systemInfos, trigger: trigger,
            pollIntervalMillis: config.pollIntervalMillis,
            planner: { flows in try await Self.plan(engine: engineForPlans, store: store, flows: flows) })
    }

    /// A dry-run pass on a throwaway copy of the state (the copy is taken off the cooperative threads).
    static func plan(engine: SyncEngine, store: any LinkStore, flows: Set<String>?) async throws -> PassReport {
        guard let store = store as? SQLiteStore else { throw Failure.dryRunNeedsSQLite }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("parley-plan-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let scratch: SQLiteStore = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try store.copy(to: path) }) }
        }
        return await engine.planning(on: scratch).syncPass(only: flows)
    }
}

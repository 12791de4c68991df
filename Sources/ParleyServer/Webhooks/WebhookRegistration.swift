import Logging
import ParleyConnectors
import ParleyCore
import ServiceLifecycle

/// Registers Parley's webhook subscription with every contract system that has a webhook secret, once the
/// server listens, and keeps retrying (with backoff) a system that cannot be reached. Polling stays on as
/// the safety net either way.
struct WebhookRegistration: Service, CustomStringConvertible {
    let context: ServerContext
    let options: ServerOptions
    let state: ServerState
    let logger: Logger

    var description: String { "ParleyServer.WebhookRegistration(\(context.systems.filter { $0.webhookSecret != nil }.map(\.name)))" }

    func run() async throws {
        let systems = context.systems.filter { $0.webhookSecret != nil }
        for system in context.systems where system.webhookSecret == nil || !options.registersWebhooks {
            await state.setRegistration(.disabled, for: system.name)
        }
        guard options.registersWebhooks, !systems.isEmpty else { return await waitForShutdown() }
        for system in systems { await state.setRegistration(.pending, for: system.name) }
        // Retries stop at once on shutdown.
        try? await cancelWhenGracefulShutdown {
            let port = try await state.boundPort()
            await withTaskGroup(of: Void.self) { group in
                for system in systems {
                    group.addTask { await register(system, callback: callbackURL(for: system.name, port: port)) }
                }
            }
        }
        await waitForShutdown()
    }

    private func waitForShutdown() async {
        try? await gracefulShutdown()
    }

    func callbackURL(for system: String, port: Int) -> String {
        if let publicURL = options.publicURL {
            return (publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL) + "/webhooks/\(FormDecoding.encode(system))"
        }
        let wildcard = ["0.0.0.0", "::", "[::]"].contains(options.host)
        let host = wildcard ? "127.0.0.1" : (options.host.contains(":") && !options.host.hasPrefix("[") ? "[\(options.host)]" : options.host)
        return "http://\(host):\(port)/webhooks/\(FormDecoding.encode(system))"
    }

    private func register(_ system: SystemInfo, callback: String) async {
        guard let secret = system.webhookSecret else { return }
        guard let connector = context.connectors[system.name] as? ContractConnector else {
            await state.setRegistration(.failed("its connector cannot register webhooks"), for: system.name)
            return
        }
        var delay = Duration.seconds(1)
        while !Task.isCancelled {
            do {
                let collections = try await collections(of: system.name, connector: connector)
                let id = try await connector.subscribe(url: callback, secret: secret, collections: collections)
                await state.setRegistration(.registered(url: callback), for: system.name)
                logger.info(
                    "webhooks registered", metadata: ["system": "\(system.name)", "url": "\(callback)", "subscription": "\(id)",
                        "collections": "\(collections.joined(separator: ","))"])
                return
            } catch {
                await state.setRegistration(.failed("\(error)"), for: system.name)
                logger.warning(
                    "cannot register webhooks yet; polling continues, retrying",
                    metadata: ["system": "\(system.name)", "error": "\(error)", "retryIn": "\(delay)"])
            }
            do {
                try await Task.sleep(for: delay)
            } catch {
                return
            }
            delay = min(delay * 2, .seconds(60))
        }
    }

    /// The collections behind the datatypes the flows use in this system.
    private func collections(of system: String, connector: ContractConnector) async throws -> [String] {
        let schema = try await connector.schema()
        var result: [String] = []
        for flow in context.flows {
            for side in Side.allCases where flow.datatype(on: side).system == system {
                if let collection = schema.datatype(flow.datatype(on: side).datatype)?.collection, !result.contains(collection) {
                    result.append(collection)
                }
            }
        }
        return result
    }
}

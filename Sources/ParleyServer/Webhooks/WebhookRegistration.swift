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

    /// A subscription this process registered.
    struct Subscription: Sendable {
        var system: String
        var id: String
    }

    var description: String { "ParleyServer.WebhookRegistration(\(context.systems.filter { $0.webhookSecret != nil }.map(\.name)))" }

    func run() async throws {
        let systems = context.systems.filter { $0.webhookSecret != nil }
        for system in context.systems where system.webhookSecret == nil || !options.registersWebhooks {
            await state.setRegistration(.disabled, for: system.name)
        }
        guard options.registersWebhooks, !systems.isEmpty else { return await waitForShutdown() }
        for system in systems { await state.setRegistration(.pending, for: system.name) }
        // Retries stop at once on shutdown.
        let registered: [Subscription]? = try? await cancelWhenGracefulShutdown { () async throws -> [Subscription] in
            let port = try await state.boundPort()
            return await withTaskGroup(of: Subscription?.self) { group in
                for system in systems {
                    group.addTask { await register(system, callback: callbackURL(for: system.name, port: port)).map { Subscription(system: system.name, id: $0) } }
                }
                var subscriptions: [Subscription] = []
                for await subscription in group { if let subscription { subscriptions.append(subscription) } }
                return subscriptions
            }
        }
        let subscriptions = registered ?? []
        await waitForShutdown()
        await unsubscribe(subscriptions)
    }

    /// On shutdown, removes the subscriptions to this process's own address, so the systems stop delivering
    /// (and retrying) to a port nobody listens on. A `publicURL` is left registered: other workers behind it may
    /// still serve it, and a restart registers it again anyway.
    private func unsubscribe(_ subscriptions: [Subscription]) async {
        guard options.publicURL == nil else { return }
        await withTaskGroup(of: Void.self) { group in
            for subscription in subscriptions {
                let (system, id) = (subscription.system, subscription.id)
                guard let connector = context.connectors[system] as? ContractConnector else { continue }
                group.addTask {
                    do {
                        try await connector.unsubscribe(id: id)
                        logger.info("webhooks unregistered", metadata: ["system": "\(system)", "subscription": "\(id)"])
                    } catch {
                        logger.warning("cannot unregister webhooks; the system keeps its subscription", metadata: ["system": "\(system)", "error": "\(error)"])
                    }
                }
            }
        }
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

    /// Registers with one system, retrying until it answers; the subscription's id (nil when shut down first).
    private func register(_ system: SystemInfo, callback: String) async -> String? {
        guard let secret = system.webhookSecret else { return nil }
        guard let connector = context.connectors[system.name] as? ContractConnector else {
            await state.setRegistration(.failed("its connector cannot register webhooks"), for: system.name)
            return nil
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
                return id
            } catch {
                await state.setRegistration(.failed("\(error)"), for: system.name)
                logger.warning(
                    "cannot register webhooks yet; polling continues, retrying",
                    metadata: ["system": "\(system.name)", "error": "\(error)", "retryIn": "\(delay)"])
            }
            do {
                try await Task.sleep(for: delay)
            } catch {
                return nil
            }
            delay = min(delay * 2, .seconds(60))
        }
        return nil
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

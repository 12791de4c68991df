import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// A reference system serving HTTP until `stop()`.
///
/// ```swift
/// let erp = try await RunningReference.start(ReferenceOptions(kind: .erp, seed: 1000), logger: logger)
/// // erp.baseURL == "http://127.0.0.1:54321"
/// await erp.stop()
/// ```
public actor RunningReference {
    public nonisolated let kind: ReferenceSystemKind
    /// `http://host:port`, without a trailing slash.
    public nonisolated let baseURL: String
    public nonisolated let port: Int
    public nonisolated let dbPath: String
    /// Whether this start seeded the database (`false` when `seed` was 0 or the database already had records).
    public nonisolated let seeded: Bool

    private let services: ReferenceServices
    private let serviceGroup: ServiceGroup
    private let runTask: Task<Void, any Error>
    private let removesDatabaseOnStop: Bool
    private var stopped = false

    public struct InvalidOptions: Error, CustomStringConvertible {
        public let problems: [String]
        public var description: String { "invalid reference options: " + problems.joined(separator: "; ") }
    }

    public struct StartFailed: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    private init(
        kind: ReferenceSystemKind, baseURL: String, port: Int, dbPath: String, seeded: Bool,
        services: ReferenceServices, serviceGroup: ServiceGroup, runTask: Task<Void, any Error>, removesDatabaseOnStop: Bool
    ) {
        self.kind = kind
        self.baseURL = baseURL
        self.port = port
        self.dbPath = dbPath
        self.seeded = seeded
        self.services = services
        self.serviceGroup = serviceGroup
        self.runTask = runTask
        self.removesDatabaseOnStop = removesDatabaseOnStop
    }

    /// Opens (or creates) the database, seeds it when asked and empty, and starts serving.
    public static func start(_ options: ReferenceOptions, logger: Logger) async throws -> RunningReference {
        guard options.problems.isEmpty else { throw InvalidOptions(problems: options.problems) }
        let system = SystemDefinition.definition(for: options.kind)
        let temporary = options.dbPath == nil
        let path = options.dbPath ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("parley-reference-\(system.name)-\(UUID().uuidString.lowercased()).sqlite").path
        let database = try ReferenceDatabase.open(path: path, system: system)
        let faults = FaultInjector(options.faults)
        let seeded: Bool
        do {
            seeded = try await Seeder(database: database, kind: options.kind)
                .seed(count: options.seed, offset: options.seedOffset, seedValue: options.seedValue, now: await faults.now())
        } catch {
            database.close()
            throw error
        }
        if options.seed > 0, !seeded {
            logger.notice("Database already holds records; seeding skipped", metadata: ["db": "\(path)", "seed": "\(options.seed)"])
        }
        let webhooks = WebhookStore(database: database)
        let dispatcher = WebhookDispatcher(faults: faults, retry: options.webhookRetry, logger: logger)
        await dispatcher.replaceSubscriptions(try await webhooks.all())
        let services = ReferenceServices(
            system: system,
            records: RecordStore(database: database),
            webhooks: webhooks,
            dispatcher: dispatcher,
            faults: faults,
            token: options.token,
            logger: logger
        )

        let (ports, portSink) = AsyncStream.makeStream(of: Result<Int, any Error>.self)
        let application = Application(
            responder: ReferenceResponder(services: services),
            configuration: ApplicationConfiguration(
                address: .hostname(options.host, port: options.port),
                serverName: system.displayName
            ),
            onServerRunning: { channel in
                portSink.yield(.success(channel.localAddress?.port ?? options.port))
            },
            logger: logger
        )
        let serviceGroup = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [application],
            gracefulShutdownSignals: options.handlesShutdownSignals ? [.sigterm, .sigint] : [],
            logger: logger
        ))
        let runTask = Task {
            defer { portSink.finish() }
            do {
                try await serviceGroup.run()
                portSink.yield(.failure(StartFailed(reason: "\(system.displayName) stopped before it was listening")))
            } catch {
                portSink.yield(.failure(error))
                throw error
            }
        }
        var boundPort: Result<Int, any Error> = .failure(StartFailed(reason: "\(system.displayName) did not start"))
        for await result in ports {
            boundPort = result
            break
        }
        switch boundPort {
        case .success(let port):
            let displayHost = options.host.contains(":") ? "[\(options.host)]" : options.host
            return RunningReference(
                kind: options.kind, baseURL: "http://\(displayHost):\(port)", port: port, dbPath: path, seeded: seeded,
                services: services, serviceGroup: serviceGroup, runTask: runTask, removesDatabaseOnStop: temporary
            )
        case .failure(let error):
            await dispatcher.shutdown()
            database.close()
            if temporary { removeDatabaseFiles(path) }
            throw StartFailed(reason: "\(system.displayName) could not listen on \(options.host):\(options.port): \(error)")
        }
    }

    /// Stops serving, cancels webhook deliveries in flight and closes the database. Safe to call twice.
    public func stop() async {
        guard !stopped else { return }
        stopped = true
        await serviceGroup.triggerGracefulShutdown()
        _ = try? await runTask.value
        await services.dispatcher.shutdown()
        services.records.database.close()
        if removesDatabaseOnStop { Self.removeDatabaseFiles(dbPath) }
    }

    /// Waits until the server stops (after `stop()` or, with `handlesShutdownSignals`, SIGINT/SIGTERM).
    public func waitUntilStopped() async {
        _ = try? await runTask.value
    }

    public func setFaults(_ faults: FaultSettings) async throws {
        guard faults.problems.isEmpty else { throw InvalidOptions(problems: faults.problems) }
        await services.faults.update(faults)
    }

    public func faults() async -> FaultSettings {
        await services.faults.settings
    }

    /// Live (not deleted) records per collection, e.g. `["customers": 1000, "projects": 2011]`.
    public func recordCounts() async throws -> [String: Int] {
        try await services.records.counts()
    }

    /// The system's collections (`customers`, `projects`, and `tasks` for the PMS).
    public nonisolated var collections: [String] {
        SystemDefinition.definition(for: kind).collections
    }

    private static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
    }
}

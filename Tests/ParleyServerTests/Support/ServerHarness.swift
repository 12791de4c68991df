import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ParleyConnectors
import ParleyCore
import ParleyEngine
@testable import ParleyServer
import ParleyStore
import ParleyTestSupport
import ServiceLifecycle

/// A Custom ERP and PMS (SyncHarness), the polling loop and Parley's HTTP server on a free port, wired the
/// way `parley run` wires them. The poll interval is an hour, so after the first pass only webhooks and
/// API calls make anything happen.
final class ServerHarness: Sendable {
    static let token = "test-token-\(UUID().uuidString)"
    static let secrets = ["erp": "erp-webhook-secret", "pms": "pms-webhook-secret"]

    let sync: SyncHarness
    let server: ParleyServer
    let metrics: ParleyMetrics
    let passes: PassLog
    let baseURL: String
    let token: String?
    let http: HTTPClient
    let group: ServiceGroup
    let runTask: Task<Void, any Error>

    private init(
        sync: SyncHarness, server: ParleyServer, metrics: ParleyMetrics, passes: PassLog, baseURL: String, token: String?, http: HTTPClient,
        group: ServiceGroup, runTask: Task<Void, any Error>
    ) {
        self.sync = sync
        self.server = server
        self.metrics = metrics
        self.passes = passes
        self.baseURL = baseURL
        self.token = token
        self.http = http
        self.group = group
        self.runTask = runTask
    }

    static func start(
        erpSeed: Int = 0, pmsSeed: Int = 0, pmsSeedOffset: Int = 0, token: String? = ServerHarness.token, registersWebhooks: Bool = false,
        before: @Sendable (SyncHarness) async throws -> Void = { _ in }
    ) async throws -> ServerHarness {
        let sync = try await SyncHarness.start(erpSeed: erpSeed, pmsSeed: pmsSeed, pmsSeedOffset: pmsSeedOffset)
        do {
            try await before(sync)
            var logger = Logger(label: "parley.test")
            logger.logLevel = .critical
            let engine = sync.engine()
            let trigger = SyncTrigger()
            let metrics = ParleyMetrics(flows: sync.flows)
            let systems = [
                SystemInfo(name: "erp", title: "Custom ERP", url: sync.erp.baseURL, webhookSecret: secrets["erp"]),
                SystemInfo(name: "pms", title: "Custom PMS", url: sync.pms.baseURL, webhookSecret: secrets["pms"]),
            ]
            let store = sync.store
            let folder = sync.folder
            let context = ServerContext(
                engine: engine, store: store, connectors: sync.connectors.mapValues { $0 as any Connector }, systems: systems, trigger: trigger,
                pollIntervalMillis: 3_600_000,
                planner: { flows in
                    let scratch = try store.copy(to: folder + "/plan-\(UUID().uuidString).sqlite")
                    return await engine.planning(on: scratch).syncPass(only: flows)
                })
            let server = try ParleyServer(
                options: ServerOptions(host: "127.0.0.1", port: 0, apiToken: token, registersWebhooks: registersWebhooks), context: context,
                metrics: metrics, logger: logger)
            let passes = PassLog()
            let observe = server.observe
            let polling = PollingService(engine: engine, intervalMillis: 3_600_000, trigger: trigger) { pass in
                observe(pass)
                passes.append(pass)
            }
            let group = ServiceGroup(configuration: .init(services: [polling] + server.services, logger: logger))
            let runTask = Task { try await group.run() }
            let port = try await server.boundPort()
            var configuration = HTTPClient.Configuration()
            configuration.redirectConfiguration = .disallow
            let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            let harness = ServerHarness(
                sync: sync, server: server, metrics: metrics, passes: passes, baseURL: "http://127.0.0.1:\(port)", token: token, http: http,
                group: group, runTask: runTask)
            try await harness.waitForFirstPass()
            return harness
        } catch {
            await sync.stop()
            throw error
        }
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await runTask.value
        try? await http.shutdown()
        await sync.stop()
    }

    /// Runs `body`, then stops the harness whether it failed or not.
    static func with(
        erpSeed: Int = 0, pmsSeed: Int = 0, pmsSeedOffset: Int = 0, token: String? = ServerHarness.token, registersWebhooks: Bool = false,
        before: @Sendable (SyncHarness) async throws -> Void = { _ in }, _ body: (ServerHarness) async throws -> Void
    ) async throws {
        let harness = try await start(
            erpSeed: erpSeed, pmsSeed: pmsSeed, pmsSeedOffset: pmsSeedOffset, token: token, registersWebhooks: registersWebhooks, before: before)
        do {
            try await body(harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    func waitForFirstPass() async throws {
        try await eventually("the first scheduled pass", timeout: .seconds(60)) { self.passes.count(.scheduled) >= 1 }
    }

    // MARK: - HTTP

    struct Reply: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: String
        var json: JSONValue? { try? JSONValue.parse(body) }
    }

    enum Auth: Sendable {
        case token, none, bearer(String), cookie(String, dashboardHeader: Bool)
    }

    func request(_ method: HTTPMethod, _ path: String, auth: Auth = .token, body: [UInt8]? = nil, headers: [(String, String)] = []) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        switch auth {
        case .token: if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        case .none: break
        case .bearer(let value): request.headers.add(name: "Authorization", value: "Bearer \(value)")
        case .cookie(let value, let dashboardHeader):
            request.headers.add(name: "Cookie", value: value)
            if dashboardHeader { request.headers.add(name: "X-Parley-Dashboard", value: "1") }
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await http.execute(request, timeout: .seconds(60))
        let buffer = try await response.body.collect(upTo: 16 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: String(buffer: buffer))
    }

    func get(_ path: String, auth: Auth = .token) async throws -> Reply {
        try await request(.GET, path, auth: auth)
    }

    func post(_ path: String, _ json: JSONValue = [:], auth: Auth = .token) async throws -> Reply {
        try await request(.POST, path, auth: auth, body: json.jsonBytes)
    }

    /// The PMS id linked to an ERP customer.
    func pmsCustomer(linkedTo erpId: String) async throws -> String {
        guard let id = try await sync.store.links(flow: "customers", side: .left, ids: [erpId])[erpId]?.rightId else {
            throw TestFailure( "ERP customer \(erpId) is not linked")
        }
        return id
    }
}

/// Every pass the polling loop finished, in order.
final class PassLog: @unchecked Sendable {
    private let lock = NSLock()
    private var passes: [CompletedPass] = []

    func append(_ pass: CompletedPass) {
        lock.lock()
        defer { lock.unlock() }
        passes.append(pass)
    }

    var all: [CompletedPass] {
        lock.lock()
        defer { lock.unlock() }
        return passes
    }

    func count(_ kind: CompletedPass.Kind) -> Int { all.filter { $0.kind == kind }.count }
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(_ what: String, timeout: Duration = .seconds(10), every interval: Duration = .milliseconds(20), _ condition: () async throws -> Bool)
    async throws
{
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: interval)
    }
    throw TestFailure( "timed out after \(timeout) waiting for \(what)")
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

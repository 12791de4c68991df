import Foundation
import Hummingbird
import Logging
import ParleyConnectors
import ParleyCore
import ParleyReference

/// Propagation latency with `parley run`: the time from an edit committed in one system (the edit request's
/// response) to Parley's write landing in the other system.
///
/// The landing is observed through the target system's own webhooks: the benchmark subscribes itself to both
/// reference systems, and a reference system delivers after its write is committed. Each edit writes a
/// unique marker into the record's name, so the delivery that carries it is the landing. The figure includes
/// one extra loopback delivery (the target's webhook to the benchmark), so it is an upper bound; polling the
/// target instead would add up to a polling interval and load the system Parley writes to.
public enum LatencyBenchmark {
    public struct Options: Sendable {
        public var edits = 1_000
        /// Edits started per second (a steady rate, each edit started on schedule whether or not earlier
        /// ones have landed).
        public var rate = 20.0
        /// Customers seeded in the ERP and onboarded before measuring; edits go round-robin over them.
        public var customers = 200
        public var warmup = 20
        /// An edit that has not landed after this long is reported as lost.
        public var timeoutSeconds = 10.0
        public init() {}
    }

    public struct Result: Sendable {
        public var edits: Int
        public var rate: Double
        public var landed: [Double]
        public var lost: Int
        public var seconds: Double

        /// The nearest-rank percentile of the landed edits, in milliseconds.
        public func percentile(_ p: Double) -> Double {
            landed.sorted().nearestRank(p) ?? .nan
        }
    }

    /// What the caller starts: Parley's run service (polling loop + webhook server) for the two systems.
    /// It returns once Parley serves; the returned closure stops it.
    public typealias StartParley = @Sendable (_ erpURL: String, _ pmsURL: String, _ folder: String) async throws -> @Sendable () async -> Void

    public static func run(_ options: Options, startParley: StartParley) async throws -> Result {
        var logger = Logger(label: "parley.bench")
        logger.logLevel = .error
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-latency-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let erp = try await RunningReference.start(ReferenceOptions(kind: .erp, dbPath: folder + "/erp.sqlite", seed: options.customers), logger: logger)
        let pms = try await RunningReference.start(ReferenceOptions(kind: .pms, dbPath: folder + "/pms.sqlite"), logger: logger)
        let observer = LandingObserver()
        var quiet = logger
        quiet.logLevel = .critical  // its cancellation at the end is logged as an error by the HTTP server
        let listener = try await WebhookListener.start(observer: observer, logger: quiet)
        let erpClient = ContractConnector(system: "erp", baseURL: erp.baseURL, token: nil, concurrency: 16)
        let pmsClient = ContractConnector(system: "pms", baseURL: pms.baseURL, token: nil, concurrency: 16)
        var stopParley: (@Sendable () async -> Void)?
        func shutdown() async {
            await stopParley?()
            await erpClient.shutdown()
            await pmsClient.shutdown()
            await listener.stop()
            await erp.stop()
            await pms.stop()
        }
        do {
            _ = try await erpClient.subscribe(url: listener.url + "/erp", secret: "bench", collections: ["customers"])
            _ = try await pmsClient.subscribe(url: listener.url + "/pms", secret: "bench", collections: ["customers"])
            stopParley = try await startParley(erp.baseURL, pms.baseURL, folder)
            let pairs = try await linkedPairs(erp: erpClient, pms: pmsClient, expected: options.customers, timeoutSeconds: 120)
            let driver = EditDriver(pairs: pairs, erp: erpClient, pms: pmsClient, observer: observer, timeoutSeconds: options.timeoutSeconds)
            _ = try await driver.run(edits: options.warmup, rate: options.rate, firstIndex: 0)
            let start = Date()
            let measured = try await driver.run(edits: options.edits, rate: options.rate, firstIndex: options.warmup)
            let seconds = Date().timeIntervalSince(start)
            await shutdown()
            return Result(edits: options.edits, rate: options.rate, landed: measured.compactMap { $0 }, lost: measured.filter { $0 == nil }.count, seconds: seconds)
        } catch {
            FileHandle.standardError.write(Data("latency benchmark failed: \(error)\n".utf8))
            await shutdown()
            throw error
        }
    }

    /// ERP id -> PMS id of every customer, once Parley's first pass has created them all in the PMS.
    static func linkedPairs(erp: ContractConnector, pms: ContractConnector, expected: Int, timeoutSeconds: Double) async throws -> [(erp: String, pms: String)] {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while true {
            let erpByNumber = try await all(erp, datatype: "customer", key: "customerNumber")
            let pmsByNumber = try await all(pms, datatype: "customer", key: "erp_number")
            let pairs = erpByNumber.compactMap { number, erpId in pmsByNumber[number].map { (erp: erpId, pms: $0) } }.sorted { $0.erp < $1.erp }
            if pairs.count >= expected { return pairs }
            guard Date() < deadline else { throw BenchmarkFailure(message: "Parley linked \(pairs.count) of \(expected) customers in \(Int(timeoutSeconds)) s") }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    static func all(_ connector: ContractConnector, datatype: String, key: String) async throws -> [String: String] {
        var result: [String: String] = [:]
        var cursor: String?
        while true {
            let page = try await connector.changes(datatype: datatype, since: cursor, limit: 500)
            for case .record(let record) in page.items where !record.deleted {
                if let number = record.fields[key]?.stringValue { result[number] = record.id }
            }
            cursor = page.next
            if !page.hasMore || page.items.isEmpty { return result }
        }
    }
}

/// Starts edits on schedule and waits for each to land.
struct EditDriver: Sendable {
    let pairs: [(erp: String, pms: String)]
    let erp: ContractConnector
    let pms: ContractConnector
    let observer: LandingObserver
    let timeoutSeconds: Double

    /// Latency in milliseconds of each edit, nil for one that did not land in time. Edit k goes to pair
    /// k mod pairs (so one record is edited again only long after its previous edit landed) and alternates
    /// direction: even k ERP -> PMS, odd k PMS -> ERP.
    func run(edits: Int, rate: Double, firstIndex: Int) async throws -> [Double?] {
        guard !pairs.isEmpty else { throw BenchmarkFailure(message: "no linked customers to edit") }
        let start = ContinuousClock.now
        return try await withThrowingTaskGroup(of: Double?.self) { group in
            for offset in 0..<edits {
                let index = firstIndex + offset
                try await Task.sleep(until: start + .seconds(Double(offset) / rate), clock: .continuous)
                group.addTask { try await edit(index) }
            }
            var results: [Double?] = []
            for try await result in group { results.append(result) }
            return results
        }
    }

    func edit(_ index: Int) async throws -> Double? {
        let pair = pairs[index % pairs.count]
        let marker = "Latency probe \(index)"
        let fromERP = index % 2 == 0
        let landing = await observer.expect(system: fromERP ? "pms" : "erp", marker: marker)
        if fromERP {
            _ = try await erp.update(datatype: "customer", id: pair.erp, fields: ["name": .string(marker)], ifMatch: nil)
        } else {
            _ = try await pms.update(datatype: "customer", id: pair.pms, fields: ["display_name": .string(marker)], ifMatch: nil)
        }
        let committed = ContinuousClock.now
        guard let landed = await landing.wait(timeoutSeconds: timeoutSeconds) else { return nil }
        let elapsed = committed.duration(to: landed)
        let millis = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
        return max(0, millis)
    }
}

/// Deliveries from the reference systems, matched to the edits waiting for them by marker.
actor LandingObserver {
    private var waiting: [String: Landing] = [:]

    func expect(system: String, marker: String) -> Landing {
        let landing = Landing()
        waiting[system + "\u{1F}" + marker] = landing
        return landing
    }

    func delivered(system: String, name: String) async {
        guard let landing = waiting.removeValue(forKey: system + "\u{1F}" + name) else { return }
        await landing.land(at: .now)
    }
}

/// One edit's landing time, waited for with a timeout.
actor Landing {
    private var landedAt: ContinuousClock.Instant?
    private var waiter: CheckedContinuation<Void, Never>?

    func land(at instant: ContinuousClock.Instant) {
        guard landedAt == nil else { return }
        landedAt = instant
        waiter?.resume()
        waiter = nil
    }

    func wait(timeoutSeconds: Double) async -> ContinuousClock.Instant? {
        if let landedAt { return landedAt }
        let timer = Task {
            try? await Task.sleep(for: .seconds(timeoutSeconds))
            self.wake()
        }
        await withCheckedContinuation { continuation in
            if landedAt != nil { continuation.resume() } else { waiter = continuation }
        }
        timer.cancel()
        return landedAt
    }

    private func wake() {
        waiter?.resume()
        waiter = nil
    }
}

/// A loopback HTTP endpoint the reference systems deliver their webhooks to (`POST /erp`, `POST /pms`).
struct WebhookListener: Sendable {
    let url: String
    let task: Task<Void, any Error>

    static func start(observer: LandingObserver, logger: Logger) async throws -> WebhookListener {
        let router = Router()
        for system in ["erp", "pms"] {
            let nameField = system == "erp" ? "name" : "display_name"
            router.post(RouterPath(system)) { request, _ -> HTTPResponse.Status in
                var request = request
                let buffer = try await request.collectBody(upTo: 1 << 20)
                let body = buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
                if let delivery = try? JSONValue.parse(body), let name = delivery["record"]?[nameField]?.stringValue {
                    await observer.delivered(system: system, name: name)
                }
                return .noContent
            }
        }
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: "parley-bench"),
            onServerRunning: { channel in
                sink.yield(channel.localAddress?.port ?? 0)
                sink.finish()
            },
            logger: logger)
        let task = Task { try await application.run() }
        var port = 0
        for await bound in ports {
            port = bound
            break
        }
        guard port > 0 else {
            task.cancel()
            throw BenchmarkFailure(message: "the benchmark's webhook listener could not start")
        }
        return WebhookListener(url: "http://127.0.0.1:\(port)", task: task)
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

import Foundation
import Logging
import ParleyConfig
import ParleyConnectors
import ParleyCore
import ParleyEngine
import ParleyReference
import ParleyStore
import Synchronization

/// Onboarding over real HTTP into an empty Custom PMS: Parley against a minimal copier that makes exactly the
/// necessary reads and creates (same conversions, same concurrency, no links, no merge, no state).
public enum OnboardingBenchmark {
    public struct Result: Sendable {
        public var customers: Int
        public var projects: Int
        public var baselineSeconds: Double
        public var parleySeconds: Double
        /// Seconds per flow of the baseline, and per flow and phase of Parley's pass, in order: where the time goes.
        public var baselineFlows: [(String, Double)] = []
        public var parleyPhases: [(String, Double)] = []
        public var ratio: Double { baselineSeconds > 0 ? parleySeconds / baselineSeconds : 0 }
    }

    /// What a table row gives for several rounds: the median times, and Parley's rate and ratio from them.
    public struct Summary: Sendable {
        public var records: Int
        public var baselineSeconds: Double
        public var parleySeconds: Double
        public var parleyRecordsPerSecond: Double { parleySeconds > 0 ? Double(records) / parleySeconds : 0 }
        public var ratio: Double { baselineSeconds > 0 ? parleySeconds / baselineSeconds : 0 }

        public init?(_ results: [Result]) {
            guard let first = results.first else { return nil }
            records = first.customers + first.projects
            baselineSeconds = Self.median(results.map(\.baselineSeconds))
            parleySeconds = Self.median(results.map(\.parleySeconds))
        }

        static func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            let middle = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        }
    }

    /// The copier's run: what it copied, how long it took in all and per flow.
    struct BaselineRun {
        var customers: Int
        var projects: Int
        var seconds: Double
        var flowSeconds: [(String, Double)]
    }

    /// `rounds` runs of both, alternating which goes first (a machine's drift then weighs on both alike); each
    /// run has its own freshly seeded pair of systems.
    public static func run(customers: Int, concurrency: Int, rounds: Int = 1, placement: SystemPlacement = .inProcess) async throws -> [Result] {
        var logger = Logger(label: "parley.bench")
        logger.logLevel = .error
        var results: [Result] = []
        for round in 0..<max(1, rounds) {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-onboard-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let setup = Setup(customers: customers, concurrency: concurrency, placement: placement, folder: folder, logger: logger)
            results.append(try await runRound(setup, baselineFirst: round % 2 == 0))
        }
        return results
    }

    struct Setup {
        var customers: Int
        var concurrency: Int
        var placement: SystemPlacement
        var folder: String
        var logger: Logger
    }

    static func runRound(_ setup: Setup, baselineFirst: Bool) async throws -> Result {
        let earlier: BaselineRun? = if baselineFirst { try await runBaseline(setup) } else { nil }
        let parley = try await runParley(setup)
        let copy = if let earlier { earlier } else { try await runBaseline(setup) }
        guard parley.created == copy.customers + copy.projects else {
            throw BenchmarkFailure(message: "Parley created \(parley.created) records, the baseline \(copy.customers + copy.projects): not the same work")
        }
        return Result(
            customers: copy.customers, projects: copy.projects, baselineSeconds: copy.seconds, parleySeconds: parley.seconds,
            baselineFlows: copy.flowSeconds, parleyPhases: parley.phases)
    }

    static func runBaseline(_ setup: Setup) async throws -> BaselineRun {
        let concurrency = setup.concurrency
        let baselinePair = try await startPair(setup, folder: setup.folder + "/baseline")
        let setupBaseline = try await prepare(pair: baselinePair, folder: setup.folder + "/baseline", concurrency: concurrency)
        let baselineStart = monotonicNanos()
        let copied = try await BaselineCopier(flows: setupBaseline.flows, erp: setupBaseline.connectors["erp"], pms: setupBaseline.connectors["pms"], concurrency: concurrency).copy()
        let baselineSeconds = Double(monotonicNanos() - baselineStart) / 1e9
        await setupBaseline.shutdown()
        await baselinePair.erp.stop()
        await baselinePair.pms.stop()
        return BaselineRun(customers: copied.customers, projects: copied.projects, seconds: baselineSeconds, flowSeconds: copied.flowSeconds)
    }

    static func runParley(_ setup: Setup) async throws -> (created: Int, seconds: Double, phases: [(String, Double)]) {
        let concurrency = setup.concurrency
        let folder = setup.folder
        let logger = setup.logger
        let parleyPair = try await startPair(setup, folder: folder + "/parley")
        let setupParley = try await prepare(pair: parleyPair, folder: folder + "/parley", concurrency: concurrency)
        var options = EngineOptions()
        options.concurrency = concurrency
        let engine = SyncEngine(flows: setupParley.flows, connectors: setupParley.connectors, store: try SQLiteStore(path: folder + "/parley/state.sqlite"), options: options, logger: logger)
        let phases = PhaseClock()
        let parleyStart = monotonicNanos()
        let report = await engine.syncPass { progress in phases.enter("\(progress.flow) \(progress.phase)") }
        let parleySeconds = Double(monotonicNanos() - parleyStart) / 1e9
        let parleyPhases = phases.finish()
        await setupParley.shutdown()
        await parleyPair.erp.stop()
        await parleyPair.pms.stop()
        if let error = report.errors.first { throw BenchmarkFailure(message: error) }
        return (report.flows.reduce(0) { $0 + ($1.created[.right] ?? 0) }, parleySeconds, parleyPhases)
    }

    struct Pair {
        var erp: BenchSystem
        var pms: BenchSystem
    }

    static func startPair(_ setup: Setup, folder: String) async throws -> Pair {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let erp = try await BenchSystem.start(.erp, dbPath: folder + "/erp.sqlite", seed: setup.customers, placement: setup.placement, logger: setup.logger)
        let pms = try await BenchSystem.start(.pms, dbPath: folder + "/pms.sqlite", seed: 0, placement: setup.placement, logger: setup.logger)
        return Pair(erp: erp, pms: pms)
    }

    struct Prepared {
        var flows: [FlowDefinition]
        var connectors: [String: ContractConnector]
        func shutdown() async { for connector in connectors.values { await connector.shutdown() } }
    }

    static func prepare(pair: Pair, folder: String, concurrency: Int) async throws -> Prepared {
        let environment = ["PARLEY_ERP_URL": pair.erp.baseURL, "PARLEY_PMS_URL": pair.pms.baseURL, "PARLEY_STATE": folder + "/state.sqlite"]
        let config = try ConfigLoader.load(yaml: DefaultConfig.yaml, configPath: folder + "/parley.yaml", environment: environment)
        var connectors: [String: ContractConnector] = [:]
        var schemas: [String: SystemSchema] = [:]
        for system in config.systems {
            guard case .contract(let settings) = system.connector else { continue }
            let connector = ContractConnector(system: system.name, baseURL: settings.url, token: nil, concurrency: concurrency)
            connectors[system.name] = connector
            schemas[system.name] = try await connector.schema()
        }
        return Prepared(flows: try resolveFlows(config, schemas: schemas).get(), connectors: connectors)
    }
}

/// Reads every ERP record and creates it in the PMS: the least work any copier must do.
struct BaselineCopier {
    let flows: [FlowDefinition]
    let erp: ContractConnector?
    let pms: ContractConnector?
    let concurrency: Int

    func copy() async throws -> (customers: Int, projects: Int, flowSeconds: [(String, Double)]) {
        guard let erp, let pms else { throw BenchmarkFailure(message: "baseline needs erp and pms") }
        var idMap: [String: [String: String]] = [:]
        var counts: [String: Int] = [:]
        var seconds: [(String, Double)] = []
        for flow in flows {
            let flowStart = monotonicNanos()
            var cursor: String?
            var created: [String: String] = [:]
            while true {
                let page = try await erp.changes(datatype: flow.left.datatype, since: cursor, limit: 500)
                let records = page.items.compactMap { item -> NativeRecord? in if case .record(let r) = item, !r.deleted { r } else { nil } }
                let refs = idMap
                let results = try await withThrowingTaskGroup(of: (String, String).self) { group in
                    var out: [(String, String)] = []
                    var index = 0
                    for record in records {
                        if index >= concurrency, let next = try await group.next() { out.append(next) }
                        index += 1
                        group.addTask {
                            let canonical = try flow.canonicalize(record.fields, side: .left) { _, _ in nil }
                            let writes = flow.properties.compactMap { mapping -> PropertyWrite? in
                                guard let value = canonical.values[mapping.key], !value.isEmpty else { return nil }
                                return PropertyWrite(property: mapping.key, before: .null, after: value, reason: .created)
                            }
                            let patch = try flow.nativePatch(writes, to: .right) { refFlow, id in refs[refFlow]?[id] }
                            let stored = try await pms.create(datatype: flow.right.datatype, fields: patch, idempotencyKey: "copy-\(flow.name)-\(record.id)")
                            return (record.id, stored.id)
                        }
                    }
                    for try await next in group { out.append(next) }
                    return out
                }
                for (left, right) in results { created[left] = right }
                cursor = page.next
                if !page.hasMore || page.items.isEmpty { break }
            }
            idMap[flow.name] = created
            counts[flow.name] = created.count
            seconds.append((flow.name, Double(monotonicNanos() - flowStart) / 1e9))
        }
        return (counts["customers"] ?? 0, counts["projects"] ?? 0, seconds)
    }
}

/// When each phase of a pass began, from its progress reports: seconds spent per phase, in order.
final class PhaseClock: Sendable {
    private let state = Mutex<(phases: [(String, UInt64)], current: String?)>(([], nil))

    func enter(_ phase: String) {
        state.withLock { state in
            guard state.current != phase else { return }
            state.current = phase
            state.phases.append((phase, monotonicNanos()))
        }
    }

    func finish() -> [(String, Double)] {
        let end = monotonicNanos()
        let phases = state.withLock { $0.phases }
        return phases.enumerated().map { index, phase in
            let until = index + 1 < phases.count ? phases[index + 1].1 : end
            return (phase.0, Double(until - phase.1) / 1e9)
        }
    }
}

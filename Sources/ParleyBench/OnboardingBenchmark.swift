import Foundation
import Logging
import ParleyConfig
import ParleyConnectors
import ParleyCore
import ParleyEngine
import ParleyReference
import ParleyStore

/// Onboarding over real HTTP into an empty Custom PMS: Parley against a minimal copier that makes exactly the
/// necessary reads and creates (same conversions, same concurrency, no links, no merge, no state).
public enum OnboardingBenchmark {
    public struct Result: Sendable {
        public var customers: Int
        public var projects: Int
        public var baselineSeconds: Double
        public var parleySeconds: Double
        public var parleyRecordsPerSecond: Double { parleySeconds > 0 ? Double(customers + projects) / parleySeconds : 0 }
        public var ratio: Double { baselineSeconds > 0 ? parleySeconds / baselineSeconds : 0 }
    }

    public static func run(customers: Int, concurrency: Int) async throws -> Result {
        var logger = Logger(label: "parley.bench")
        logger.logLevel = .error
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-onboard-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }

        // Baseline first, on its own pair of systems.
        let baselinePair = try await startPair(customers: customers, folder: folder + "/baseline", logger: logger)
        let setupBaseline = try await prepare(pair: baselinePair, folder: folder + "/baseline", concurrency: concurrency)
        let baselineStart = monotonicNanos()
        let copied = try await BaselineCopier(flows: setupBaseline.flows, erp: setupBaseline.connectors["erp"], pms: setupBaseline.connectors["pms"], concurrency: concurrency).copy()
        let baselineSeconds = Double(monotonicNanos() - baselineStart) / 1e9
        await setupBaseline.shutdown()
        await baselinePair.erp.stop()
        await baselinePair.pms.stop()

        let parleyPair = try await startPair(customers: customers, folder: folder + "/parley", logger: logger)
        let setupParley = try await prepare(pair: parleyPair, folder: folder + "/parley", concurrency: concurrency)
        var options = EngineOptions()
        options.concurrency = concurrency
        let engine = SyncEngine(flows: setupParley.flows, connectors: setupParley.connectors, store: try SQLiteStore(path: folder + "/parley/state.sqlite"), options: options, logger: logger)
        let parleyStart = monotonicNanos()
        let report = await engine.syncPass()
        let parleySeconds = Double(monotonicNanos() - parleyStart) / 1e9
        await setupParley.shutdown()
        await parleyPair.erp.stop()
        await parleyPair.pms.stop()
        if let error = report.errors.first { throw BenchmarkFailure(message: error) }
        let created = report.flows.reduce(0) { $0 + ($1.created[.right] ?? 0) }
        guard created == copied.customers + copied.projects else {
            throw BenchmarkFailure(message: "Parley created \(created) records, the baseline \(copied.customers + copied.projects): not the same work")
        }
        return Result(customers: copied.customers, projects: copied.projects, baselineSeconds: baselineSeconds, parleySeconds: parleySeconds)
    }

    struct Pair {
        var erp: RunningReference
        var pms: RunningReference
    }

    static func startPair(customers: Int, folder: String, logger: Logger) async throws -> Pair {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let erp = try await RunningReference.start(ReferenceOptions(kind: .erp, dbPath: folder + "/erp.sqlite", seed: customers), logger: logger)
        let pms = try await RunningReference.start(ReferenceOptions(kind: .pms, dbPath: folder + "/pms.sqlite"), logger: logger)
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

    func copy() async throws -> (customers: Int, projects: Int) {
        guard let erp, let pms else { throw BenchmarkFailure(message: "baseline needs erp and pms") }
        var idMap: [String: [String: String]] = [:]
        var counts: [String: Int] = [:]
        for flow in flows {
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
        }
        return (counts["customers"] ?? 0, counts["projects"] ?? 0)
    }
}

import Foundation
import Logging
import ParleyCore
import ParleyEngine

/// The engine's own cost per record: synthetic in-memory systems, a real store (SQLite, or PostgreSQL).
public enum EngineBenchmarks {
    public struct Figures: Sendable {
        public var label: String
        public var records: Int
        public var seconds: Double
        public var storeSeconds: Double
        public var storeCalls: Int
        /// User + system CPU time of the process during the pass.
        public var cpuSeconds: Double
        public var recordsPerSecond: Double { seconds > 0 ? Double(records) / seconds : 0 }
        public var recordsPerCPUSecond: Double { cpuSeconds > 0 ? Double(records) / cpuSeconds : 0 }
        public var storeShare: Double { seconds > 0 ? storeSeconds / seconds : 0 }
    }

    static let leftSchema = DatatypeSchema(
        name: "customer", collection: "customers", idField: "id", idType: .string, changeMarker: "changed", changeMarkerType: .integer,
        properties: [
            PropertySchema(name: "number", type: .string, required: true), PropertySchema(name: "name", type: .string),
            PropertySchema(name: "email", type: .string), PropertySchema(name: "budget", type: .decimal), PropertySchema(name: "active", type: .boolean),
        ])
    static let rightSchema = DatatypeSchema(
        name: "customer", collection: "customers", idField: "id", idType: .string, changeMarker: "changed", changeMarkerType: .integer,
        properties: [
            PropertySchema(name: "code", type: .string, required: true), PropertySchema(name: "title", type: .string),
            PropertySchema(name: "mail", type: .string), PropertySchema(name: "cents", type: .integer), PropertySchema(name: "archived", type: .boolean),
        ])

    static let flow = FlowDefinition(
        name: "customers", left: DatatypeRef(system: "a", datatype: "customer"), right: DatatypeRef(system: "b", datatype: "customer"),
        properties: [
            PropertyMapping(left: "number", right: "code", leftType: .string, rightType: .string),
            PropertyMapping(left: "name", right: "title", leftType: .string, rightType: .string),
            PropertyMapping(left: "email", right: "mail", leftType: .string, rightType: .string, ignoreCase: true),
            PropertyMapping(left: "budget", right: "cents", leftType: .decimal, rightType: .integer, conversion: .scale(power: 2)),
            PropertyMapping(left: "active", right: "archived", leftType: .boolean, rightType: .boolean, conversion: .negate),
        ],
        mergeCriteria: [MergeCriterion(pairs: [.init(left: "number", right: "code", normalize: [.trim, .lowercase])])])

    static func customer(_ index: Int) -> JSONValue {
        ["id": .string(String(index)), "number": .string("C-\(index)"), "name": .string("Company \(index) AS"),
         "email": .string("Post\(index)@Example.com"), "budget": .number("\(index % 10_000).\(index % 100)"), "active": .bool(index % 7 != 0),
         "changed": .int(1_000)]
    }

    public struct Setup: Sendable {
        public var left: SyntheticConnector
        public var right: SyntheticConnector
        public var store: TimingStore
        public var engine: SyncEngine
    }

    public static func setup(records: Int, store inner: any LinkStore, sinkRight: Bool = false, createdIds: CreatedIds = .uuid) -> Setup {
        let left = SyntheticConnector(system: "a", datatype: leftSchema, generated: records, make: customer)
        let right = SyntheticConnector(system: "b", datatype: rightSchema, generated: 0, sink: sinkRight, createdIds: createdIds) { _ in .object([:]) }
        let store = TimingStore(inner)
        var options = EngineOptions()
        options.pageSize = 1_000
        options.concurrency = 16
        var logger = Logger(label: "parley.bench")
        logger.logLevel = .error
        let engine = SyncEngine(flows: [flow], connectors: ["a": left, "b": right], store: store, options: options, logger: logger)
        return Setup(left: left, right: right, store: store, engine: engine)
    }

    /// Onboards `records` into an empty right side, then measures passes with `changes` edits.
    public static func onboardingAndIncremental(records: Int, changes: [Int], store: any LinkStore, createdIds: CreatedIds) async throws -> [Figures] {
        let setup = setup(records: records, store: store, createdIds: createdIds)
        var results: [Figures] = []
        results.append(try await measure("onboarding", records: records, setup: setup))
        let quiet = try await measure("incremental, 0 changes", records: 0, setup: setup)
        results.append(quiet)
        var edited = 0
        for count in changes {
            for offset in 0..<count {
                let id = String((edited + offset * 7919) % max(records, 1))
                await setup.left.edit(id: id, ["name": .string("Edited \(edited + offset)")])
            }
            edited += count
            results.append(try await measure("incremental, \(count) changes", records: count, setup: setup))
        }
        // One pass says little about a few milliseconds: the first reads of a large database are cold. Repeated
        // passes give the fixed cost of a pass (nothing changed: feed reads and cursor commits) and the cost of
        // a single change, each as the median of `repeats` passes.
        results.append(try await median("idle pass, nothing changed", changes: 0, repeats: repeats, setup: setup) { _ in })
        results.append(try await median("1 change", changes: 1, repeats: repeats, setup: setup) { pass in
            await setup.left.edit(id: String((pass * 104_729 + 17) % max(records, 1)), ["name": .string("Single \(pass)")])
        })
        return results
    }

    /// Passes measured after warming up.
    static let repeats = 21

    /// `repeats` passes, each after `prepare` made `changes` edits; the figures of the pass with the median time
    /// (p90 in the label).
    static func median(_ label: String, changes: Int, repeats: Int, setup: Setup, prepare: (Int) async -> Void) async throws -> Figures {
        var passes: [Figures] = []
        for pass in 0..<repeats {
            await prepare(pass)
            passes.append(try await measure(label, records: changes, setup: setup))
        }
        passes.sort { $0.seconds < $1.seconds }
        guard var middle = passes.nearestRank(50), let p90 = passes.nearestRank(90)?.seconds else {
            throw BenchmarkFailure(message: "\(label): no pass to take the median of (repeats: \(repeats))")
        }
        middle.label = "\(label), median of \(repeats) passes (p90 \(String(format: "%.1f", p90 * 1000)) ms)"
        return middle
    }

    static func measure(_ label: String, records: Int, setup: Setup) async throws -> Figures {
        setup.store.reset()
        let cpuStart = processCPUSeconds()
        let start = monotonicNanos()
        let report = await setup.engine.syncPass()
        let seconds = Double(monotonicNanos() - start) / 1e9
        let cpuSeconds = processCPUSeconds() - cpuStart
        if let error = report.errors.first { throw BenchmarkFailure(message: error) }
        let totals = setup.store.totals
        return Figures(label: label, records: records, seconds: seconds, storeSeconds: totals.seconds, storeCalls: totals.calls, cpuSeconds: cpuSeconds)
    }
}

public struct BenchmarkFailure: Error, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

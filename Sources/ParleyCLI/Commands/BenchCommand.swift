import ArgumentParser
import Foundation
import ParleyBench

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks (scripts/bench.sh runs the set and writes BENCHMARKS.md).",
        subcommands: [Engine.self, Memory.self, Onboarding.self, BenchLatencyCommand.self])

    struct Engine: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Engine-only: synthetic in-memory systems, a real state store; onboarding, then incremental passes.")
        @Option(help: "Records to onboard (links afterwards).") var records = 10_000
        @Option(help: "Changes per incremental pass, comma-separated.") var changes = "1,1000"
        @Option(help: "Ids the synthetic target gives the records created in it: uuid (random places in the target's indexes, like the reference PMS) or sequential.")
        var createdIds: CreatedIds = .uuid
        @Option(help: "The engine's state: a postgres:// URL of an empty database (password from PARLEY_STATE_PASSWORD when not in the URL); by default a new SQLite file.")
        var state: String?
        @Option(help: "With --state: the store floor's state, a second empty database.")
        var floorState: String?

        func validate() throws {
            for (name, value) in [("--state", state), ("--floor-state", floorState)] {
                if let value, !Self.isPostgres(value) {
                    throw ValidationError("\(name) takes a postgres:// URL (without it, the states are temporary SQLite files)")
                }
            }
            if (state == nil) != (floorState == nil) {
                throw ValidationError("--state and --floor-state go together: the engine and the store floor each need an empty database of their own")
            }
        }

        static func isPostgres(_ url: String) -> Bool { url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") }

        func run() async throws {
            let folder = try scratchFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let counts = changes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            let engineState = try await (state.map(BenchState.postgres) ?? .sqlite(path: folder + "/state.sqlite")).open()
            defer { engineState.close() }
            let figures = try await EngineBenchmarks.onboardingAndIncremental(
                records: records, changes: counts, store: engineState.store, createdIds: createdIds)
            let floorState = try await (floorState.map(BenchState.postgres) ?? .sqlite(path: folder + "/floor.sqlite")).open()
            defer { floorState.close() }
            let floor = try await StoreFloor.onboarding(records: records, store: floorState.store, createdIds: createdIds)
            print("| scenario | records | seconds | records/s | CPU s | records / CPU s | store share | store calls |")
            print("|---|---:|---:|---:|---:|---:|---:|---:|")
            for f in [floor] + figures {
                print(
                    "| \(f.label) (\(records) links) | \(f.records) | \(format(f.seconds, 4)) | \(Int(f.recordsPerSecond)) | \(format(f.cpuSeconds, 3)) | "
                        + "\(Int(f.recordsPerCPUSecond)) | \(Int(f.storeShare * 100))% | \(f.storeCalls) |")
            }
        }
    }

    struct Memory: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Peak RSS while onboarding N synthetic records (run one N per process).")
        @Option(help: "Records to onboard.") var records = 100_000

        func run() async throws {
            let folder = try scratchFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let before = peakRSSMegabytes()
            let state = try await BenchState.sqlite(path: folder + "/state.sqlite").open()
            let setup = EngineBenchmarks.setup(records: records, store: state.store, sinkRight: true)
            let start = Date()
            let report = await setup.engine.syncPass()
            if let error = report.errors.first { throw BenchmarkFailure(message: error) }
            print("| \(records) | \(format(Date().timeIntervalSince(start), 1)) | \(format(before, 1)) | \(format(peakRSSMegabytes(), 1)) |")
        }
    }

    struct Onboarding: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Onboarding over HTTP into an empty Custom PMS, Parley against a minimal copier baseline in the same run.")
        @Option(help: "ERP customers (about twice as many projects).") var records = 10_000
        @Option(help: "Concurrent requests, the same for both.") var concurrency = 8
        @Option(help: "Runs of both, alternating which goes first; the row gives the medians.") var rounds = 1
        @Option(help: "Where the reference systems run: in-process (sharing the benchmark's CPUs) or processes (one child process each).")
        var systems = "in-process"
        @Option(help: "With --systems processes: the CPUs the systems are pinned to (taskset list, e.g. 1); pin the benchmark itself with taskset to others.")
        var systemsCpus: String?

        func validate() throws {
            guard ["in-process", "processes"].contains(systems) else {
                throw ValidationError("--systems must be in-process or processes, not '\(systems)'")
            }
            if systemsCpus != nil, systems != "processes" { throw ValidationError("--systems-cpus needs --systems processes") }
        }

        func run() async throws {
            let placement: SystemPlacement = systems == "processes" ? .processes(cpus: systemsCpus) : .inProcess
            let results = try await OnboardingBenchmark.run(customers: records, concurrency: concurrency, rounds: rounds, placement: placement)
            guard let first = results.first, let summary = OnboardingBenchmark.Summary(results) else { return }
            let ratios = results.map { format($0.ratio, 2) + "x" }.joined(separator: ", ")
            let label = "\(first.customers) customers + \(first.projects) projects" + (results.count > 1 ? ", median of \(results.count) rounds (\(ratios))" : "")
            print("| \(label) | \(format(summary.baselineSeconds, 1)) | \(format(summary.parleySeconds, 1)) | \(Int(summary.parleyRecordsPerSecond)) | \(format(summary.ratio, 2))x |")
            // Where the time went, on stderr so the table row stays alone on stdout.
            for (round, result) in results.enumerated() {
                let copier = result.baselineFlows.map { "\($0.0) \(format($0.1, 1)) s" }.joined(separator: ", ")
                let phases = result.parleyPhases.map { "\($0.0) \(format($0.1, 1)) s" }.joined(separator: ", ")
                FileHandle.standardError.write(Data("round \(round + 1): baseline: \(copier); parley: \(phases)\n".utf8))
            }
        }
    }
}

extension CreatedIds: ExpressibleByArgument {}

func scratchFolder() throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-bench-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
}

func format(_ value: Double, _ places: Int) -> String { String(format: "%.\(places)f", value) }

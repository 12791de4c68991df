import ArgumentParser
import Foundation
import ParleyBench

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks (scripts/bench.sh runs the set and writes BENCHMARKS.md).",
        subcommands: [Engine.self, Memory.self, Onboarding.self, BenchLatencyCommand.self])

    struct Engine: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Engine-only: synthetic in-memory systems, real SQLite store; onboarding, then incremental passes.")
        @Option(help: "Records to onboard (links afterwards).") var records = 10_000
        @Option(help: "Changes per incremental pass, comma-separated.") var changes = "1,1000"

        func run() async throws {
            let folder = try scratchFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let counts = changes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            let figures = try await EngineBenchmarks.onboardingAndIncremental(records: records, changes: counts, statePath: folder + "/state.sqlite")
            let floor = try await StoreFloor.onboarding(records: records, statePath: folder + "/floor.sqlite")
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
            let setup = try EngineBenchmarks.setup(records: records, statePath: folder + "/state.sqlite", sinkRight: true)
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

        func run() async throws {
            let results = try await OnboardingBenchmark.run(customers: records, concurrency: concurrency)
            print("| \(results.customers) customers + \(results.projects) projects | \(format(results.baselineSeconds, 1)) | \(format(results.parleySeconds, 1)) | \(Int(results.parleyRecordsPerSecond)) | \(format(results.ratio, 2))x |")
        }
    }
}

func scratchFolder() throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-bench-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
}

func format(_ value: Double, _ places: Int) -> String { String(format: "%.\(places)f", value) }

import Foundation
import Logging
import ParleyReference

/// Where the onboarding benchmark's reference systems run: in the benchmark's own process (sharing its CPUs),
/// or each in a child process (`parley reference …`), optionally pinned to CPUs of their own — as in
/// production, where the systems do not share Parley's machine.
public enum SystemPlacement: Sendable, Equatable {
    case inProcess
    case processes(cpus: String?)
}

/// A running reference system the benchmark talks to.
struct BenchSystem: Sendable {
    let baseURL: String
    let stop: @Sendable () async -> Void

    static func start(_ kind: ReferenceSystemKind, dbPath: String, seed: Int, placement: SystemPlacement, logger: Logger) async throws -> BenchSystem {
        switch placement {
        case .inProcess:
            let running = try await RunningReference.start(ReferenceOptions(kind: kind, dbPath: dbPath, seed: seed), logger: logger)
            return BenchSystem(baseURL: running.baseURL, stop: { await running.stop() })
        case .processes(let cpus):
            return try await startProcess(kind, dbPath: dbPath, seed: seed, cpus: cpus)
        }
    }

    /// Runs `parley reference <kind>` on a free port and waits for the line that says where it listens (it is
    /// printed once the database is seeded and the server is up).
    static func startProcess(_ kind: ReferenceSystemKind, dbPath: String, seed: Int, cpus: String?) async throws -> BenchSystem {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var arguments = [executable, "reference", kind.rawValue, "--port", "0", "--db", dbPath, "--log-level", "error"]
        if seed > 0 { arguments += ["--seed", String(seed)] }
        if let cpus { arguments = ["taskset", "-c", cpus] + arguments }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let outputPath = dbPath + ".out"
        guard FileManager.default.createFile(atPath: outputPath, contents: nil) else {
            throw BenchmarkFailure(message: "cannot create \(outputPath)")
        }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardOutput = output
        process.standardError = output
        try process.run()
        try? output.close()  // the child has its own copy
        let child = ChildProcess(process)
        let deadline = ContinuousClock.now + .seconds(900)
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on ") {
                let url = text[range.upperBound...].prefix { $0 != " " && $0 != "\n" }
                return BenchSystem(baseURL: String(url), stop: { await child.stop() })
            }
            guard child.isRunning else {
                throw BenchmarkFailure(message: "reference \(kind.rawValue) exited before serving: \(text.suffix(2_000))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        await child.stop()
        throw BenchmarkFailure(message: "reference \(kind.rawValue) did not start serving within 900 s")
    }
}

/// A child process stopped with SIGTERM (the reference systems shut down on it) and waited for.
final class ChildProcess: @unchecked Sendable {
    // Only `isRunning` and `terminate()` are called, both safe from any thread.
    private let process: Process

    init(_ process: Process) { self.process = process }

    var isRunning: Bool { process.isRunning }

    func stop() async {
        if process.isRunning { process.terminate() }
        while process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
    }
}

import ArgumentParser
import Foundation
import Logging
import ParleyReference

/// `parley reference erp|pms`: run a bundled reference system (Custom ERP or Custom PMS).
public struct ReferenceCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "reference",
        abstract: "Run a bundled reference system that implements the Custom System contract.",
        subcommands: [ERP.self, PMS.self]
    )

    public init() {}

    struct ERP: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "erp",
            abstract: "Run the Custom ERP (integer ids, camelCase, nested address, RFC 3339 lastModified)."
        )

        @OptionGroup var options: ReferenceCommandOptions

        func run() async throws {
            try await options.serve(.erp)
        }
    }

    struct PMS: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pms",
            abstract: "Run the Custom PMS (UUID ids, snake_case, flat, epoch-millisecond updated_at)."
        )

        @OptionGroup var options: ReferenceCommandOptions

        func run() async throws {
            try await options.serve(.pms)
        }
    }
}

/// The flags shared by `parley reference erp` and `parley reference pms`.
struct ReferenceCommandOptions: ParsableArguments {
    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (default 8081 for erp, 8082 for pms; 0 picks a free port).")
    var port: Int?

    @Option(name: .customLong("db"), help: "SQLite database file (default ./erp.sqlite or ./pms.sqlite).")
    var dbPath: String?

    @Option(help: "Customers to seed into an empty database (about twice as many projects).")
    var seed = 0

    @Option(help: "First company index to seed (companies K..<K+N of the deterministic sequence).")
    var seedOffset = 0

    @Option(help: "Which deterministic data set to seed.")
    var seedValue: UInt64 = 1

    @Option(help: "Bearer token required on every route except /healthz (default: $PARLEY_REFERENCE_TOKEN).")
    var token: String?

    @Option(help: "Delay added to every request, in milliseconds.")
    var latencyMs = 0

    @Option(help: "Share (0-1) of requests answered 500 before touching data.")
    var failRate = 0.0

    @Option(help: "Requests per second allowed; beyond it 429 with Retry-After.")
    var rateLimit: Double?

    @Option(help: "Share (0-1) of webhook deliveries silently dropped.")
    var dropWebhooks = 0.0

    @Option(help: "Skew of the clock used for change markers, in milliseconds.")
    var clockOffsetMs: Int64 = 0

    @Option(help: "Share (0-1) of writes that commit and are then answered 503.")
    var acceptThenFailRate = 0.0

    @Option(help: "Seed of the random generator behind the fault shares.")
    var faultSeed: UInt64 = 1

    @Option(help: "Log level (trace, debug, info, notice, warning, error, critical).")
    var logLevel = "info"

    func serve(_ kind: ReferenceSystemKind) async throws {
        let options = referenceOptions(kind)
        if let problem = options.problems.first {
            throw ValidationError(problem)
        }
        var logger = Logger(label: "parley.reference.\(kind.rawValue)")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let running = try await RunningReference.start(options, logger: logger)
        let counts = try await running.recordCounts()
        let line = "\(kind.displayName) listening on \(running.baseURL) (db: \(running.dbPath), "
            + "\(counts["customers"] ?? 0) customers, \(counts["projects"] ?? 0) projects)\n"
        FileHandle.standardOutput.write(Data(line.utf8))
        await running.waitUntilStopped()
        await running.stop()
    }

    func referenceOptions(_ kind: ReferenceSystemKind) -> ReferenceOptions {
        let environmentToken = ProcessInfo.processInfo.environment["PARLEY_REFERENCE_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return ReferenceOptions(
            kind: kind,
            host: host,
            port: port ?? kind.defaultPort,
            dbPath: dbPath ?? "./\(kind.rawValue).sqlite",
            seed: seed,
            seedOffset: seedOffset,
            seedValue: seedValue,
            token: token ?? environmentToken,
            faults: FaultSettings(
                latencyMs: latencyMs,
                failRate: failRate,
                rateLimit: rateLimit,
                dropWebhooks: dropWebhooks,
                clockOffsetMs: clockOffsetMs,
                acceptThenFailRate: acceptThenFailRate,
                randomSeed: faultSeed
            ),
            handlesShutdownSignals: true
        )
    }
}

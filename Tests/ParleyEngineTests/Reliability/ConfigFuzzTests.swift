import Foundation
import Logging
import ParleyConfig
import ParleyConnectors
import ParleyCore
import ParleyReference
import Testing

extension Reliability {
    @Suite("Config fuzzing", .serialized)
    struct ConfigFuzzTests {
        static let environment = ["PARLEY_ERP_URL": "http://127.0.0.1:1", "PARLEY_PMS_URL": "http://127.0.0.1:2", "PARLEY_ERP_TOKEN": "t"]

        /// The reference systems' schemas, read once from running instances.
        static func referenceSchemas() async throws -> [String: SystemSchema] {
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            var schemas: [String: SystemSchema] = [:]
            for kind in [ReferenceSystemKind.erp, .pms] {
                let system = try await RunningReference.start(ReferenceOptions(kind: kind), logger: logger)
                let connector = ContractConnector(system: kind.rawValue, baseURL: system.baseURL, token: nil)
                schemas[kind.rawValue] = try await connector.schema()
                await connector.shutdown()
                await system.stop()
            }
            return schemas
        }

        enum Outcome: Equatable { case loaded, resolved, rejected }

        /// Loads and resolves one text; fails the test when a rejection has an issue without a place or message.
        static func check(_ yaml: String, schemas: [String: SystemSchema], context: @autoclosure () -> String) -> Outcome {
            let config: ParleyConfiguration
            do {
                config = try ConfigLoader.load(yaml: yaml, configPath: "/tmp/fuzz/parley.yaml", environment: environment)
            } catch {
                expectPlaced(error, context())
                return .rejected
            }
            switch resolveFlows(config, schemas: schemas) {
            case .success: return .resolved
            case .failure(let error):
                expectPlaced(error, context())
                return .loaded
            }
        }

        static func expectPlaced(_ errors: ConfigErrors, _ context: String) {
            #expect(!errors.issues.isEmpty, "rejected without a reason: \(context)")
            for issue in errors.issues {
                // Only a problem of the whole file may have neither a path nor a line.
                #expect(!issue.path.isEmpty || issue.line != nil || issue.message == "the file is empty", "an issue with neither path nor line: \(issue) — \(context)")
                #expect(!issue.message.isEmpty, "an issue without a message — \(context)")
                #expect(issue.message.utf8.count <= 2_000, "an issue of \(issue.message.utf8.count) bytes — \(context)")
            }
        }

        /// Hand-picked hostile files, by name.
        static func handPicked(_ name: String) -> String {
            let laughs = (1...9).map { level in
                "l\(level): &l\(level) [" + Array(repeating: level == 1 ? "lol" : "*l\(level - 1)", count: 10).joined(separator: ", ") + "]"
            }.joined(separator: "\n")
            switch name {
            case "empty": return ""
            case "only a comment": return "# nothing"
            case "a list": return "- 1\n- 2"
            case "a scalar": return "hello"
            case "binary noise": return String(decoding: (0..<512).map { UInt8(truncatingIfNeeded: $0 &* 7919) }, as: UTF8.self)
            case "billion laughs": return laughs + "\n" + DefaultConfig.yaml
            case "billion laughs as a value":
                return DefaultConfig.yaml.replacingOccurrences(of: "pollInterval: 5s", with: "pollInterval: 5s\nextra:\n" + laughs.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            case "deep list": return "systems: " + String(repeating: "[", count: 100_000)
            case "deep mapping": return "systems: " + String(repeating: "{a: ", count: 100_000)
            case "deep block nesting": return (0..<3_000).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n")
            case "10 MB value":
                return DefaultConfig.yaml.replacingOccurrences(of: "title: Custom ERP", with: "title: " + String(repeating: "x", count: 10 << 20))
            case "10 MB value of the wrong type":
                return DefaultConfig.yaml.replacingOccurrences(of: "concurrency: 8", with: "concurrency: " + String(repeating: "9x", count: 5 << 20))
            case "20k flows": return "flows:\n" + String(repeating: "  - {name: f, left: erp.customer, right: pms.customer}\n", count: 20_000)
            case "duplicate keys": return DefaultConfig.yaml + "\nstate: again.sqlite\n"
            case "tabs": return DefaultConfig.yaml.replacingOccurrences(of: "  ", with: "\t")
            case "CRLF": return DefaultConfig.yaml.replacingOccurrences(of: "\n", with: "\r\n")
            case "BOM": return "\u{FEFF}" + DefaultConfig.yaml
            case "NUL bytes": return DefaultConfig.yaml.replacingOccurrences(of: "customers", with: "cust\u{0}omers")
            default: return name
            }
        }

        @Test(
            "hand-picked hostile files: each loads or is rejected with placed errors, quickly",
            arguments: [
                "empty", "only a comment", "a list", "a scalar", "binary noise", "billion laughs", "billion laughs as a value", "deep list",
                "deep mapping", "deep block nesting", "10 MB value", "10 MB value of the wrong type", "20k flows", "duplicate keys", "tabs",
                "CRLF", "BOM", "NUL bytes",
            ])
        func handPicked(_ name: String) async throws {
            let schemas = try await Self.referenceSchemas()
            let yaml = Self.handPicked(name)
            let started = ContinuousClock.now
            _ = Self.check(yaml, schemas: schemas, context: name)
            let took = started.duration(to: .now)
            #expect(took < .seconds(10), "\(name) took \(took)")
        }

        @Test("3000 mutated default configs: each loads or is rejected with placed errors; none crashes or hangs", .timeLimit(.minutes(5)))
        func mutatedConfigs() async throws {
            let schemas = try await Self.referenceSchemas()
            #expect(Self.check(DefaultConfig.yaml, schemas: schemas, context: "the default") == .resolved)
            var mutator = ConfigMutator(random: SeededRandom(state: 20_261_129))
            var outcomes: [Outcome: Int] = [:]
            var slowest: (Duration, String) = (.zero, "")
            for index in 0..<3_000 {
                let (yaml, steps) = mutator.mutate(DefaultConfig.yaml)
                let started = ContinuousClock.now
                let outcome = Self.check(yaml, schemas: schemas, context: "case \(index): \(steps.joined(separator: "; "))")
                let took = started.duration(to: .now)
                if took > slowest.0 { slowest = (took, "case \(index): \(steps.joined(separator: "; "))") }
                outcomes[outcome, default: 0] += 1
            }
            #expect(slowest.0 < .seconds(5), "slowest: \(slowest.1) took \(slowest.0)")
            print("config fuzzing: \(outcomes); slowest \(slowest.0): \(slowest.1)")
            // The mutations reach every stage: some files still resolve, some load but fail against the schemas.
            #expect((outcomes[.resolved] ?? 0) > 100, "\(outcomes)")
            #expect((outcomes[.loaded] ?? 0) > 10, "\(outcomes)")
            #expect((outcomes[.rejected] ?? 0) > 100, "\(outcomes)")
        }
    }
}

import Foundation
import Logging
import ParleyConfig
import ParleyConnectors
import ParleyCore
import ParleyReference
import ParleyTestSupport
import Testing

extension Reliability {
    @Suite("Secrets", .serialized)
    struct SecretLeakTests {
        /// Every secret of the scenario, by name; each is distinctive so a leak anywhere is found by grep.
        static func secrets() -> [String: String] {
            let tag = UUID().uuidString.lowercased()
            return [
                "PARLEY_ERP_TOKEN": "erp-token-\(tag)", "PARLEY_PMS_TOKEN": "pms-token-\(tag)",
                "PARLEY_ERP_WEBHOOK_SECRET": "erp-hook-\(tag)", "PARLEY_PMS_WEBHOOK_SECRET": "pms-hook-\(tag)",
                "PARLEY_API_TOKEN": "api-token-\(tag)",
            ]
        }

        @Test("a full scenario with tokens and webhook secrets: no secret in logs, errors, status, the dashboard, the API or the docs")
        func noSecretInAnyOutput() async throws {
            try #require(FileManager.default.isExecutableFile(atPath: ParleyBinary.path), "build the parley executable first (swift build)")
            let secrets = Self.secrets()
            let wrongToken = "wrong-token-\(UUID().uuidString.lowercased())"
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-secrets-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let erp = try await RunningReference.start(
                ReferenceOptions(kind: .erp, dbPath: folder + "/erp.sqlite", seed: 6, token: secrets["PARLEY_ERP_TOKEN"]), logger: logger)
            let pms = try await RunningReference.start(
                ReferenceOptions(kind: .pms, dbPath: folder + "/pms.sqlite", seed: 4, seedOffset: 3, token: secrets["PARLEY_PMS_TOKEN"]),
                logger: logger)
            let pmsClient = SystemClient(baseURL: pms.baseURL, token: secrets["PARLEY_PMS_TOKEN"])
            let erpClient = SystemClient(baseURL: erp.baseURL, token: secrets["PARLEY_ERP_TOKEN"])
            var outputs: [(String, String)] = []
            var runner: ParleyProcess?
            do {
                let config = folder + "/parley.yaml"
                try DefaultConfig.yaml.write(toFile: config, atomically: true, encoding: .utf8)
                var environment = secrets
                environment["PARLEY_ERP_URL"] = erp.baseURL
                environment["PARLEY_PMS_URL"] = pms.baseURL
                environment["PARLEY_STATE"] = folder + "/state.sqlite"
                func parley(_ name: String, _ arguments: [String], environment override: [String: String] = [:]) async throws -> Int32 {
                    let result = try await ParleyBinary.run(arguments, environment: environment.merging(override) { _, new in new })
                    outputs.append((name, result.output))
                    return result.status
                }
                let verbose = ["--config", config, "--log-level", "trace"]
                #expect(try await parley("validate", ["validate"] + verbose) == 0)
                #expect(try await parley("sync --dry-run", ["sync", "--dry-run"] + verbose) == 0)
                #expect(try await parley("sync", ["sync"] + verbose) == 0)
                #expect(try await parley("status", ["status"] + verbose) == 0)
                #expect(try await parley("links", ["links", "--flow", "customers"] + verbose) == 0)
                #expect(try await parley("conflicts", ["conflicts"] + verbose) == 0)
                #expect(try await parley("verify", ["verify"] + verbose) == 0)
                #expect(try await parley("verify --json", ["verify", "--json"] + verbose) == 0)
                for format in ["rst", "md", "html"] {
                    #expect(try await parley("docs \(format)", ["docs", "--format", format] + verbose) == 0)
                }
                // Failures: a wrong system token, a broken file next to an inline secret.
                #expect(try await parley("sync, wrong token", ["sync"] + verbose, environment: ["PARLEY_PMS_TOKEN": wrongToken]) != 0)
                let broken = folder + "/broken.yaml"
                try DefaultConfig.yaml
                    .replacingOccurrences(of: "token: ${PARLEY_ERP_TOKEN:-}", with: "token: \(secrets["PARLEY_ERP_TOKEN"] ?? "")")
                    .replacingOccurrences(of: "concurrency: 8", with: "concurrency: eight")
                    .write(toFile: broken, atomically: true, encoding: .utf8)
                #expect(try await parley("validate, broken file", ["validate", "--config", broken, "--offline"]) != 0)

                // `parley run`: webhooks registered with both systems (signed with the secrets), API, dashboard, metrics.
                let run = try await ParleyProcess.run(verbose, environment: environment, output: folder + "/run.log")
                runner = run
                let api = HTTPTransport(settings: .init(
                    system: "parley", baseURL: run.baseURL, headers: [("Authorization", "Bearer \(secrets["PARLEY_API_TOKEN"] ?? "")")]))
                let anonymous = HTTPTransport(settings: .init(system: "parley", baseURL: run.baseURL))
                defer { Task { await api.shutdown(); await anonymous.shutdown() } }
                // An edit in the ERP reaches the PMS through a signed webhook (the poll interval is 5 s).
                let link = try #require(try await erpClient.request("GET", "/customers/1")["name"]?.stringValue)
                try await erpClient.patch("customers", "1", ["name": .string(link + " Webhooked")])
                var arrived = false
                for _ in 0..<100 where !arrived {
                    arrived = try await pmsClient.all("customers").contains { $0["display_name"]?.stringValue == link + " Webhooked" }
                    if !arrived { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(arrived)
                for path in [
                    "/", "/links", "/login", "/api/systems", "/api/flows", "/api/flows/customers", "/api/flows/customers/links",
                    "/api/conflicts", "/api/ambiguous", "/api/quarantine", "/api/activity", "/metrics", "/healthz", "/readyz",
                    "/api/flows/customers/links/left/1", "/api/flows/customers/links/left/1/history", "/api/flows/nope",
                ] {
                    let response = try await api.send(.GET, path)
                    outputs.append(("GET \(path)", String(decoding: response.body, as: UTF8.self) + "\(response.headers)"))
                }
                for (name, response) in [
                    ("POST /api/sync", try await api.send(.POST, "/api/sync", body: [:])),
                    ("POST /api/plan", try await api.send(.POST, "/api/plan", body: [:])),
                    ("GET /api/systems without token", try await anonymous.send(.GET, "/api/systems")),
                    ("GET / without token", try await anonymous.send(.GET, "/")),
                    ("POST /webhooks/erp unsigned", try await anonymous.send(.POST, "/webhooks/erp", body: ["id": 1])),
                    ("POST /webhooks/erp bad signature", try await anonymous.send(
                        .POST, "/webhooks/erp", body: ["collection": "customers", "id": 1, "event": "updated"],
                        headers: [("X-Parley-Signature", "sha256=" + String(repeating: "0", count: 64))])),
                    ("POST /login wrong token", try await anonymous.send(
                        .POST, "/login", body: nil, headers: [("Content-Type", "application/x-www-form-urlencoded")])),
                ] {
                    outputs.append((name, String(decoding: response.body, as: UTF8.self) + "\(response.headers)"))
                }
                outputs.append(("parley run", await run.stop()))
                runner = nil
                #expect(outputs.count >= 30)
                let everySecret = secrets.merging(["wrong token": wrongToken], uniquingKeysWith: { a, _ in a })
                for (name, text) in outputs {
                    for (secretName, secret) in everySecret {
                        #expect(!text.contains(secret), "\(name) shows \(secretName)")
                    }
                }
                // The scenario really ran: the outputs are not empty and say what they should.
                let all = Dictionary(outputs, uniquingKeysWith: { a, b in a + b })
                #expect(all["status"]?.contains("customers") == true)
                #expect(all["sync, wrong token"]?.contains("401") == true, "\(all["sync, wrong token"] ?? "")")
                #expect(all["validate, broken file"]?.contains("concurrency") == true)
                #expect(all["GET /api/systems"]?.contains(erp.baseURL) == true)
                #expect(all["parley run"]?.contains("webhooks registered") == true)
                #expect(all["parley run"]?.contains("webhook accepted") == true)
                #expect(all["POST /webhooks/erp bad signature"]?.contains("not signed with the configured secret") == true)
                #expect(all["docs md"]?.contains("Custom ERP") == true)
                if let keep = ProcessInfo.processInfo.environment["PARLEY_TEST_KEEP_OUTPUTS"] {
                    for (index, (name, text)) in outputs.enumerated() {
                        try? ("== \(name)\n" + text).write(toFile: keep + "/\(index).txt", atomically: true, encoding: .utf8)
                    }
                }
            } catch {
                if let runner { _ = await runner.stop() }
                await erpClient.shutdown()
                await pmsClient.shutdown()
                await erp.stop()
                await pms.stop()
                try? FileManager.default.removeItem(atPath: folder)
                throw error
            }
            await erpClient.shutdown()
            await pmsClient.shutdown()
            await erp.stop()
            await pms.stop()
            try? FileManager.default.removeItem(atPath: folder)
        }
    }
}

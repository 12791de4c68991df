import Foundation
import Logging
import ParleyConnectors
import ParleyCore
import ParleyReference
import ParleyTestSupport
import Testing

extension Reliability.SecretLeakTests {
    /// The ERP customer mapped onto a PMS-like customer (display_name, org_no, erp_number) in a system `name`.
    static func flow(_ name: String) -> String {
        """
          - name: \(name)-customers
            left: erp.customer
            right: \(name).customer
            merge:
              - [{erp: organizationNumber, \(name): org_no, normalize: [digits-only]}]
            properties:
              - {erp: name, \(name): display_name}
              - {erp: organizationNumber, \(name): org_no}
              - {erp: customerNumber, \(name): erp_number}
        """
    }

    /// `curl -i` (headers and body, redirects not followed).
    static func curl(_ url: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "-s", "-i", "--max-time", "10", url]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// A REST system over a Custom PMS's customers, with `auth`.
    static func restSystem(_ name: String, auth: String) -> String {
        """
          \(name):
            connector: rest
            url: ${\(name.uppercased())_URL}
            auth: \(auth)
            timeout: 5s
            datatypes:
              customer:
                collection: /customers
                records: /items
                pagination: {style: cursor, param: since, sizeParam: limit, size: 50, next: /next}
                id: {field: id, type: string}
                deleted: deleted
                properties:
                  display_name: {type: string, required: true}
                  org_no: string
                  erp_number: string
        """
    }

    @Test("the PostgreSQL state password, REST bearer/basic/API-key secrets, a SQL password, an exec program's environment and the dashboard login token: in no output",
        .enabled(if: TestPostgres.adminURL != nil || TestPostgres.required, "needs scripts/with-postgres.sh"))
    func everyKindOfConnectorSecret() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ParleyBinary.path), "build the parley executable first (swift build)")
        let admin = try #require(TestPostgres.adminURL.flatMap { URLComponents(string: $0) })
        let tag = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let secrets = [
            "state password": "statepw\(tag)", "sql password": "sqlpw\(tag)", "erp token": "erp-token-\(tag)",
            "rest bearer": "rest-bearer-\(tag)", "rest basic password": "rest-basic-\(tag)", "rest api key": "rest-key-\(tag)",
            "exec secret": "exec-secret-\(tag)", "api token": "api-token-\(tag)",
        ]
        func secret(_ name: String) -> String { secrets[name] ?? "" }
        let wrong = ["wrong state password": "wrongstate\(tag)", "wrong sql password": "wrongsql\(tag)", "wrong bearer": "wrong-bearer-\(tag)"]

        // Two roles with passwords: one owns the state's database, one the SQL system's table.
        let stateRole = "leak_state_\(tag.prefix(12))"
        let sqlRole = "leak_sql_\(tag.prefix(12))"
        try await TestPostgres.execute([
            "CREATE ROLE \(stateRole) LOGIN PASSWORD '\(secret("state password"))'", "CREATE DATABASE \(stateRole) OWNER \(stateRole)",
            "CREATE ROLE \(sqlRole) LOGIN PASSWORD '\(secret("sql password"))'", "CREATE DATABASE \(sqlRole) OWNER \(sqlRole)",
        ])
        var sqlDatabase = admin
        sqlDatabase.path = "/" + sqlRole
        try await TestPostgres.execute([
            "CREATE TABLE customers (id serial PRIMARY KEY, display_name text NOT NULL, org_no text, erp_number text, updated_at timestamptz NOT NULL DEFAULT now())",
            "ALTER TABLE customers OWNER TO \(sqlRole)",
        ], in: sqlDatabase.string)
        let host = admin.host ?? "127.0.0.1"
        let port = admin.port ?? 5432

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-secrets-\(tag)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let erp = try await RunningReference.start(
            ReferenceOptions(kind: .erp, dbPath: folder + "/erp.sqlite", seed: 4, token: secret("erp token")), logger: logger)
        var references = [erp]
        do {
            let bearer = try await RunningReference.start(
                ReferenceOptions(kind: .pms, dbPath: folder + "/bearer.sqlite", token: secret("rest bearer")), logger: logger)
            references.append(bearer)
            let basic = try await RunningReference.start(ReferenceOptions(kind: .pms, dbPath: folder + "/basic.sqlite"), logger: logger)
            references.append(basic)
            let keyed = try await RunningReference.start(ReferenceOptions(kind: .pms, dbPath: folder + "/keyed.sqlite"), logger: logger)
            references.append(keyed)

            // The exec program refuses to start without its secret, so the run shows the secret was delivered.
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().path
            let wrapper = folder + "/exec-connector.sh"
            try """
                #!/bin/sh
                [ -n "$EXEC_API_KEY" ] || { echo "EXEC_API_KEY is not set" >&2; exit 7; }
                exec python3 \(root)/Examples/exec/json-file-connector.py --schema \(root)/Examples/exec/schema.json --data \(folder)/exec.json
                """.write(toFile: wrapper, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper)

            let yaml = """
                state: ${PARLEY_STATE}
                pollInterval: 5s
                server:
                  apiToken: ${PARLEY_API_TOKEN}
                systems:
                  erp:
                    title: Custom ERP
                    connector: contract
                    url: ${PARLEY_ERP_URL}
                    token: ${PARLEY_ERP_TOKEN}
                \(Self.restSystem("rbear", auth: "{bearer: \"${REST_BEARER}\"}"))
                \(Self.restSystem("rbasic", auth: "{basic: {username: sync, password: \"${REST_BASIC_PASSWORD}\"}}"))
                \(Self.restSystem("rkey", auth: "{apiKey: {header: X-Api-Key, value: \"${REST_API_KEY}\"}}"))
                  books:
                    connector: sql
                    driver: postgres
                    url: postgres://\(sqlRole)@\(host):\(port)/\(sqlRole)
                    password: ${SQL_PASSWORD}
                    tls: prefer
                    timeout: 3s
                    datatypes:
                      customer:
                        table: customers
                        id: {column: id, type: integer}
                        changeMarker: {column: updated_at, type: datetime}
                        properties:
                          display_name: {type: string, required: true}
                          org_no: string
                          erp_number: string
                  files:
                    connector: exec
                    command: \(wrapper)
                    env: {EXEC_API_KEY: "${EXEC_SECRET}"}
                flows:
                \(["rbear", "rbasic", "rkey", "books", "files"].map(Self.flow).joined(separator: "\n"))
                """
            let config = folder + "/parley.yaml"
            try yaml.write(toFile: config, atomically: true, encoding: .utf8)
            let environment = [
                "PARLEY_STATE": "postgres://\(stateRole):\(secret("state password"))@\(host):\(port)/\(stateRole)?sslmode=disable",
                "PARLEY_API_TOKEN": secret("api token"), "PARLEY_ERP_URL": erp.baseURL, "PARLEY_ERP_TOKEN": secret("erp token"),
                "RBEAR_URL": bearer.baseURL, "RBASIC_URL": basic.baseURL, "RKEY_URL": keyed.baseURL,
                "REST_BEARER": secret("rest bearer"), "REST_BASIC_PASSWORD": secret("rest basic password"), "REST_API_KEY": secret("rest api key"),
                "SQL_PASSWORD": secret("sql password"), "EXEC_SECRET": secret("exec secret"),
            ]
            var outputs: [(String, String)] = []
            func parley(_ name: String, _ arguments: [String], environment override: [String: String] = [:]) async throws -> Int32 {
                let result = try await ParleyBinary.run(arguments, environment: environment.merging(override) { _, new in new })
                outputs.append((name, result.output))
                return result.status
            }
            let verbose = ["--config", config, "--log-level", "trace"]
            #expect(try await parley("validate", ["validate"] + verbose) == 0)
            #expect(try await parley("sync", ["sync"] + verbose) == 0)
            #expect(try await parley("sync again", ["sync"] + verbose) == 0)
            #expect(try await parley("status", ["status"] + verbose) == 0)
            #expect(try await parley("links", ["links", "--flow", "books-customers"] + verbose) == 0)
            #expect(try await parley("conflicts", ["conflicts"] + verbose) == 0)
            _ = try await parley("verify", ["verify"] + verbose)
            for format in ["rst", "md", "html"] {
                #expect(try await parley("docs \(format)", ["docs", "--format", format] + verbose) == 0)
            }
            // Failures, each with a wrong secret of one kind (those must not show either).
            #expect(try await parley("sync, wrong bearer", ["sync"] + verbose, environment: ["REST_BEARER": wrong["wrong bearer"] ?? ""]) != 0)
            #expect(try await parley("sync, wrong sql password", ["sync"] + verbose, environment: ["SQL_PASSWORD": wrong["wrong sql password"] ?? ""]) != 0)
            #expect(try await parley("status, wrong state password", ["status"] + verbose, environment: [
                "PARLEY_STATE": "postgres://\(stateRole):\(wrong["wrong state password"] ?? "")@\(host):\(port)/\(stateRole)?sslmode=disable",
            ]) != 0)
            #expect(try await parley("sync, exec without its secret", ["sync"] + verbose, environment: ["EXEC_SECRET": ""]) != 0)

            // `parley run`: the API, the dashboard (logged in through /login?token=), /metrics.
            let run = try await ParleyProcess.run(verbose, environment: environment, output: folder + "/run.log")
            let api = HTTPTransport(settings: .init(system: "parley", baseURL: run.baseURL, headers: [("Authorization", "Bearer \(secret("api token"))")]))
            for path in [
                "/api/systems", "/api/flows", "/api/flows/books-customers", "/api/flows/files-customers/links", "/api/conflicts", "/api/quarantine",
                "/api/activity", "/metrics", "/", "/links?flow=rbasic-customers", "/api/flows/nope",
            ] {
                let response = try await api.send(.GET, path)
                outputs.append(("GET \(path)", String(decoding: response.body, as: UTF8.self) + "\(response.headers)"))
            }
            // A browser following the link `parley demo` prints: curl does not follow the redirect, so the
            // session cookie and the Location header are seen as sent.
            let login = try Self.curl(run.baseURL + "/login?token=\(secret("api token"))&next=/links")
            outputs.append(("GET /login?token=", login))
            let wrongLogin = try Self.curl(run.baseURL + "/login?token=\(wrong["wrong bearer"] ?? "")")
            outputs.append(("GET /login?token=wrong", wrongLogin))
            let cookie = login.split(separator: "\r\n").first { $0.lowercased().hasPrefix("set-cookie:") }
                .flatMap { $0.dropFirst("set-cookie:".count).split(separator: ";").first }
                .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            let dashboard = HTTPTransport(settings: .init(system: "parley", baseURL: run.baseURL, headers: [("Cookie", cookie)]))
            for path in ["/", "/links?flow=books-customers", "/links/files-customers/left/1"] {
                let response = try await dashboard.send(.GET, path)
                outputs.append(("dashboard \(path)", String(decoding: response.body, as: UTF8.self) + "\(response.headers)"))
                #expect(response.status == 200, "\(path): \(response.status)")
            }
            await api.shutdown()
            await dashboard.shutdown()
            outputs.append(("parley run", await run.stop()))

            let every = secrets.merging(wrong) { a, _ in a }
            for (name, text) in outputs {
                for (secretName, value) in every {
                    #expect(!text.contains(value), "\(name) shows the \(secretName)")
                }
            }
            // The scenario really ran: every system synced, every failure said what failed.
            let all = Dictionary(outputs, uniquingKeysWith: { a, b in a + b })
            #expect(login.hasPrefix("HTTP/1.1 30"), "\(login)")
            #expect(wrongLogin.hasPrefix("HTTP/1.1 401"), "\(wrongLogin)")
            #expect(cookie.hasPrefix("parley_session="))
            for flow in ["rbear", "rbasic", "rkey", "books", "files"] {
                #expect(all["status"]?.contains("\(flow)-customers") == true, "\(all["status"] ?? "")")
            }
            #expect(all["sync, wrong bearer"]?.contains("rbear") == true && all["sync, wrong bearer"]?.contains("401") == true,
                "\(all["sync, wrong bearer"] ?? "")")
            #expect(all["sync, wrong sql password"]?.contains("books") == true, "\(all["sync, wrong sql password"] ?? "")")
            #expect(all["status, wrong state password"]?.contains("state store") == true, "\(all["status, wrong state password"] ?? "")")
            #expect(all["sync, exec without its secret"]?.contains("system 'files'") == true, "\(all["sync, exec without its secret"] ?? "")")
            #expect(all["sync"]?.contains("WITHOUT encryption") == true, "the tls: prefer warning")
            #expect(all["GET /api/systems"]?.contains("rbasic") == true && all["GET /api/systems"]?.contains(erp.baseURL) == true)
            // The records reached every system: 4 ERP customers in the SQL table and in each PMS.
            for (reference, token) in [(bearer, secret("rest bearer")), (basic, nil), (keyed, nil)] {
                let client = SystemClient(baseURL: reference.baseURL, token: token)
                #expect(try await client.all("customers").count == 4)
                await client.shutdown()
            }
            if let keep = ProcessInfo.processInfo.environment["PARLEY_TEST_KEEP_OUTPUTS"] {
                for (index, (name, text)) in outputs.enumerated() {
                    try? ("== \(name)\n" + text).write(toFile: keep + "/connectors-\(index).txt", atomically: true, encoding: .utf8)
                }
            }
        } catch {
            for reference in references { await reference.stop() }
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
        for reference in references { await reference.stop() }
        try? FileManager.default.removeItem(atPath: folder)
    }
}

import Foundation
import ParleyConfig
import Testing

@Suite("Secrets never leak")
struct SecretTests {
    static let secrets = ["s3cr3t-erp-token", "s3cr3t-hook", "s3cr3t-api", "s3cr3t-pms-file"]

    static func config(erpToken: String = "${ERP_TOKEN}", extra: String = "") -> String {
        """
        server: {host: 0.0.0.0, port: 8080, apiToken: "${API_TOKEN}"}
        systems:
          erp:
            connector: contract
            url: http://erp.example
            token: \(erpToken)
            webhookSecret: s3cr3t-hook
          pms:
            connector: contract
            url: http://pms.example
            tokenFile: pms.token
        \(extra)
        flows:
          - name: customers
            left: erp.customer
            right: pms.customer
            properties:
              - {erp: name, pms: display_name}
        """
    }

    /// A folder with `pms.token`, removed after `body`.
    static func withTokenFolder<T>(_ body: (String) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "s3cr3t-pms-file\n".write(to: folder.appendingPathComponent("pms.token"), atomically: true, encoding: .utf8)
        return try body(folder.path)
    }

    static let environment = ["ERP_TOKEN": "s3cr3t-erp-token", "API_TOKEN": "s3cr3t-api"]

    @Test("a Secret prints as *** and reveals its value only on request")
    func secretValue() {
        let secret = Secret("hunter2")
        #expect(secret.description == "***")
        #expect(secret.debugDescription == "***")
        #expect("\(secret)" == "***")
        #expect(String(reflecting: secret) == "***")
        #expect(String(describing: Optional(secret)) == "Optional(***)")
        #expect(Mirror(reflecting: secret).children.isEmpty)
        #expect(secret.reveal() == "hunter2")
    }

    @Test("tokens from the environment, inline and from a file relative to the config are loaded, and never printed")
    func configDoesNotLeak() throws {
        let config = try Self.withTokenFolder { folder in
            try ConfigLoader.load(yaml: Self.config(), configPath: "\(folder)/parley.yaml", environment: Self.environment)
        }
        guard case .contract(let erp) = config.systems[0].connector, case .contract(let pms) = config.systems[1].connector else {
            Issue.record("expected contract connectors")
            return
        }
        #expect(erp.token?.reveal() == "s3cr3t-erp-token")
        #expect(erp.webhookSecret?.reveal() == "s3cr3t-hook")
        #expect(pms.token?.reveal() == "s3cr3t-pms-file")
        #expect(config.server?.apiToken?.reveal() == "s3cr3t-api")
        var dumped = ""
        dump(config, to: &dumped)
        for text in [String(describing: config), String(reflecting: config), "\(config.systems)", dumped] {
            #expect(text.contains("***"))
            for secret in Self.secrets { #expect(!text.contains(secret)) }
        }
    }

    @Test("a password in a state URL is not printed")
    func statePassword() throws {
        let config = try Fixture.load("state: postgres://parley:s3cr3t-pw@db.internal:5432/parley?sslmode=require\n" + Configs.customers())
        #expect(config.state == "postgres://parley:s3cr3t-pw@db.internal:5432/parley?sslmode=require")
        var dumped = ""
        dump(config, to: &dumped)
        for text in [String(describing: config), String(reflecting: config), dumped] {
            #expect(text.contains("postgres://parley:***@db.internal:5432/parley?sslmode=require"))
            #expect(!text.contains("s3cr3t-pw"))
        }
        let plain = try Fixture.load("state: postgres://db.internal/parley\n" + Configs.customers())
        #expect(String(describing: plain).contains("state: \"postgres://db.internal/parley\""))
    }

    @Test("errors around secrets name the keys, never the values")
    func errorsDoNotLeak() throws {
        let errors = try Self.withTokenFolder { folder -> ConfigErrors? in
            do {
                _ = try ConfigLoader.load(
                    yaml: Self.config(extra: "    tokn: s3cr3t-erp-token"), configPath: "\(folder)/parley.yaml", environment: ["ERP_TOKEN": "s3cr3t-erp-token"]
                )
                return nil
            } catch let error as ConfigErrors {
                return error
            }
        }
        #expect(errors?.description == """
            parley.yaml:1: server.apiToken: environment variable API_TOKEN is not set (write ${API_TOKEN:-default} to give a default)
            parley.yaml:12: systems.pms.tokn: unknown key 'tokn' (did you mean 'token'?)
            """)
        for secret in Self.secrets { #expect(errors?.description.contains(secret) == false) }
    }

    @Test("a YAML syntax error on a line holding a secret does not quote the line")
    func syntaxErrorDoesNotLeak() {
        let issues = Fixture.loadIssues(Self.config(erpToken: "\"s3cr3t-erp-token"))
        #expect(issues.count == 1)
        #expect(issues.allSatisfy { !$0.message.contains("s3cr3t") })
    }

    @Test("token and tokenFile together, a token that is not text, a missing or empty token file")
    func secretMistakes() throws {
        let yaml = """
            systems:
              erp:
                connector: contract
                url: http://erp.example
                token: s3cr3t-erp-token
                tokenFile: erp.token
              pms:
                connector: contract
                url: http://pms.example
                token: [s3cr3t-erp-token]
                webhookSecretFile: empty.secret
            flows:
              - {name: customers, left: erp.customer, right: pms.customer, properties: [{erp: name, pms: display_name}]}
            """
        let issues = try Self.withTokenFolder { folder -> [String] in
            try "\n".write(toFile: "\(folder)/empty.secret", atomically: true, encoding: .utf8)
            do {
                _ = try ConfigLoader.load(yaml: yaml, configPath: "\(folder)/parley.yaml", environment: [:])
                return []
            } catch let error as ConfigErrors {
                return error.issues.map { $0.text.replacingOccurrences(of: folder, with: "<dir>") }
            }
        }
        #expect(issues == [
            "6: systems.erp.tokenFile: give either 'token' or 'tokenFile', not both",
            "10: systems.pms.token: expected text, found a list",
            "11: systems.pms.webhookSecretFile: file '<dir>/empty.secret' is empty",
        ])
        let missing = Fixture.loadIssues(yaml.replacingOccurrences(of: "    token: s3cr3t-erp-token\n", with: ""))
        #expect(missing.first?.text == "5: systems.erp.tokenFile: file '/etc/parley/erp.token' does not exist")
    }
}

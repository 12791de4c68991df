import ParleyConfig
import Testing

@Suite("Environment variables in values")
struct EnvironmentTests {
    static func config(title: String, url: String = "http://erp.example", port: String = "8080") -> String {
        """
        server:
          port: \(port)
        systems:
          erp:
            title: \(title)
            connector: contract
            url: \(url)
          pms: {connector: contract, url: "http://pms.example"}
        flows:
          - name: customers
            left: erp.customer
            right: pms.customer
            properties:
              - {erp: name, pms: display_name}
        """
    }

    static func title(_ template: String, _ environment: [String: String]) throws -> String {
        try Fixture.load(config(title: template), environment: environment).systems[0].title
    }

    @Test("${VAR} takes the variable's value")
    func plain() throws {
        #expect(try Self.title("${NAME}", ["NAME": "Finance ERP"]) == "Finance ERP")
        #expect(try Self.title("ERP (${SITE}/${ENV})", ["SITE": "oslo", "ENV": "prod"]) == "ERP (oslo/prod)")
    }

    @Test("${VAR:-default} takes the default when the variable is unset or empty")
    func defaults() throws {
        #expect(try Self.title("${NAME:-Custom ERP}", [:]) == "Custom ERP")
        #expect(try Self.title("${NAME:-Custom ERP}", ["NAME": ""]) == "Custom ERP")
        #expect(try Self.title("${NAME:-Custom ERP}", ["NAME": "Finance"]) == "Finance")
        #expect(try Self.title("x${NAME:-}y", [:]) == "xy")
    }

    @Test("$$ is a literal dollar, and a $ not followed by { stays as it is")
    func dollars() throws {
        #expect(try Self.title("cost $$${PRICE}", ["PRICE": "5"]) == "cost $5")
        #expect(try Self.title("$${NAME}", [:]) == "${NAME}")
        #expect(try Self.title("US$ 5", [:]) == "US$ 5")
    }

    @Test("expanded values are then read as the key's type")
    func typed() throws {
        let config = try Fixture.load(Self.config(title: "ERP", url: "${ERP_URL}", port: "${PORT:-8080}"), environment: ["ERP_URL": "https://erp.internal:8443", "PORT": "9090"])
        #expect(config.server?.port == 9090)
        #expect(config.systems[0].connector == .contract(ContractSettings(url: "https://erp.internal:8443")))
        let bad = Fixture.loadIssues(Self.config(title: "ERP", port: "${PORT}"), environment: ["PORT": "eighty"])
        #expect(bad.map(\.text) == ["2: server.port: expected a whole number from 0 to 65535, found 'eighty'"])
    }

    @Test("a missing variable without a default is an error naming the variable and the key, with no follow-up issues")
    func missing() {
        let issues = Fixture.loadIssues(Self.config(title: "${TITLE}", url: "${ERP_URL}"))
        #expect(issues.map(\.text) == [
            "5: systems.erp.title: environment variable TITLE is not set (write ${TITLE:-default} to give a default)",
            "7: systems.erp.url: environment variable ERP_URL is not set (write ${ERP_URL:-default} to give a default)",
        ])
    }

    @Test("every missing variable of one value is reported")
    func severalMissing() {
        let issues = Fixture.loadIssues(Self.config(title: "${A}-${B}-${C:-c}"))
        #expect(issues.map(\.text) == [
            "5: systems.erp.title: environment variable A is not set (write ${A:-default} to give a default)",
            "5: systems.erp.title: environment variable B is not set (write ${B:-default} to give a default)",
        ])
    }

    @Test("malformed references are errors")
    func malformed() {
        #expect(Fixture.loadIssues(Self.config(title: "'${NAME'")).map(\.text) == [
            "5: systems.erp.title: unterminated '${' (write '$$' for a literal '$')"
        ])
        #expect(Fixture.loadIssues(Self.config(title: "'${1ST}'")).map(\.text) == [
            "5: systems.erp.title: invalid environment variable name in '${…}' (expected letters, digits and '_')"
        ])
    }
}

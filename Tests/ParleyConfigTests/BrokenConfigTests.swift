import ParleyConfig
import Testing

@Suite("A broken configuration reports every problem at once")
struct BrokenConfigTests {
    static let yaml = """
        state: parley.sqlite
        pollInterval: 5 seconds
        breaker: {maxDeleteShare: 1.5, minRecords: 20}
        systems:
          erp:
            connector: contract
            url: ${ERP_URL}
            tokn: abc
            concurrency: zero
          pms:
            connector: contrakt
            url: http://pms.example
        flows:
          - name: customers
            left: erp.customer
            right: pmss.customer
            properties:
              - {erp: name, pms: display_name}
          - name: customers
            left: erp.project
            right: pms.project
            direction: sideways
            priority: crm
            deletes: archive
            properties:
              - {erp: customerId, pms: customer_id, reference: clients}
              - {erp: budget, pms: budget_cents, convert: {scale: 25}}
              - {erp: name}
              - {erp: status, pms: state, ignorecase: true}
        """

    static let expected = [
        "parley.yaml:2: pollInterval: expected a duration such as 500ms, 5s, 2m or 1h, found '5 seconds'",
        "parley.yaml:3: breaker.maxDeleteShare: expected a number from 0.0 to 1.0, found '1.5'",
        "parley.yaml:7: systems.erp.url: environment variable ERP_URL is not set (write ${ERP_URL:-default} to give a default)",
        "parley.yaml:8: systems.erp.tokn: unknown key 'tokn' (did you mean 'token'?)",
        "parley.yaml:9: systems.erp.concurrency: expected a whole number from 1 to 1024, found 'zero'",
        "parley.yaml:11: systems.pms.connector: unknown connector 'contrakt' (did you mean 'contract'?)",
        "parley.yaml:16: flows[0].right: unknown system 'pmss' (did you mean 'pms'?); systems: erp, pms",
        "parley.yaml:19: flows[1].name: duplicate flow name 'customers' (also used by flows[0])",
        "parley.yaml:22: flows[1].direction: expected one of both | left-to-right | right-to-left, found 'sideways'",
        "parley.yaml:23: flows[1].priority: 'crm' is not a side of this flow (expected erp, pms, left, right)",
        "parley.yaml:24: flows[1].deletes: deletes: archive needs an 'archive:' marker ({property: …, value: …}) for at least one side",
        "parley.yaml:26: flows[1].properties[0].reference: unknown flow 'clients'",
        "parley.yaml:27: flows[1].properties[1].convert.scale: expected a power of ten such as 10, 100 or 0.01 (right = left × factor), found '25'",
        "parley.yaml:28: flows[1].properties[2]: missing the right property: add 'pms' (or 'right')",
        "parley.yaml:29: flows[1].properties[3].ignorecase: unknown key 'ignorecase' (did you mean 'ignoreCase'?)",
    ]

    @Test("fifteen mistakes, fifteen issues, each with its path and line")
    func allIssues() {
        do {
            _ = try ConfigLoader.load(yaml: Self.yaml, configPath: "/srv/parley.yaml", environment: [:])
            Issue.record("the broken configuration loaded")
        } catch {
            #expect(error.file == "parley.yaml")
            #expect(error.description.split(separator: "\n").map(String.init) == Self.expected)
            #expect(error.issues.count == 15)
            #expect(error.issues.first == ConfigIssue(path: "pollInterval", line: 2, message: "expected a duration such as 500ms, 5s, 2m or 1h, found '5 seconds'"))
        }
    }

    @Test("a YAML syntax error is reported with its line")
    func syntaxError() {
        let issues = Fixture.loadIssues("systems:\n  erp: {connector: contract\nflows: []\n")
        #expect(issues.map(\.text) == ["3: YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping on line 2)"])
    }

    @Test("a duplicate key (such as a system defined twice) is reported with its line")
    func duplicateKey() {
        let yaml = """
            systems:
              erp: {connector: contract, url: "http://a"}
              erp: {connector: contract, url: "http://b"}
            flows: []
            """
        #expect(Fixture.loadIssues(yaml).map(\.text) == ["2: YAML syntax error: duplicate key 'erp' in one mapping"])
    }

    @Test("an empty file and a file that is not a mapping")
    func emptyOrScalar() {
        #expect(Fixture.loadIssues("").map(\.text) == ["the file is empty"])
        #expect(Fixture.loadIssues("- a\n- b\n").map(\.text) == ["1: expected a mapping (key: value), found a list"])
    }

    @Test("a missing file names the path")
    func missingFile() {
        #expect(throws: ConfigErrors(file: "nope.yaml", issues: [ConfigIssue(path: "", line: nil, message: "the configuration file '/nonexistent/nope.yaml' does not exist")])) {
            try ConfigLoader.load(path: "/nonexistent/nope.yaml", environment: [:])
        }
    }
}

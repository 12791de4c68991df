import ParleyConfig
import ParleyCore
import Testing

/// Each structural rule of the loader, with a failing example and its exact issue.
@Suite("Loader rules")
struct LoaderRuleTests {
    @Test("top-level settings: defaults, relative and URL state, durations")
    func topLevel() throws {
        let defaults = try Fixture.load(Configs.customers())
        #expect(defaults.state == "/etc/parley/parley-state.sqlite")
        #expect(defaults.pollIntervalMillis == 5_000)
        #expect(defaults.breaker == BreakerSettings(maxDeleteShare: 0.2, minRecords: 20))
        #expect(defaults.server == nil)
        #expect(defaults.configFileName == "parley.yaml")

        let custom = try Fixture.load("state: ../var/links.sqlite\npollInterval: 1m30s\nbreaker: {maxDeleteShare: 0.05, minRecords: 0, window: 1h}\n" + Configs.customers())
        #expect(custom.state == "/etc/var/links.sqlite")
        #expect(custom.pollIntervalMillis == 90_000)
        #expect(custom.breaker == BreakerSettings(maxDeleteShare: 0.05, minRecords: 0, windowMillis: 3_600_000))
        #expect(try Fixture.load("state: postgres://db/parley\n" + Configs.customers()).state == "postgres://db/parley")
        #expect(try Fixture.load("state: /var/lib/parley/state.sqlite\n" + Configs.customers()).state == "/var/lib/parley/state.sqlite")
        for (text, millis) in [("500ms", 500), ("5s", 5_000), ("2m", 120_000), ("1h", 3_600_000)] {
            #expect(try Fixture.load("pollInterval: \(text)\n" + Configs.customers()).pollIntervalMillis == millis)
        }
    }

    @Test("bad durations, numbers and booleans")
    func badValues() {
        let yaml = """
            pollInterval: 0s
            breaker: {maxDeleteShare: lots, minRecords: -1, window: soon}
            server: {port: 70000}
            systems:
              erp: {connector: contract, url: "http://erp.example", timeout: "5", concurrency: 0, insecureSkipTLSVerify: yes}
              pms: {connector: contract, url: "ftp://pms.example"}
            flows:
              - {name: customers, left: erp.customer, right: pms.customer, properties: [{erp: name, pms: display_name}]}
            """
        #expect(Fixture.loadIssues(yaml).map(\.text) == [
            "1: pollInterval: expected a duration such as 500ms, 5s, 2m or 1h, found '0s'",
            "2: breaker.maxDeleteShare: expected a number from 0.0 to 1.0, found 'lots'",
            "2: breaker.minRecords: expected a whole number from 0 to 1000000000, found '-1'",
            "2: breaker.window: expected a duration such as 500ms, 5s, 2m or 1h, found 'soon'",
            "3: server.port: expected a whole number from 0 to 65535, found '70000'",
            "5: systems.erp.timeout: expected a duration such as 500ms, 5s, 2m or 1h, found '5'",
            "5: systems.erp.concurrency: expected a whole number from 1 to 1024, found '0'",
            "5: systems.erp.insecureSkipTLSVerify: expected true or false, found 'yes'",
            "6: systems.pms.url: expected an http:// or https:// URL, found 'ftp://pms.example'",
        ])
    }

    @Test("unknown keys, with a suggestion when one is close and the accepted keys otherwise")
    func unknownKeys() {
        let yaml = """
            pollIntervall: 5s
            systems:
              erp: {connector: contract, url: "http://erp.example", colour: blue}
              pms: {connector: contract, url: "http://pms.example"}
            flows:
              - name: customers
                left: erp.customer
                right: pms.customer
                delete: archive
                properties:
                  - {erp: name, pms: display_name, ignore_case: true}
            """
        #expect(Fixture.loadIssues(yaml).map(\.text) == [
            "1: pollIntervall: unknown key 'pollIntervall' (did you mean 'pollInterval'?)",
            "3: systems.erp.colour: unknown key 'colour' (expected one of: title, connector, url, token, tokenFile, webhookSecret, webhookSecretFile, timeout, concurrency, insecureSkipTLSVerify)",
            "9: flows[0].delete: unknown key 'delete' (did you mean 'deletes'?)",
            "11: flows[0].properties[0].ignore_case: unknown key 'ignore_case' (did you mean 'ignoreCase'?)",
        ])
    }

    @Test("missing required keys")
    func missingKeys() {
        #expect(Fixture.loadIssues("pollInterval: 5s\n").map(\.text) == [
            "1: missing required key 'systems'",
            "1: missing required key 'flows'",
        ])
        let yaml = """
            systems:
              erp: {url: "http://erp.example"}
              pms: {connector: contract}
            flows:
              - name: customers
                right: pms.customer
              - left: erp.project
                right: pms.project
                properties: []
            """
        #expect(Fixture.loadIssues(yaml).map(\.text) == [
            "2: systems.erp: missing required key 'connector'",
            "3: systems.pms: missing required key 'url'",
            "5: flows[0]: missing required key 'left'",
            "7: flows[1]: missing required key 'name'",
            "9: flows[1].properties: at least one property mapping is required",
        ])
    }

    @Test("empty systems and flows, and sections of the wrong shape")
    func shapes() {
        #expect(Fixture.loadIssues("systems: {}\nflows: []\n").map(\.text) == [
            "1: systems: at least one system is required",
            "2: flows: at least one flow is required",
        ])
        #expect(Fixture.loadIssues("systems: [erp, pms]\nflows: {customers: x}\n").map(\.text) == [
            "1: systems: expected a mapping from system names to their settings, found a list",
            "2: flows: expected a list of flows, found a mapping",
        ])
    }

    @Test("bad enumerated values, with suggestions")
    func badEnums() {
        let yaml = Configs.customers(
            "    direction: two-way",
            "    deletes: remove",
            "    onboarding: {erp: new, pms: all}",
            "    merge:",
            "      - [{erp: organizationNumber, pms: org_no, normalize: [digits]}]",
            "  - name: other",
            "    left: erp.project",
            "    right: pms.project",
            "    deletes: propogate",
            "    properties:",
            "      - {erp: name, pms: title, type: {erp: text}}"
        )
        #expect(Fixture.loadIssues(yaml).map(\.text) == [
            "11: flows[0].direction: expected one of both | left-to-right | right-to-left, found 'two-way'",
            "12: flows[0].deletes: expected one of ignore | archive | propagate, found 'remove'",
            "13: flows[0].onboarding.erp: expected one of all | new-only, found 'new'",
            "15: flows[0].merge[0][0].normalize[0]: expected one of trim | lowercase | digits-only | collapse-spaces, found 'digits'",
            "19: flows[1].deletes: expected one of ignore | archive | propagate, found 'propogate' (did you mean 'propagate'?)",
            "21: flows[1].properties[0].type.erp: expected one of string | integer | float | decimal | boolean | date | datetime | enum | reference, found 'text'",
        ])
    }

    @Test("system names: invalid, reserved, unknown connector")
    func systemNames() {
        let yaml = """
            systems:
              left: {connector: contract, url: "http://a.example"}
              "my erp": {connector: contract, url: "http://b.example"}
              pms: {connector: soap, url: "http://c.example"}
            flows:
              - {name: customers, left: pms.customer, right: pms.project, properties: [{left: name, right: title}]}
            """
        #expect(Fixture.loadIssues(yaml).map(\.text) == [
            "2: systems.left: 'left' is reserved (flows use left/right to name their sides); choose another system name",
            "3: systems.my erp: 'my erp' is not a valid system name (expected a letter, then letters, digits, '_' or '-')",
            "4: systems.pms.connector: unknown connector 'soap' (expected one of: contract, rest, sql, exec)",
        ])
    }

    @Test("flow sides: unknown system, malformed datatype, the same datatype twice")
    func flowSides() {
        let yaml = Configs.customers(
            "  - {name: a, left: crm.account, right: pms.customer, properties: [{crm: x, pms: y}]}",
            "  - {name: b, left: erp, right: pms.project, properties: [{erp: x, pms: y}]}",
            "  - {name: c, left: pms.task, right: pms.task, properties: [{left: title, right: title}]}"
        )
        #expect(Fixture.loadIssues(yaml).map(\.text) == [
            "11: flows[1].left: unknown system 'crm'; systems: erp, pms",
            "12: flows[2].left: expected <system>.<datatype> such as erp.customer, found 'erp'",
            "13: flows[3].right: a flow needs two different datatypes, found pms.task on both sides",
        ])
    }

    @Test("duplicate flow names and two flows over the same datatypes")
    func duplicateFlows() {
        let yaml = Configs.customers(
            "  - {name: customers, left: erp.project, right: pms.project, properties: [{erp: name, pms: title}]}",
            "  - {name: clients, left: pms.customer, right: erp.customer, properties: [{pms: city, erp: address.city}]}"
        )
        #expect(Fixture.loadIssues(yaml).map(\.text) == [
            "11: flows[1].name: duplicate flow name 'customers' (also used by flows[0])",
            "12: flows[2]: pms.customer and erp.customer are already synced by flow 'customers'",
        ])
    }

    @Test("priority and owner must name a side of the flow")
    func sides() {
        let yaml = Configs.customers(
            "      - {erp: email, pms: contact_email, owner: crm}",
            "      - {erp: phone, pms: contact_phone, owner: right}",
            "    priority: pmss"
        )
        #expect(Fixture.loadIssues(yaml).map(\.text) == [
            "11: flows[0].properties[2].owner: 'crm' is not a side of this flow (expected erp, pms, left, right)",
            "13: flows[0].priority: 'pmss' is not a side of this flow (expected erp, pms, left, right) (did you mean 'pms'?)",
        ])
        let config = try? Fixture.load(Configs.customers("      - {erp: phone, pms: contact_phone, owner: right, direction: left-to-right}", "    priority: pms"))
        #expect(config?.flows[0].priority?.value == .right)
        #expect(config?.flows[0].properties[2].owner?.value == .right)
        #expect(config?.flows[0].properties[2].direction?.value == .leftToRight)
    }

    @Test("property entries: a missing side, a side named twice, a property mapped twice")
    func propertyEntries() {
        let yaml = Configs.customers(
            "      - {pms: city}",
            "      - {erp: email, left: phone, pms: contact_email}",
            "      - {erp: name, pms: homepage}",
            "      - {erp: website, pms: display_name}",
            "      - {erp: '', pms: country}"
        )
        #expect(Fixture.loadIssues(yaml).map(\.text) == [
            "11: flows[0].properties[2]: missing the left property: add 'erp' (or 'left')",
            "12: flows[0].properties[3].left: 'erp' and 'left' both name the left side",
            "13: flows[0].properties[4].erp: 'name' is already mapped by flows[0].properties[0]",
            "14: flows[0].properties[5].pms: 'display_name' is already mapped by flows[0].properties[0]",
            "15: flows[0].properties[6].erp: must not be empty",
        ])
    }

    @Test("a flow between datatypes of one system names its sides left and right")
    func sameSystem() throws {
        let yaml = """
            systems:
              pms: {connector: contract, url: "http://pms.example"}
            flows:
              - name: tasks
                left: pms.project
                right: pms.task
                properties:
                  - {left: title, right: title}
                  - {pms: summary, right: title}
            """
        #expect(Fixture.loadIssues(yaml).map(\.text) == [
            "9: flows[0].properties[1].pms: unknown key 'pms' (expected one of: left, right, convert, reference, owner, direction, ignoreCase, type)",
            "9: flows[0].properties[1]: missing the left property: add 'left'",
        ])
    }

    @Test("conversions: unknown names, a scale that is not a power of ten, an empty map")
    func conversions() throws {
        let yaml = Configs.customers(
            "      - {erp: isActive, pms: archived, convert: negated}",
            "      - {erp: phone, pms: contact_phone, convert: {scale: 25}}",
            "      - {erp: email, pms: contact_email, convert: {map: {}}}",
            "      - {erp: website, pms: homepage, convert: {round: 2}}",
            "      - {erp: address.city, pms: city, convert: scale}"
        )
        #expect(Fixture.loadIssues(yaml).map(\.text) == [
            "11: flows[0].properties[2].convert: unknown conversion 'negated' (did you mean 'negate'?); expected negate, country-alpha2-alpha3, {scale: N} or {map: {…}}",
            "12: flows[0].properties[3].convert.scale: expected a power of ten such as 10, 100 or 0.01 (right = left × factor), found '25'",
            "13: flows[0].properties[4].convert.map: the map is empty",
            "14: flows[0].properties[5].convert.round: unknown conversion 'round'; expected negate, country-alpha2-alpha3, {scale: N} or {map: {…}}",
            "15: flows[0].properties[6].convert: 'scale' needs a value: write {scale: …}",
        ])
        let scales = try ["1", "10", "1000", "0.1", "0.001"].map { factor in
            try Fixture.load(Configs.customers("      - {erp: phone, pms: contact_phone, convert: {scale: \(factor)}}")).flows[0].properties[2].conversion?.value
        }
        #expect(scales == [.scale(power: 0), .scale(power: 1), .scale(power: 3), .scale(power: -1), .scale(power: -3)])
    }

    @Test("deletes: archive needs a marker; markers need a property and a value")
    func archive() {
        let yaml = Configs.customers(
            "    deletes: archive",
            "  - name: projects",
            "    left: erp.project",
            "    right: pms.project",
            "    deletes: archive",
            "    archive: {erp: {property: isActive}, pms: {value: true}}",
            "    properties: [{erp: name, pms: title}]"
        )
        #expect(Fixture.loadIssues(yaml).map(\.text) == [
            "11: flows[0].deletes: deletes: archive needs an 'archive:' marker ({property: …, value: …}) for at least one side",
            "16: flows[1].archive.erp: missing required key 'value'",
            "16: flows[1].archive.pms: missing required key 'property'",
        ])
        #expect(Fixture.loadIssues(Configs.customers("    deletes: archive", "    archive: {}")).map(\.text) == [
            "11: flows[0].deletes: deletes: archive needs an 'archive:' marker ({property: …, value: …}) for at least one side"
        ])
    }

    @Test("references must name a flow, and flows must not reference each other in a cycle")
    func references() {
        let yaml = Configs.projects(
            "      - {erp: description, pms: summary, reference: project}",
            "  - name: tasks-a",
            "    left: erp.customer",
            "    right: pms.task",
            "    properties: [{erp: name, pms: title, reference: tasks-b}]",
            "  - name: tasks-b",
            "    left: erp.project",
            "    right: pms.task",
            "    properties: [{erp: name, pms: project_id, reference: tasks-a}]"
        )
        #expect(Fixture.loadIssues(yaml).map(\.text) == [
            "18: flows[1].properties[3].reference: unknown flow 'project' (did you mean 'projects'?)",
            "22: flows[2].properties[0].reference: flows reference each other in a cycle: tasks-a → tasks-b → tasks-a",
        ])
    }

    @Test("a management API on a public address needs a token")
    func serverToken() throws {
        #expect(Fixture.loadIssues("server: {host: 0.0.0.0}\n" + Configs.customers()).map(\.text) == [
            "1: server.host: the management API would listen on '0.0.0.0' without authentication; set apiToken or apiTokenFile"
        ])
        let config = try Fixture.load("server: {host: 0.0.0.0, port: 0, apiToken: t0ken}\n" + Configs.customers())
        #expect(config.server == ServerSettings(host: "0.0.0.0", port: 0, apiToken: Secret("t0ken")))
    }

    @Test("merge criteria: a single pair without the inner list, several pairs, normalizations")
    func merge() throws {
        let config = try Fixture.load(Configs.customers(
            "    merge:",
            "      - {erp: customerNumber, pms: erp_number, normalize: trim}",
            "      - [{erp: name, pms: display_name, normalize: [collapse-spaces, lowercase]}, {erp: address.city, pms: city}]"
        ))
        #expect(config.flows[0].merge.map { $0.pairs.map { "\($0.left.value)=\($0.right.value) \($0.normalize.map(\.rawValue))" } } == [
            ["customerNumber=erp_number [\"trim\"]"],
            ["name=display_name [\"collapse-spaces\", \"lowercase\"]", "address.city=city []"],
        ])
        #expect(Fixture.loadIssues(Configs.customers("    merge: [[], organizationNumber]")).map(\.text) == [
            "11: flows[0].merge[0]: a merge criterion needs at least one property pair",
            "11: flows[0].merge[1]: expected a list of property pairs such as [{erp: …, pms: …}], found 'organizationNumber'",
        ])
    }

    @Test("the loaded flow remembers paths and lines for later errors")
    func locations() throws {
        let flow = try Fixture.load(Configs.projects()).flows[1]
        #expect(flow.location == ConfigLocation(path: "flows[1]", line: 11))
        #expect(flow.name == Located("projects", at: ConfigLocation(path: "flows[1].name", line: 11)))
        #expect(flow.right == Located(DatatypeRef(system: "pms", datatype: "project"), at: ConfigLocation(path: "flows[1].right", line: 13)))
        #expect(flow.properties[2].right == Located("customer_id", at: ConfigLocation(path: "flows[1].properties[2].pms", line: 17)))
        #expect(flow.properties[2].reference == Located("customers", at: ConfigLocation(path: "flows[1].properties[2].reference", line: 17)))
    }
}

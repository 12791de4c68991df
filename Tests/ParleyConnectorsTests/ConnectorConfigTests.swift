import Foundation
import ParleyConfig
import ParleyCore
import Testing

@Suite("Configuration of rest, sql and exec systems")
struct ConnectorConfigTests {
    static func issues(_ yaml: String, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try ConfigLoader.load(yaml: yaml, configPath: "/srv/parley.yaml", environment: environment)
            return []
        } catch {
            return error.description.split(separator: "\n").map(String.init)
        }
    }

    static let flows = """
        flows:
          - name: customers
            left: erp.customer
            right: pms.client
            properties:
              - {erp: name, pms: name}
        """

    @Test("a broken sql system: every problem at once, with path and line, the password never shown")
    func brokenSQL() {
        let yaml = """
            systems:
              erp:
                connector: sql
                driver: postgres
                url: postgres://sync:hunter2@db.example/erp
                password: ${ERP_PASSWORD:-x}
                path: erp.sqlite
                listen: bad channel
                datatypes:
                  customer:
                    table: customers; DROP TABLE x
                    id: {column: id, type: uuid}
                    changeMarker: {column: updated_at, type: timestamp}
                    properties:
                      name: {type: strng}
                      status: {type: enum}
                      address.city: string
                      customerId: {type: reference, references: clients}
                      code: {type: string, column: "code\\"; --"}
              pms:
                connector: sql
                driver: sqlite
                path: missing.sqlite
                datatypes:
                  client:
                    table: clients
                    properties: {name: string}
            """ + "\n" + Self.flows
        let found = Self.issues(yaml)
        #expect(found == [
            "parley.yaml:5: systems.erp.url: the URL holds a password and 'password'/'passwordFile' is given too; give it once",
            "parley.yaml:7: systems.erp.path: 'path' does not apply to driver postgres",
            "parley.yaml:8: systems.erp.listen: 'bad channel' is not a valid channel name (a letter or '_', then letters, digits, '_')",
            "parley.yaml:11: systems.erp.datatypes.customer.table: 'customers; DROP TABLE x' is not a name or schema.name (a letter or '_', then letters, digits, '_' or '$'; at most 63 characters)",
            "parley.yaml:12: systems.erp.datatypes.customer.id.type: expected one of string | integer, found 'uuid'",
            "parley.yaml:13: systems.erp.datatypes.customer.changeMarker.type: expected one of datetime | epoch-millis, found 'timestamp'",
            "parley.yaml:15: systems.erp.datatypes.customer.properties.name.type: expected one of string | integer | float | decimal | boolean | date | datetime | enum | reference, found 'strng' (did you mean 'string'?)",
            "parley.yaml:16: systems.erp.datatypes.customer.properties.status: missing required key 'values' (the enum's values)",
            "parley.yaml:17: systems.erp.datatypes.customer.properties.address.city: 'address.city' is not a column name; give its column: {type: …, column: <column>}",
            "parley.yaml:18: systems.erp.datatypes.customer.properties.customerId.references: unknown datatype 'clients' of erp; erp declares: customer",
            "parley.yaml:19: systems.erp.datatypes.customer.properties.code.column: 'code\"; --' is not a column name (a letter or '_', then letters, digits, '_' or '$'; at most 63 characters)",
            "parley.yaml:23: systems.pms.path: file '/srv/missing.sqlite' does not exist (Parley does not create the tables it syncs)",
        ])
        #expect(!found.joined().contains("hunter2"))
    }

    @Test("a broken rest system: every problem at once")
    func brokenREST() {
        let yaml = """
            systems:
              erp:
                connector: contract
                url: http://erp.example
              pms:
                connector: rest
                url: ftp://pms.example
                auth: {apiKey: {header: "X Api Key", value: "${PMS_KEY:-secret}"}, bearer: abc}
                rateLimit: 10 per second
                datatypes:
                  client:
                    collection: clients
                    item: /clients/{uuid}
                    records: projects
                    pagination: {style: offset, size: 0, total: total, nextPage: 2}
                    changes: {since: updated_since, format: iso}
                    update: POST
                    filter: [{field: parent_id, empty: maybe}, {field: kind}]
                    onCreate: {slug: "{name|kebab}-{key"}
                    properties: {name: string}
            """ + "\n" + Self.flows
        #expect(Self.issues(yaml) == [
            "parley.yaml:7: systems.pms.url: expected an http:// or https:// URL, found 'ftp://pms.example'",
            "parley.yaml:8: systems.pms.auth: give one kind of authentication, found: bearer, apiKey",
            "parley.yaml:9: systems.pms.rateLimit: expected a rate such as 10/s, 600/m or 3600/h, found '10 per second'",
            "parley.yaml:12: systems.pms.datatypes.client.collection: expected a path starting with '/', found 'clients'",
            "parley.yaml:13: systems.pms.datatypes.client.item: unknown placeholder {uuid} (this path takes only {id})",
            "parley.yaml:13: systems.pms.datatypes.client.item: the item path must contain {id}, e.g. /projects/{id}",
            "parley.yaml:14: systems.pms.datatypes.client.records: expected a JSON pointer such as /projects (or \"\" for the whole body), found 'projects'",
            "parley.yaml:15: systems.pms.datatypes.client.pagination.nextPage: unknown key 'nextPage' (expected one of: style, param, limitParam, size, total)",
            "parley.yaml:15: systems.pms.datatypes.client.pagination.size: expected a whole number from 1 to 10000, found '0'",
            "parley.yaml:15: systems.pms.datatypes.client.pagination.total: expected a JSON pointer such as /total, found 'total'",
            "parley.yaml:16: systems.pms.datatypes.client.changes.format: expected one of rfc3339 | epoch-millis | epoch-seconds, found 'iso'",
            "parley.yaml:16: systems.pms.datatypes.client.changes: changes since a time need a changeMarker (the field telling when a record changed), e.g. changeMarker: {field: updated_at}",
            "parley.yaml:17: systems.pms.datatypes.client.update: expected one of PATCH | PUT, found 'POST' (did you mean 'PUT'?)",
            "parley.yaml:18: systems.pms.datatypes.client.filter[0].empty: expected true or false, found 'maybe'",
            "parley.yaml:18: systems.pms.datatypes.client.filter[1]: give exactly one condition (empty, equals, notEquals, in), found none",
            "parley.yaml:19: systems.pms.datatypes.client.onCreate.slug: unknown filter 'kebab' in '{name|kebab}-{key' (expected one of: slug, lower, upper, trim, digits)",
        ])
    }

    @Test("a broken exec system: every problem at once")
    func brokenExec() {
        let yaml = """
            systems:
              erp:
                connector: exec
                command: ./missing-connector.py
                args: [--data, {file: x}]
                env: {1BAD: x, GOOD: "${TOKEN}"}
                timeout: soon
              pms:
                connector: exec
                args: [x]
            """ + "\n" + Self.flows
        #expect(Self.issues(yaml) == [
            "parley.yaml:4: systems.erp.command: '/srv/missing-connector.py' is not an executable file",
            "parley.yaml:5: systems.erp.args[1]: expected text, found a mapping",
            "parley.yaml:6: systems.erp.env.GOOD: environment variable TOKEN is not set (write ${TOKEN:-default} to give a default)",
            "parley.yaml:6: systems.erp.env.1BAD: '1BAD' is not an environment variable name (letters, digits, '_', not starting with a digit)",
            "parley.yaml:7: systems.erp.timeout: expected a duration such as 500ms, 5s, 2m or 1h, found 'soon'",
            "parley.yaml:9: systems.pms: missing required key 'command'",
        ])
    }
}

import Foundation
import ParleyConfig
import ParleyCore
import Testing

@Suite("Default configuration")
struct DefaultConfigTests {
    @Test("loads with the documented defaults when no environment variable is set")
    func loads() throws {
        let config = try Fixture.load(DefaultConfig.yaml)
        #expect(config.configDirectory == "/etc/parley")
        #expect(config.state == "/etc/parley/parley-state.sqlite")
        #expect(config.pollIntervalMillis == 5_000)
        #expect(config.breaker == BreakerSettings(maxDeleteShare: 0.2, minRecords: 20))
        #expect(config.server == ServerSettings(host: "127.0.0.1", port: 8080, apiToken: nil))
        #expect(config.systems.map(\.name) == ["erp", "pms"])
        #expect(config.systems.map(\.title) == ["Custom ERP", "Custom PMS"])
        #expect(config.systems[0].connector == .contract(ContractSettings(url: "http://127.0.0.1:8081", timeoutMillis: 10_000, concurrency: 8)))
        #expect(config.systems[1].connector == .contract(ContractSettings(url: "http://127.0.0.1:8082", timeoutMillis: 10_000, concurrency: 8)))
        #expect(config.flows.map(\.name.value) == ["customers", "projects"])
    }

    @Test("takes URLs, tokens and the state location from the environment")
    func environment() throws {
        let config = try Fixture.load(
            DefaultConfig.yaml,
            environment: [
                "PARLEY_ERP_URL": "https://erp.example.com", "PARLEY_ERP_TOKEN": "erp-token",
                "PARLEY_PMS_URL": "https://pms.example.com/api", "PARLEY_PMS_WEBHOOK_SECRET": "hook",
                "PARLEY_STATE": "postgres://parley@db/parley",
            ]
        )
        #expect(config.state == "postgres://parley@db/parley")
        guard case .contract(let erp) = config.systems[0].connector, case .contract(let pms) = config.systems[1].connector else {
            Issue.record("expected contract connectors")
            return
        }
        #expect(erp.url == "https://erp.example.com")
        #expect(erp.token?.reveal() == "erp-token")
        #expect(erp.webhookSecret == nil)
        #expect(pms.url == "https://pms.example.com/api")
        #expect(pms.token == nil)
        #expect(pms.webhookSecret?.reveal() == "hook")
    }

    @Test("Examples/parley.yaml is the default configuration")
    func exampleFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let example = try String(contentsOf: root.appendingPathComponent("Examples/parley.yaml"), encoding: .utf8)
        #expect(example == DefaultConfig.yaml)
    }

    @Test("resolves against the reference schemas with zero issues, customers before projects")
    func resolves() throws {
        let flows = try Fixture.resolve(DefaultConfig.yaml)
        #expect(flows == [Self.customers, Self.projects])
    }

    @Test("maps exactly the property pairs of DESIGN.md's default flows tables")
    func designTables() throws {
        let flows = try Fixture.resolve(DefaultConfig.yaml)
        let pairs = flows.map { $0.properties.map { "\($0.left) <-> \($0.right)" } }
        #expect(pairs == [
            [
                "name <-> display_name", "organizationNumber <-> org_no", "customerNumber <-> erp_number", "email <-> contact_email",
                "phone <-> contact_phone", "website <-> homepage", "address.street <-> street_address",
                "address.postalCode <-> postal_code", "address.city <-> city", "address.countryCode <-> country",
                "isActive <-> archived",
            ],
            [
                "projectNumber <-> code", "name <-> title", "description <-> summary", "customerId <-> customer_id",
                "startDate <-> start_on", "endDate <-> due_on", "status <-> state", "budget <-> budget_cents",
                "projectManagerEmail <-> lead_email",
            ],
        ])
        #expect(flows.map { $0.properties.map(\.rightType.rawValue) } == [
            ["string", "string", "string", "string", "string", "string", "string", "string", "string", "string", "boolean"],
            ["string", "string", "string", "reference", "date", "date", "enum", "integer", "string"],
        ])
    }

    static let customers = FlowDefinition(
        name: "customers", left: DatatypeRef(system: "erp", datatype: "customer"),
        right: DatatypeRef(system: "pms", datatype: "customer"),
        properties: [
            PropertyMapping(left: "name", right: "display_name", leftType: .string, rightType: .string, requiredOn: [.left, .right]),
            PropertyMapping(left: "organizationNumber", right: "org_no", leftType: .string, rightType: .string),
            PropertyMapping(left: "customerNumber", right: "erp_number", leftType: .string, rightType: .string, requiredOn: [.left]),
            PropertyMapping(left: "email", right: "contact_email", leftType: .string, rightType: .string, ignoreCase: true),
            PropertyMapping(left: "phone", right: "contact_phone", leftType: .string, rightType: .string),
            PropertyMapping(left: "website", right: "homepage", leftType: .string, rightType: .string),
            PropertyMapping(left: "address.street", right: "street_address", leftType: .string, rightType: .string),
            PropertyMapping(left: "address.postalCode", right: "postal_code", leftType: .string, rightType: .string),
            PropertyMapping(left: "address.city", right: "city", leftType: .string, rightType: .string),
            PropertyMapping(
                left: "address.countryCode", right: "country", leftType: .string, rightType: .string, conversion: .countryAlpha2ToAlpha3
            ),
            PropertyMapping(left: "isActive", right: "archived", leftType: .boolean, rightType: .boolean, conversion: .negate),
        ],
        mergeCriteria: [
            MergeCriterion(pairs: [.init(left: "organizationNumber", right: "org_no", normalize: [.digitsOnly])]),
            MergeCriterion(pairs: [.init(left: "customerNumber", right: "erp_number", normalize: [.trim, .lowercase])]),
        ],
        conflict: ConflictPolicy(prioritySide: .left),
        deletes: .archive(
            left: ArchiveMarker(property: "isActive", value: false, restoreValue: true), right: ArchiveMarker(property: "archived", value: true, restoreValue: false)),
        direction: .both, onboarding: [.left: .all, .right: .all],
        createDefaults: [.left: ["customerNumber": "PMS-{id}"]]
    )

    static let projects = FlowDefinition(
        name: "projects", left: DatatypeRef(system: "erp", datatype: "project"),
        right: DatatypeRef(system: "pms", datatype: "project"),
        properties: [
            PropertyMapping(left: "projectNumber", right: "code", leftType: .string, rightType: .string, requiredOn: [.left, .right]),
            PropertyMapping(left: "name", right: "title", leftType: .string, rightType: .string, requiredOn: [.left, .right]),
            PropertyMapping(left: "description", right: "summary", leftType: .string, rightType: .string),
            PropertyMapping(
                left: "customerId", right: "customer_id", leftType: .reference, rightType: .reference,
                reference: ReferenceTarget(flow: "customers", leftNumeric: true, rightNumeric: false), requiredOn: [.left, .right]
            ),
            PropertyMapping(left: "startDate", right: "start_on", leftType: .date, rightType: .date),
            PropertyMapping(left: "endDate", right: "due_on", leftType: .date, rightType: .date),
            PropertyMapping(
                left: "status", right: "state", leftType: .enum, rightType: .enum,
                conversion: .enumMap(["PLANNED": "planned", "ACTIVE": "in_progress", "ON_HOLD": "paused", "COMPLETED": "done"])
            ),
            PropertyMapping(left: "budget", right: "budget_cents", leftType: .decimal, rightType: .integer, conversion: .scale(power: 2)),
            PropertyMapping(left: "projectManagerEmail", right: "lead_email", leftType: .string, rightType: .string, ignoreCase: true),
        ],
        mergeCriteria: [MergeCriterion(pairs: [.init(left: "projectNumber", right: "code", normalize: [.trim])])],
        conflict: ConflictPolicy(prioritySide: .left),
        deletes: .archive(
            left: ArchiveMarker(property: "isActive", value: false, restoreValue: true), right: ArchiveMarker(property: "archived", value: true, restoreValue: false)),
        direction: .both, onboarding: [.left: .all, .right: .all]
    )
}

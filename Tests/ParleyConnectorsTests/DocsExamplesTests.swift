import Foundation
import Logging
import ParleyConfig
import ParleyConnectors
import ParleyCore
import ParleyReference
import Testing

/// The complete examples in docs/configuration.md load, and their flows resolve against the real schemas
/// (the bundled reference systems', the example exec connector's, and the configured ones).
@Suite("docs/configuration.md examples")
struct DocsExamplesTests {
    static var root: String { ExecPMSSide.repositoryRoot }

    static func examples() throws -> [String] {
        let text = try String(contentsOfFile: root + "/docs/configuration.md", encoding: .utf8)
        return text.components(separatedBy: "```yaml\n").dropFirst().compactMap { $0.components(separatedBy: "```").first }
            .filter { $0.contains("systems:\n") && $0.contains("connector: ") && !$0.contains("# … connector-specific keys") }
    }

    @Test("each connector's complete example loads and resolves", arguments: ["sql", "rest", "exec"])
    func example(kind: String) async throws {
        let yaml = try #require(try Self.examples().first { $0.contains("connector: \(kind)\n") })
        var logger = Logger(label: "test.docs")
        logger.logLevel = .critical
        let erp = try await RunningReference.start(ReferenceOptions(kind: .erp), logger: logger)
        let pms = try await RunningReference.start(ReferenceOptions(kind: .pms), logger: logger)
        let environment = [
            "PARLEY_ERP_URL": erp.baseURL, "PARLEY_PMS_URL": pms.baseURL, "ERP_DB_PASSWORD": "secret", "ACME_API_KEY": "key",
        ]
        var connectors: [String: any ManagedConnector] = [:]
        do {
            let flows = yaml.contains("\nflows:") ? "" : String(DefaultConfig.yaml[try #require(DefaultConfig.yaml.range(of: "\nflows:")).lowerBound...])
            let config = try ConfigLoader.load(yaml: yaml + flows, configPath: Self.root + "/docs-example.yaml", environment: environment)
            var schemas: [String: SystemSchema] = [:]
            for system in config.systems {
                switch system.connector {
                case .sql(let settings): schemas[system.name] = SystemSchema(system: system.name, name: system.title, datatypes: settings.datatypes.map(\.schema))
                case .rest(let settings): schemas[system.name] = SystemSchema(system: system.name, name: system.title, datatypes: settings.datatypes.map(\.schema))
                case .contract, .exec:
                    let connector = try ConnectorFactory.make(system, scanStatePath: NSTemporaryDirectory() + "/unused-\(UUID().uuidString).sqlite")
                    connectors[system.name] = connector
                    schemas[system.name] = try await connector.schema()
                }
            }
            let resolved = try resolveFlows(config, schemas: schemas).get()
            #expect(resolved.map(\.name) == ["customers", "projects"])
        } catch {
            for connector in connectors.values { await connector.shutdown() }
            await erp.stop()
            await pms.stop()
            throw error
        }
        for connector in connectors.values { await connector.shutdown() }
        await erp.stop()
        await pms.stop()
    }
}

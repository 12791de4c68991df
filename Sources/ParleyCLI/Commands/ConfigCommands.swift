import ArgumentParser
import ParleyCore
import Foundation
import ParleyConfig

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Write the default Custom ERP <-> Custom PMS configuration.")

    @Option(name: .shortAndLong, help: "Where to write it.") var output = "parley.yaml"
    @Flag(help: "Overwrite an existing file.") var force = false

    func run() throws {
        if FileManager.default.fileExists(atPath: output), !force {
            throw fail(ValidationError("\(output) exists; use --force to overwrite"))
        }
        do {
            try DefaultConfig.yaml.write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            throw fail(error)
        }
        print("wrote \(output) (Custom ERP <-> Custom PMS: customers, projects). URLs come from PARLEY_ERP_URL / PARLEY_PMS_URL.")
    }
}

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check the configuration, and its mappings against each system's /schema; report every problem.")

    @OptionGroup var options: ConfigOption
    @Flag(help: "Check only the file itself; do not contact the systems.") var offline = false

    func run() async throws {
        let config: ParleyConfiguration
        do {
            config = try Runtime.load(configPath: options.config)
        } catch {
            throw fail(error)
        }
        if offline {
            print("\(options.config): structure OK (\(config.systems.count) systems, \(config.flows.count) flows); schemas not checked (--offline)")
            return
        }
        let schemas: [String: ParleyCore.SystemSchema]
        do {
            let connectors = try await Runtime.makeConnectors(config)
            do {
                schemas = try await Runtime.fetchSchemas(config, connectors: connectors)
            } catch {
                await Runtime.shutdown(connectors)
                throw error
            }
            await Runtime.shutdown(connectors)
        } catch {
            throw fail(error)
        }
        switch resolveFlows(config, schemas: schemas) {
        case .success(let flows):
            print("\(options.config): OK (\(config.systems.count) systems, \(flows.count) flows: \(flows.map(\.name).joined(separator: ", ")))")
        case .failure(let errors):
            throw fail(errors)
        }
    }
}

import ArgumentParser
import Foundation
import ParleyCore
import ParleyStore

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Create or upgrade the state store's schema (runs once even when several workers start together).")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let config = try wrap { try Runtime.load(configPath: options.config) }
        do {
            _ = try await Runtime.openStore(config.state, scratch: false, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw fail(error)
        }
        print("state store is up to date")
    }
}

struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Move state between stores (e.g. SQLite to PostgreSQL) without losing links.",
        subcommands: [Export.self, Import.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the configured store's whole state to a SQLite snapshot file.")
        @OptionGroup var options: ConfigOption
        @Option(name: .shortAndLong, help: "The snapshot file to write (must not exist).") var output: String

        func run() async throws {
            let config = try wrap { try Runtime.load(configPath: options.config) }
            guard !FileManager.default.fileExists(atPath: output) else { throw fail(ValidationError("\(output) exists; choose a new file")) }
            do {
                let source = try await Runtime.openStore(config.state, scratch: false, environment: ProcessInfo.processInfo.environment)
                guard let exporting = source as? any StoreExporting else { throw ValidationError("this store cannot be exported") }
                let snapshot = try SQLiteStore(path: output)
                let batches = try await StoreTransfer.copy(from: exporting, to: snapshot, flows: config.flows.map(\.name.value))
                print("exported \(batches) batches to \(output)")
            } catch let error as ExitCode {
                throw error
            } catch {
                throw fail(error)
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load a SQLite state file (or export snapshot) into the configured, empty store.")
        @OptionGroup var options: ConfigOption
        @Option(name: .shortAndLong, help: "The SQLite state file or snapshot to read.") var input: String

        func run() async throws {
            let config = try wrap { try Runtime.load(configPath: options.config) }
            guard FileManager.default.fileExists(atPath: input) else { throw fail(ValidationError("\(input) does not exist")) }
            do {
                let source = try SQLiteStore(path: input)
                let target = try await Runtime.openStore(config.state, scratch: false, environment: ProcessInfo.processInfo.environment)
                let batches = try await StoreTransfer.copy(from: source, to: target, flows: config.flows.map(\.name.value))
                print("imported \(batches) batches from \(input)")
            } catch {
                throw fail(error)
            }
        }
    }
}

import ArgumentParser
import Foundation
import ParleyConfig
import ParleyCore
import ParleyStore

/// Opens only the state store (no systems needed) for read-only inspection commands.
func openStateStore(_ options: ConfigOption) async throws -> (ParleyConfiguration, any LinkStore) {
    let config: ParleyConfiguration
    do {
        config = try Runtime.load(configPath: options.config)
    } catch {
        throw fail(error)
    }
    let isURL = config.state.contains("://")
    guard isURL || FileManager.default.fileExists(atPath: config.state) else {
        throw fail(ValidationError("no state at \(config.state) yet: run `parley sync --config \(options.config)` first"))
    }
    do {
        return (config, try await Runtime.openStore(config.state, scratch: false, environment: ProcessInfo.processInfo.environment))
    } catch {
        throw fail(error)
    }
}

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Per flow: linked, pending, unmatched, ambiguous, parked, excluded, quarantined, conflicts, deletes waiting (the circuit breaker's), cursor lag.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let logger = options.logger()
        let (config, store) = try await openStateStore(options)
        let connectors: [String: any Connector]
        do {
            connectors = try await Runtime.makeConnectors(config)
        } catch {
            throw fail(error)
        }
        defer { Task { await Runtime.shutdown(connectors) } }
        let widths = [12, 8, 9, 11, 11, 8, 10, 13, 11, 9]
        let titles = ["flow", "linked", "pending", "unmatched", "ambiguous", "parked", "excluded", "quarantined", "conflicts", "deletes"]
        print(zip(titles, widths).map { pad($0, $1) }.joined() + "lag")
        for flow in config.flows {
            let counts = try await store.counts(flow: flow.name.value)
            var lag: [String] = []
            for side in [Side.left, .right] {
                let ref = flow.datatype(on: side).value
                guard let connector = connectors[ref.system] else { continue }
                let cursor = try await store.cursor(flow: flow.name.value, side: side)
                if let page = try? await connector.changes(datatype: ref.datatype, since: cursor, limit: 100) {
                    lag.append("\(ref.system) \(page.items.count)\(page.hasMore ? "+" : "")")
                } else {
                    lag.append("\(ref.system) unreachable")
                }
            }
            let cells: [String] = [
                flow.name.value, "\(counts.linked)", "\(counts.pending)", "\(counts.unmatched)", "\(counts.ambiguous)", "\(counts.parked)",
                "\(counts.excluded)", "\(counts.quarantined)", "\(counts.openConflicts)/\(counts.conflicts)", "\(counts.pendingDeletes)",
            ]
            print(zip(cells, widths).map { pad($0, $1) }.joined() + lag.joined(separator: ", "))
        }
        if let store = store as? PostgresStore {
            let totals = try await PostgresWorkCoordinator(store: store).workerTotals()
            if !totals.isEmpty {
                print("\nwork done per worker (PostgreSQL state shared by workers):")
                print(pad("worker", 28) + pad("flow", 12) + pad("items", 8) + pad("records", 10) + "writes")
                for total in totals {
                    print(pad(total.worker, 28) + pad(total.flow, 12) + pad("\(total.items)", 8) + pad("\(total.records)", 10) + "\(total.writes)")
                }
            }
        }
        _ = logger
    }
}

struct LinksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "links", abstract: "List links of a flow.")

    @OptionGroup var options: ConfigOption
    @Option(help: "The flow.") var flow: String?
    @Option(help: "At most this many.") var limit = 50

    func run() async throws {
        let (config, store) = try await openStateStore(options)
        for flowConfig in config.flows where flow == nil || flowConfig.name.value == flow {
            let name = flowConfig.name.value
            print("\(name): \(flowConfig.left.value) <-> \(flowConfig.right.value)")
            for link in try await store.links(flow: name, after: nil, limit: limit) {
                print("  \(link.leftId ?? "-") <-> \(link.rightId ?? "-")  \(link.state.rawValue)")
            }
        }
    }
}

struct ConflictsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "conflicts", abstract: "List conflicts and the values that lost.")

    @OptionGroup var options: ConfigOption
    @Option(help: "The flow.") var flow: String?
    @Flag(help: "Include resolved conflicts.") var all = false
    @Option(help: "At most this many.") var limit = 100

    func run() async throws {
        let (config, store) = try await openStateStore(options)
        let conflicts = try await store.conflicts(flow: flow, unresolvedOnly: !all, limit: limit)
        if conflicts.isEmpty { print("no conflicts") }
        for conflict in conflicts {
            let flowConfig = config.flow(named: conflict.flow)
            let leftSystem = flowConfig?.left.value.system ?? "left"
            let rightSystem = flowConfig?.right.value.system ?? "right"
            let winner = conflict.winner == .left ? leftSystem : rightSystem
            print("#\(conflict.id ?? 0) \(conflict.flow) \(leftSystem) \(conflict.leftId) / \(rightSystem) \(conflict.rightId) \(conflict.property): "
                + "\(winner) won with '\(conflict.winningValue.display)' over '\(conflict.losingValue.display)' (\(conflict.rule.rawValue), \(Timestamps.rfc3339(millis: conflict.atMillis)))")
        }
    }
}

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}

func wrap<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as ExitCode { throw error } catch { throw fail(error) }
}

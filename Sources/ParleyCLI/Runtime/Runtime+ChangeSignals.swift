import Logging
import ParleyConnectors
import ParleyEngine

/// Immediate syncs from databases that announce changes: a `NOTIFY` on a SQL system's `listen` channel
/// wakes the polling loop for a pass at once (polling stays on as the safety net).
extension Runtime {
    /// Starts listening; cancel the returned tasks to stop.
    func listenForChangeSignals(_ trigger: SyncTrigger) async -> [Task<Void, Never>] {
        var tasks: [Task<Void, Never>] = []
        for (name, connector) in connectors.sorted(by: { $0.key < $1.key }) {
            guard let sql = connector as? SQLConnector, let signals = await sql.changeSignals() else { continue }
            logger.info("listening for change signals", metadata: ["system": "\(name)"])
            tasks.append(Task {
                for await _ in signals { await trigger.fire() }
            })
        }
        return tasks
    }
}

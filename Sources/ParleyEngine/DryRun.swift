import ParleyCore

extension SyncEngine {
    /// The same engine, planning only: nothing is written to any system, and what a pass records goes to
    /// `scratch`, a copy of the state the caller provides and discards (`syncPass` then returns the plan).
    public func planning(on scratch: any LinkStore) -> SyncEngine {
        var options = options
        options.dryRun = true
        return SyncEngine(flows: flows, connectors: connectors, store: scratch, options: options, logger: logger, now: now)
    }
}

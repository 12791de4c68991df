import ParleyCore

extension SyncEngine {
    /// A pass shared with the other workers of a PostgreSQL store. For each flow, in dependency order, this
    /// worker makes sure a generation of the flow's work that started during this pass (or within
    /// `generationFreshnessMillis`) is complete, and helps with it:
    ///
    /// 1. If the newest generation is complete and stale, one worker (holding the flow exclusively) reads
    ///    both change feeds — linked records are merged at once, others staged — and starts a generation.
    /// 2. Every worker claims the generation's items: the left side's staged records partition by partition,
    ///    then (once all left partitions are done) the right side's, then the staged deletes.
    /// 3. A worker moves on to the next flow only when the generation is complete, so a project is matched
    ///    after its customer was.
    ///
    /// A killed worker's item is claimed again by another; re-running it is safe because a create is
    /// recorded as a pending link with an idempotency key before it is sent.
    func cooperativePass(
        coordinator: any WorkCoordinator, only: Set<String>?, progress: @escaping @Sendable (PassProgress) -> Void
    ) async -> PassReport {
        let references = ReferenceResolver(store: store, limit: options.referenceCacheIds)
        let started = ContinuousClock.now
        var reports: [FlowReport] = []
        var errors: [String] = []
        for flow in flows where only?.contains(flow.name) ?? true {
            do {
                let outcome = try await cooperate(on: flow, coordinator: coordinator, references: references, passStarted: started, progress: progress)
                reports.append(outcome.report)
                errors += outcome.errors
            } catch {
                logger.error("flow failed", metadata: ["flow": "\(flow.name)", "worker": "\(coordinator.workerId)", "error": "\(error)"])
                errors.append("flow '\(flow.name)': \(error)")
                reports.append(FlowReport(flow: flow.name))
                if !Self.concernsOneFlow(error) { break }
            }
        }
        return PassReport(flows: reports, errors: errors)
    }

    func cooperate(
        on flow: FlowDefinition, coordinator: any WorkCoordinator, references: ReferenceResolver, passStarted: ContinuousClock.Instant,
        progress: @escaping @Sendable (PassProgress) -> Void
    ) async throws -> (report: FlowReport, errors: [String]) {
        let context = try context(for: flow, references: references)
        var report = FlowReport(flow: flow.name)
        var errors: [String] = []
        while true {
            try Task.checkCancellation()
            let generation = try await coordinator.generation(flow: flow.name)
            if let generation, generation.isComplete {
                let passAge = passStarted.duration(to: .now).wholeMilliseconds
                if generation.ageMillis <= passAge + Int64(options.generationFreshnessMillis) { return (report, errors) }
            }
            if generation?.isComplete ?? true {
                let ingested = try await coordinator.exclusively(flow: flow.name, waitMillis: 0) { () -> FlowReport? in
                    try await self.startGeneration(flow, context: context, coordinator: coordinator, after: generation?.number, progress: progress)
                }
                if let ingested, let part = ingested {
                    report.merge(part)
                } else {
                    // Another worker is reading the feeds (or holds the flow for a webhook): wait for its generation.
                    try await Task.sleep(for: .milliseconds(50))
                }
                continue
            }
            let outcome = try await coordinator.claimNext(flow: flow.name) { item in
                try await self.process(item, flow: flow, context: context)
            }
            switch outcome {
            case .processed(let item, let tally, let result):
                report.merge(result.report)
                if let error = result.error { errors.append(error) }
                logger.debug(
                    "work item done",
                    metadata: [
                        "flow": "\(flow.name)", "worker": "\(coordinator.workerId)", "phase": "\(item.phase)",
                        "partition": "\(item.partition.index)/\(item.partition.count)", "records": "\(tally.records)", "writes": "\(tally.writes)",
                    ])
                progress(PassProgress(flow: flow.name, phase: "matching (shared)", processed: tally.records, report: report))
            case .busy:
                try await Task.sleep(for: .milliseconds(50))
            case .complete:
                continue
            }
        }
    }

    /// Reads both change feeds and starts the next generation; nil when another worker started one first.
    func startGeneration(
        _ flow: FlowDefinition, context: FlowContext, coordinator: any WorkCoordinator, after previous: Int64?,
        progress: @escaping @Sendable (PassProgress) -> Void
    ) async throws -> FlowReport? {
        guard try await coordinator.generation(flow: flow.name)?.number == previous else { return nil }
        try await checkStoreAcceptsWrites(flow)
        var report = FlowReport(flow: flow.name)
        for side in [Side.left, .right] {
            let base = report
            report.merge(try await context.ingest(side: side) { processed, partial in
                var combined = base
                combined.merge(partial)
                progress(PassProgress(flow: flow.name, phase: "reading \(flow.datatype(on: side))", processed: processed, report: combined))
            }.report)
        }
        try await coordinator.startGeneration(flow: flow.name, after: previous, items: WorkItem.generation(partitions: options.partitions))
        return report
    }

    /// One work item. A failure that concerns only this flow (a system unavailable, the circuit breaker) is
    /// reported and the item counts as done: its records stay staged for the next generation, so a flow
    /// never stalls behind one failing item. A store failure is thrown, leaving the item to be claimed again.
    func process(_ item: WorkItem, flow: FlowDefinition, context: FlowContext) async throws -> (WorkTally, ItemResult) {
        var report = FlowReport(flow: flow.name)
        var examined = 0
        do {
            switch item.phase {
            case .matchLeft, .matchRight:
                let side: Side = item.phase == .matchLeft ? .left : .right
                let coordinator = coordinator
                let counter = Counter()
                report = try await context.matchStaged(sides: [side], pager: { side, states, after, limit in
                    let page = try await coordinator?.staged(flow: flow.name, side: side, states: states, partition: item.partition, after: after, limit: limit) ?? []
                    await counter.add(page.count)
                    return page
                }, progress: { _, _ in })
                examined = await counter.value
            case .deletes:
                report = try await context.applyDeletes()
            }
        } catch where Self.concernsOneFlow(error) {
            logger.error("work item failed; its records stay staged for the next generation",
                metadata: ["flow": "\(flow.name)", "phase": "\(item.phase)", "partition": "\(item.partition.index)", "error": "\(error)"])
            return (WorkTally(records: examined, writes: report.writes), ItemResult(report: report, error: "flow '\(flow.name)': \(error)"))
        }
        return (WorkTally(records: examined, writes: report.writes + report.linked), ItemResult(report: report, error: nil))
    }

    struct ItemResult: Sendable {
        var report: FlowReport
        var error: String?
    }

    /// Runs `body` with the flow held exclusively when several workers share the store (waiting up to
    /// `exclusiveWaitMillis`), directly otherwise; nil when the flow stayed busy.
    func exclusivelyIfShared<T: Sendable>(flow: String, _ body: @Sendable () async throws -> T) async throws -> T? {
        guard let coordinator else { return try await body() }
        return try await coordinator.exclusively(flow: flow, waitMillis: options.exclusiveWaitMillis, body)
    }
}

/// Counts records across the pager's calls.
actor Counter {
    private(set) var value = 0
    func add(_ n: Int) { value += n }
}

import Logging
import ParleyCore
import ParleyEngine

/// A flow with its state: counts from the store, cursors, and how many changes wait in each feed.
struct FlowOverview: Sendable {
    struct Lag: Sendable {
        var count: Int
        /// More than `count` changes wait (the look-ahead is bounded).
        var more: Bool
    }

    var flow: FlowDefinition
    var counts: FlowCounts
    var cursors: [Side: String?]
    /// Nil for a side whose system could not be asked.
    var lag: [Side: Lag?]
}

/// What the API and the dashboard share: read models from the store and systems, and operator actions,
/// which run inside the polling loop (`SyncTrigger.perform`) so they never race a pass.
struct Management: Sendable {
    static let lagLookahead = 100

    let context: ServerContext
    let state: ServerState
    let metrics: ParleyMetrics
    let logger: Logger

    // MARK: - Reading

    func flow(named name: String) throws -> FlowDefinition {
        guard let flow = context.flow(named: name) else {
            throw APIFailure.notFound("no flow named '\(name)'; the configured flows are: \(context.flows.map(\.name).joined(separator: ", "))")
        }
        return flow
    }

    /// `left`/`right`, or the name of the system on that side.
    func side(_ text: String, of flow: FlowDefinition) throws -> Side {
        if let side = Side(rawValue: text) { return side }
        let matches = Side.allCases.filter { flow.datatype(on: $0).system == text }
        guard matches.count == 1, let side = matches.first else {
            throw APIFailure.notFound("'\(text)' is not a side of flow '\(flow.name)': use left, right, \(flow.left.system) or \(flow.right.system)")
        }
        return side
    }

    /// Every flow, in order; the systems are asked for their lag all at once.
    func overviews(withLag: Bool) async throws -> [FlowOverview] {
        try await withThrowingTaskGroup(of: (Int, FlowOverview).self) { group in
            for (index, flow) in context.flows.enumerated() {
                group.addTask { (index, try await overview(flow, withLag: withLag)) }
            }
            var result: [Int: FlowOverview] = [:]
            for try await (index, overview) in group { result[index] = overview }
            return result.sorted { $0.key < $1.key }.map(\.value)
        }
    }

    func overview(_ flow: FlowDefinition, withLag: Bool) async throws -> FlowOverview {
        let counts = try await context.store.counts(flow: flow.name)
        let leftCursor = try await context.store.cursor(flow: flow.name, side: .left)
        let rightCursor = try await context.store.cursor(flow: flow.name, side: .right)
        async let leftLag = withLag ? pendingChanges(flow.left, after: leftCursor) : nil
        async let rightLag = withLag ? pendingChanges(flow.right, after: rightCursor) : nil
        let lag: [Side: FlowOverview.Lag?] = [.left: await leftLag, .right: await rightLag]
        return FlowOverview(flow: flow, counts: counts, cursors: [.left: leftCursor, .right: rightCursor], lag: lag)
    }

    /// Changes in a system's feed after Parley's cursor (bounded look-ahead), or nil when it cannot be asked.
    func pendingChanges(_ ref: DatatypeRef, after cursor: String?) async -> FlowOverview.Lag? {
        guard let connector = context.connectors[ref.system] else { return nil }
        let page = await Timeout.run(milliseconds: 3_000) {
            try await connector.changes(datatype: ref.datatype, since: cursor, limit: Self.lagLookahead)
        }
        guard case .success(let page)? = page else { return nil }
        return FlowOverview.Lag(count: page.items.count, more: page.hasMore)
    }

    /// Links found by a record id on either side or a merge-key value (organization number, customer
    /// number…); without a query, the most recently changed links.
    func links(flow: FlowDefinition, query: String?, limit: Int) async throws -> [Link] {
        let query = query?.trimmingWhitespace() ?? ""
        if query.isEmpty { return try await context.store.recentLinks(flow: flow.name, limit: limit) }
        let keys = MergeKeys.searchKeys(for: query, criteria: flow.mergeCriteria)
        return try await context.store.findLinks(flow: flow.name, ids: [query], keys: keys, limit: limit)
    }

    func link(flow: FlowDefinition, side: Side, id: String) async throws -> Link {
        guard let link = try await context.store.links(flow: flow.name, side: side, ids: [id])[id] else {
            throw APIFailure.notFound("\(flow.datatype(on: side)) \(id) is not linked in flow '\(flow.name)'")
        }
        return link
    }

    /// What Parley holds about one record, linked or not.
    func recordStatus(flow: FlowDefinition, side: Side, id: String, historyLimit: Int) async throws -> RecordStatus {
        try await RecordStatus.load(from: context.store, flow: RecordStatus.FlowFacts(flow), side: side, id: id, historyLimit: historyLimit)
    }

    func history(of link: Link, limit: Int) async throws -> [AuditEntry] {
        try await context.store.history(flow: link.flow, leftId: link.leftId, rightId: link.rightId, limit: limit)
    }

    func conflicts(flow: String?, openOnly: Bool, limit: Int) async throws -> [ConflictEntry] {
        try await context.store.conflicts(flow: flow, unresolvedOnly: openOnly, limit: limit)
    }

    func ambiguous(flow: String?, limit: Int) async throws -> [StagedRecord] {
        try await staged(flow: flow, state: .ambiguous, limit: limit)
    }

    /// Records waiting on something (a referenced record to be linked, a system to answer); they resume by themselves.
    func parked(flow: String?, limit: Int) async throws -> [StagedRecord] {
        try await staged(flow: flow, state: .parked, limit: limit)
    }

    private func staged(flow: String?, state: StagedState, limit: Int) async throws -> [StagedRecord] {
        var result: [StagedRecord] = []
        for definition in context.flows where flow == nil || definition.name == flow {
            for side in Side.allCases {
                result += try await context.store.staged(flow: definition.name, side: side, states: [state], after: nil, limit: limit)
            }
        }
        return Array(result.prefix(limit))
    }

    func quarantined(flow: String?, limit: Int) async throws -> [QuarantineEntry] {
        try await context.store.quarantined(flow: flow, limit: limit)
    }

    func activity(flow: String?, limit: Int) async throws -> [AuditEntry] {
        try await context.store.recentAudit(flow: flow, limit: limit)
    }

    // MARK: - Acting (inside the polling loop)

    func resolveConflict(id: Int64, choice: ConflictChoice) async throws -> FlowReport {
        let engine = context.engine
        return try await inLoop { try await engine.resolveConflict(id: id, choice: choice) }
    }

    func linkManually(flow: FlowDefinition, side: Side, id: String, otherId: String) async throws -> FlowReport {
        let engine = context.engine
        return try await inLoop { try await engine.linkManually(flow: flow.name, side: side, id: id, otherId: otherId) }
    }

    func dismiss(flow: FlowDefinition, side: Side, id: String) async throws {
        let engine = context.engine
        try await context.trigger.perform { try await engine.dismissAmbiguous(flow: flow.name, side: side, id: id) }
    }

    func retryQuarantined(flow: FlowDefinition, side: Side, id: String) async throws -> FlowReport {
        let engine = context.engine
        return try await inLoop { try await engine.retryQuarantined(flow: flow.name, side: side, id: id) }
    }

    /// A full pass over the named flows (or all), now, in the loop.
    /// `allowMassDeletes`: an operator checked the source system and confirms the deletes the circuit breaker holds.
    func syncNow(flows: Set<String>?, allowMassDeletes: Bool = false) async throws -> PassReport {
        let engine = allowMassDeletes ? context.engine.with { $0.allowMassDeletes = true } : context.engine
        let started = ContinuousClock.now
        let report = try await context.trigger.perform { await engine.syncPass(only: flows) }
        observe(CompletedPass(kind: .manual, report: report, duration: started.duration(to: .now)))
        return report
    }

    /// What a pass would do, computed on a scratch copy of the state; writes nothing anywhere.
    func plan(flows: Set<String>?) async throws -> PassReport {
        try await context.planner(flows)
    }

    private func inLoop(_ action: @escaping @Sendable () async throws -> FlowReport) async throws -> FlowReport {
        let started = ContinuousClock.now
        let report = try await context.trigger.perform(action)
        observe(CompletedPass(kind: .manual, report: PassReport(report), duration: started.duration(to: .now)))
        return report
    }

    func observe(_ pass: CompletedPass) {
        let now = SystemClock.millis()
        metrics.record(pass, finishedAtSeconds: Double(now) / 1000)
        let state = state
        Task { await state.record(pass, atMillis: now) }
    }

    // MARK: - Health

    /// Whether the store and every system answer; one entry per component (`ok` or what failed).
    func readiness() async -> [(component: String, problem: String?)] {
        var checks: [(String, String?)] = []
        do {
            if let flow = context.flows.first { _ = try await context.store.cursor(flow: flow.name, side: .left) }
            checks.append(("store", nil))
        } catch {
            checks.append(("store", "\(error)"))
        }
        for system in context.systems {
            checks.append((system.name, await probe(system.name)))
        }
        return checks
    }

    /// Nil when the system answers a one-record read of its change feed within 3 seconds.
    func probe(_ system: String) async -> String? {
        guard let connector = context.connectors[system] else { return "no connector" }
        guard let ref = context.flows.flatMap({ [$0.left, $0.right] }).first(where: { $0.system == system }) else { return nil }
        switch await Timeout.run(milliseconds: 3_000, { try await connector.changes(datatype: ref.datatype, since: nil, limit: 1) }) {
        case .success?: return nil
        case .failure(let error)?: return "\(error)"
        case nil: return "no answer within 3 s"
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}

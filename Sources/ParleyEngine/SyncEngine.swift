#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import ParleyCore

/// Runs sync passes over the configured flows. Stateless between passes apart from the store.
public struct SyncEngine: Sendable {
    public let flows: [FlowDefinition]
    let connectors: [String: any Connector]
    let store: any LinkStore
    let options: EngineOptions
    let logger: Logger
    let now: @Sendable () -> Int64
    /// Set when several workers share the store: passes, webhook syncs and operator actions then coordinate
    /// through it (CooperativePass.swift).
    let coordinator: (any WorkCoordinator)?

    public init(
        flows: [FlowDefinition], connectors: [String: any Connector], store: any LinkStore, options: EngineOptions = EngineOptions(),
        coordinator: (any WorkCoordinator)? = nil, logger: Logger = Logger(label: "parley.engine"),
        now: @escaping @Sendable () -> Int64 = SystemClock.millis
    ) {
        self.flows = flows
        self.connectors = connectors
        self.store = store
        self.options = options
        self.coordinator = coordinator
        self.logger = logger
        self.now = now
    }

    /// This engine with other options (an operator's pass that confirms mass deletes, say).
    public func with(_ configure: (inout EngineOptions) -> Void) -> SyncEngine {
        var options = options
        configure(&options)
        return SyncEngine(flows: flows, connectors: connectors, store: store, options: options, coordinator: coordinator, logger: logger, now: now)
    }

    /// One pass over the flows (all, or the named ones) in dependency order. A flow that fails is reported
    /// and the next one still runs; flows that depend on a failed flow still run (their records park).
    /// With several workers, the pass is shared: see `cooperativePass`.
    public func syncPass(only: Set<String>? = nil, progress: @escaping @Sendable (PassProgress) -> Void = { _ in }) async -> PassReport {
        if let coordinator, !options.dryRun { return await cooperativePass(coordinator: coordinator, only: only, progress: progress) }
        let references = ReferenceResolver(store: store, limit: options.referenceCacheIds)
        var reports: [FlowReport] = []
        var errors: [String] = []
        for flow in flows where only?.contains(flow.name) ?? true {
            do {
                reports.append(try await run(flow, references: references, progress: progress))
            } catch {
                logger.error("flow failed", metadata: ["flow": "\(flow.name)", "error": "\(error)"])
                errors.append("flow '\(flow.name)': \(error)")
                reports.append(FlowReport(flow: flow.name))
                if !Self.concernsOneFlow(error) { break }
            }
        }
        return PassReport(flows: reports, errors: errors)
    }

    /// The side whose new records are created on the other side while it is read: the left side (by convention
    /// the system of record, which onboards into the other) on its first read, its onboarding — read after the
    /// right side, so that every record it could match is known. Later passes keep reading the left side first:
    /// when the right system is down, the left side's changes are still read and wait, parked, in the state.
    /// Not in a dry run, whose plan comes from matching, nor when the flow carries nothing from left to right.
    /// `cursors`: the flow's cursors as the pass found them.
    func sideCreatedWhileRead(_ flow: FlowDefinition, cursors: [Side: String]) -> Side? {
        if options.dryRun || !flow.direction.carries(from: .left) { return nil }
        return cursors[.left] == nil ? .left : nil
    }

    /// A system that fails, or a tripped circuit breaker, stops only its flow. Anything else — the state store
    /// failed (read-only, full, gone) — stops the whole pass: the next flow would write to systems what could
    /// not be recorded.
    static func concernsOneFlow(_ error: any Error) -> Bool {
        error is ConnectorError || error is EngineError
    }

    func context(for flow: FlowDefinition, references: ReferenceResolver) throws -> FlowContext {
        guard let left = connectors[flow.left.system] else { throw EngineError.missingConnector(system: flow.left.system) }
        guard let right = connectors[flow.right.system] else { throw EngineError.missingConnector(system: flow.right.system) }
        return FlowContext(
            flow: flow, leftConnector: left, rightConnector: right, store: store, options: options,
            retry: RetryPolicy(maxAttempts: options.maxAttempts, baseDelayMillis: options.retryBaseDelayMillis, maxDelayMillis: options.retryMaxDelayMillis),
            references: references, logger: logger, now: now)
    }

    func run(_ flow: FlowDefinition, references: ReferenceResolver, progress: @escaping @Sendable (PassProgress) -> Void) async throws -> FlowReport {
        let context = try context(for: flow, references: references)
        let cursors = try await checkStoreAcceptsWrites(flow)
        var report = FlowReport(flow: flow.name)
        let streamed = sideCreatedWhileRead(flow, cursors: cursors)
        var held: [Side: Set<String>] = [:]
        for side in streamed == .left ? [Side.right, .left] : [.left, .right] {
            let base = report
            let part = try await context.ingest(side: side, from: .cursor(cursors[side]), creatingUnmatched: side == streamed) { processed, partial in
                var combined = base
                combined.merge(partial)
                progress(PassProgress(flow: flow.name, phase: "reading \(flow.datatype(on: side))", processed: processed, report: combined))
            }
            report.merge(part.report)
            held[side] = part.held
        }
        // Which sides have staged records to match or deletes to apply, asked once: an idle pass (or one of
        // linked changes only) then reads no staged records at all.
        let present = try await store.stagedStates(flow: flow.name, among: FlowContext.matchedStates + [.deleted])
        let sides = [Side.left, .right]
        let beforeMatch = report
        let matched = sides.filter { !(present[$0] ?? []).isDisjoint(with: FlowContext.matchedStates) }
        report.merge(try await context.matchStaged(sides: matched, skipping: held) { processed, partial in
            var combined = beforeMatch
            combined.merge(partial)
            progress(PassProgress(flow: flow.name, phase: "matching", processed: processed, report: combined))
        })
        report.merge(try await context.applyDeletes(sides: sides.filter { present[$0]?.contains(.deleted) == true }))
        return report
    }
}

extension SyncEngine {
    /// Asks the store for room to record a pass's work and writes the flow's cursors back unchanged before
    /// anything is sent to a system, so a state store that cannot record (read-only, full, nearly full) fails
    /// the pass here rather than after a system was changed. Returns the cursors it found.
    @discardableResult
    func checkStoreAcceptsWrites(_ flow: FlowDefinition) async throws -> [Side: String] {
        try await store.ensureRoom(bytes: options.minimumStateRoomBytes)
        var probe = StoreBatch()
        probe.lossIsHarmless = true
        var cursors: [Side: String] = [:]
        for side in [Side.left, .right] {
            if let cursor = try await store.cursor(flow: flow.name, side: side) {
                probe.cursors.append((flow.name, side, cursor))
                cursors[side] = cursor
            }
        }
        try await store.commit(probe)
        return cursors
    }
}

public enum SystemClock {
    public static let millis: @Sendable () -> Int64 = {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}

import CoreMetrics
import ParleyCore
import ParleyEngine
import Prometheus

/// Parley's Prometheus metrics, in one registry that `/metrics` renders. Counters come from the engine's
/// pass reports (so they match what the sync did); the per-flow state gauges are read from the store at
/// scrape time.
public final class ParleyMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    static var read: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "parley", metricName: "records_read", unitName: "total", helpText: "Records read from a system, per flow.")
    }
    static var written: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "parley", metricName: "records_written", unitName: "total", helpText: "Records written to a system, per flow and operation (created, updated, archived, deleted).")
    }
    static var linked: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "parley", metricName: "records_linked", unitName: "total", helpText: "Record pairs linked by matching.")
    }
    static var conflicts: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "parley", metricName: "conflicts", unitName: "total", helpText: "Properties changed on both sides (conflicts logged).")
    }
    static var parked: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "parley", metricName: "records_parked", unitName: "total", helpText: "Times a record was parked waiting on a reference.")
    }
    static var quarantined: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "parley", metricName: "records_quarantined", unitName: "total", helpText: "Times a record was quarantined.")
    }
    static var passes: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "parley", metricName: "passes", unitName: "total", helpText: "Finished passes: scheduled, webhook (targeted record syncs) and manual (operator requests).")
    }
    static var passErrors: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "parley", metricName: "pass_errors", unitName: "total", helpText: "Flows that failed within a pass.")
    }
    static var duration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "parley", metricName: "pass_duration", unitName: "seconds", helpText: "How long passes took.")
    }
    static var webhooks: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "parley", metricName: "webhook_deliveries", unitName: "total", helpText: "Webhook deliveries received: accepted, or rejected (unsigned, badly signed, unknown system, malformed).")
    }
    static var flowRecords: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "parley", metricName: "flow_records", unitName: "", helpText: "Records per flow and state (linked, pending, unmatched, ambiguous, parked, pending_deletes, excluded, quarantined, open_conflicts).")
    }
    static var lastPass: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "parley", metricName: "last_pass_timestamp", unitName: "seconds", helpText: "When the last pass of a kind finished (Unix time).")
    }

    static let durationBuckets: [Duration] = [
        .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
        .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(300),
    ]

    let flows: [FlowDefinition]

    public init(flows: [FlowDefinition], registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.flows = flows
        // Every series the sync can produce starts at zero, so rates work from the first scrape.
        for flow in flows {
            for side in Side.allCases {
                let system = flow.datatype(on: side).system
                _ = registry.makeCounter(descriptor: Self.read, labels: [("flow", flow.name), ("system", system)])
                for operation in WriteOperation.allCases {
                    _ = registry.makeCounter(
                        descriptor: Self.written, labels: [("flow", flow.name), ("system", system), ("operation", operation.rawValue)])
                }
            }
            for descriptor in [Self.linked, Self.conflicts, Self.parked, Self.quarantined] {
                _ = registry.makeCounter(descriptor: descriptor, labels: [("flow", flow.name)])
            }
        }
        for kind in [CompletedPass.Kind.scheduled, .webhook, .manual] {
            _ = registry.makeCounter(descriptor: Self.passes, labels: [("kind", kind.rawValue)])
            _ = registry.makeDurationHistogram(descriptor: Self.duration, labels: [("kind", kind.rawValue)], buckets: Self.durationBuckets)
        }
        _ = registry.makeCounter(descriptor: Self.passErrors, labels: [])
    }

    enum WriteOperation: String, CaseIterable {
        case created, updated, archived, deleted
    }

    /// Makes swift-metrics (used by libraries, e.g. the HTTP transport's `parley_http_errors_total` and the
    /// server's request metrics) report into this registry. Once per process: the CLI calls it.
    public func bootstrapProcessMetrics() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }

    /// Counts what a pass did.
    public func record(_ pass: CompletedPass, finishedAtSeconds: Double) {
        for report in pass.report.flows {
            guard let flow = flows.first(where: { $0.name == report.flow }) else { continue }
            for side in Side.allCases {
                let system = flow.datatype(on: side).system
                count(Self.read, report.read[side], [("flow", flow.name), ("system", system)])
                let writes: [(WriteOperation, Int?)] = [
                    (.created, report.created[side]), (.updated, report.updated[side]), (.archived, report.archived[side]), (.deleted, report.deleted[side]),
                ]
                for (operation, n) in writes {
                    count(Self.written, n, [("flow", flow.name), ("system", system), ("operation", operation.rawValue)])
                }
            }
            count(Self.linked, report.linked, [("flow", flow.name)])
            count(Self.conflicts, report.conflicts, [("flow", flow.name)])
            count(Self.parked, report.parked, [("flow", flow.name)])
            count(Self.quarantined, report.quarantined, [("flow", flow.name)])
        }
        count(Self.passErrors, pass.report.errors.count, [])
        registry.makeCounter(descriptor: Self.passes, labels: [("kind", pass.kind.rawValue)]).increment()
        registry.makeDurationHistogram(descriptor: Self.duration, labels: [("kind", pass.kind.rawValue)], buckets: Self.durationBuckets)
            .record(pass.duration)
        registry.makeGauge(descriptor: Self.lastPass, labels: [("kind", pass.kind.rawValue)]).set(finishedAtSeconds)
    }

    /// Counts a webhook delivery; `system` is nil for a system Parley does not know (never a caller's text).
    func recordWebhook(system: String?, accepted: Bool) {
        registry.makeCounter(
            descriptor: Self.webhooks, labels: [("system", system ?? "unknown"), ("outcome", accepted ? "accepted" : "rejected")]
        ).increment()
    }

    /// Sets the per-flow state gauges.
    func recordCounts(_ counts: FlowCounts, flow: String) {
        let states: [(String, Int)] = [
            ("linked", counts.linked), ("pending", counts.pending), ("unmatched", counts.unmatched), ("ambiguous", counts.ambiguous),
            ("parked", counts.parked), ("pending_deletes", counts.pendingDeletes), ("excluded", counts.excluded),
            ("quarantined", counts.quarantined),
            ("open_conflicts", counts.openConflicts),
        ]
        for (state, n) in states {
            registry.makeGauge(descriptor: Self.flowRecords, labels: [("flow", flow), ("state", state)]).set(Double(n))
        }
    }

    private func count(_ descriptor: MetricNameDescriptor, _ n: Int?, _ labels: [(String, String)]) {
        guard let n, n > 0 else { return }
        registry.makeCounter(descriptor: descriptor, labels: labels).increment(by: Int64(n))
    }

    /// The Prometheus text exposition.
    func exposition() -> [UInt8] { registry.emitToBuffer() }
}

import Foundation
import Logging
import ParleyCore
import ParleyEngine
@testable import ParleyServer
import ParleyTestSupport
import Testing

@Suite("/metrics")
struct MetricsTests {
    @Test("parses as Prometheus text, and its counters match what the passes did")
    func countersMatchThePasses() async throws {
        try await ServerHarness.with(erpSeed: 4, pmsSeed: 3, pmsSeedOffset: 2) { harness in
            try await harness.sync.erpClient.patch("customers", "1", ["name": "Metered AS"])
            let manual = try await harness.post("/api/sync")
            #expect(manual.status == 200)
            let reply = try await harness.get("/metrics")
            #expect(reply.status == 200)
            #expect(reply.headers.first(name: "Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            let metrics = try PrometheusText.parse(reply.body)

            // What the sync did: the scheduled pass (from the polling loop) plus the pass asked for through the API.
            let scheduled = harness.passes.all
            #expect(scheduled.map(\.kind) == [.scheduled])
            var expected: [String: Double] = [:]
            func add(_ key: String, _ n: Int?) { expected[key, default: 0] += Double(n ?? 0) }
            for flow in harness.sync.flows {
                for side in Side.allCases {
                    let system = flow.datatype(on: side).system
                    for report in scheduled.flatMap(\.report.flows) where report.flow == flow.name {
                        add("read \(flow.name) \(system)", report.read[side])
                        add("created \(flow.name) \(system)", report.created[side])
                        add("updated \(flow.name) \(system)", report.updated[side])
                    }
                    for report in manual.json?["report"]?["flows"]?.arrayValue ?? [] where report["flow"]?.stringValue == flow.name {
                        add("read \(flow.name) \(system)", report["read"]?[side.rawValue]?.int64Value.map(Int.init))
                        add("created \(flow.name) \(system)", report["created"]?[side.rawValue]?.int64Value.map(Int.init))
                        add("updated \(flow.name) \(system)", report["updated"]?[side.rawValue]?.int64Value.map(Int.init))
                    }
                    let labels = ["flow": flow.name, "system": system]
                    #expect(metrics.value("parley_records_read_total", labels) == expected["read \(flow.name) \(system)"], "read \(labels)")
                    for operation in ["created", "updated"] {
                        var written = labels
                        written["operation"] = operation
                        #expect(
                            metrics.value("parley_records_written_total", written) == expected["\(operation) \(flow.name) \(system)"],
                            "\(operation) \(labels)")
                    }
                }
                let linked = scheduled.flatMap(\.report.flows).filter { $0.flow == flow.name }.reduce(0) { $0 + $1.linked }
                #expect(metrics.value("parley_records_linked_total", ["flow": flow.name]) == Double(linked))
                let counts = try await harness.sync.store.counts(flow: flow.name)
                #expect(metrics.value("parley_flow_records", ["flow": flow.name, "state": "linked"]) == Double(counts.linked))
                #expect(metrics.value("parley_flow_records", ["flow": flow.name, "state": "open_conflicts"]) == Double(counts.openConflicts))
            }
            #expect((expected["read customers erp"] ?? 0) > 4, "the manual pass read the edit and the echoes of the first pass")
            #expect(expected["updated customers pms"] ?? 0 >= 1)
            #expect(metrics.value("parley_passes_total", ["kind": "scheduled"]) == 1)
            #expect(metrics.value("parley_passes_total", ["kind": "manual"]) == 1)
            #expect(metrics.value("parley_passes_total", ["kind": "webhook"]) == 0)
            #expect(metrics.value("parley_pass_duration_seconds_count", ["kind": "scheduled"]) == 1)
            #expect(metrics.value("parley_pass_duration_seconds_bucket", ["kind": "scheduled", "le": "+Inf"]) == 1)
            #expect((metrics.value("parley_pass_duration_seconds_sum", ["kind": "scheduled"]) ?? 0) > 0)
            #expect(metrics.types["parley_pass_duration_seconds"] == "histogram")
            #expect(metrics.types["parley_records_read_total"] == "counter")
            #expect(metrics.types["parley_flow_records"] == "gauge")
            #expect(metrics.value("parley_pass_errors_total") == 0)
        }
    }

    @Test("the JSON log handler writes one object per line and never a credential")
    func jsonLogs() throws {
        let lines = LineSink()
        var logger = Logger(label: "parley.test") { label in JSONLogHandler(label: label) { lines.append($0) } }
        logger.logLevel = .info
        logger.info("webhooks registered", metadata: ["system": "erp", "apiToken": "s3cret", "webhookSecret": "hush"])
        logger.debug("not written at info")
        let written = lines.all
        #expect(written.count == 1)
        let line = try #require(written.first)
        #expect(line.hasSuffix("\n"))
        let json = try JSONValue.parse(line)
        #expect(json["level"] == "info")
        #expect(json["label"] == "parley.test")
        #expect(json["message"] == "webhooks registered")
        #expect(json["metadata"] == ["system": "erp", "apiToken": "***", "webhookSecret": "***"])
        #expect(!line.contains("s3cret") && !line.contains("hush"))
    }
}

final class LineSink: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        lines.append(line)
    }
    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return lines
    }
}

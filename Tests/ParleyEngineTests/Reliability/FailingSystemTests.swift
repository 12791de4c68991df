import Foundation
import ParleyConnectors
import ParleyCore
import ParleyEngine
import ParleyTestSupport
import Testing

extension Reliability {
    @Suite("Failing systems, hostile server")
    struct FailingSystemTests {
        /// ERP customer id -> hostile id, from the links.
        static func links(_ harness: HostileHarness) async throws -> [String: String] {
            var result: [String: String] = [:]
            for link in try await harness.store.links(flow: "customers", after: nil, limit: 1000) where link.state == .linked {
                if let left = link.leftId, let right = link.rightId { result[left] = right }
            }
            return result
        }

        /// Every ERP customer has exactly one linked hostile record with the same name, and nothing else exists.
        static func expectConverged(_ harness: HostileHarness, count: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let erp = try await harness.erpCustomers()
            let hostile = await harness.state.allRecords
            let links = try await Self.links(harness)
            #expect(erp.count == count, sourceLocation: sourceLocation)
            #expect(hostile.count == count, "duplicates or missing records: \(hostile.keys.sorted())", sourceLocation: sourceLocation)
            #expect(links.count == count, sourceLocation: sourceLocation)
            #expect(Set(links.values).count == links.count, sourceLocation: sourceLocation)
            for (erpId, record) in erp {
                let name = record["name"]?.stringValue
                #expect(links[erpId].flatMap { hostile[$0]?["display_name"]?.stringValue } == name, "ERP \(erpId)", sourceLocation: sourceLocation)
            }
        }

        /// Passes until one writes nothing and defers nothing (at most `limit`).
        @discardableResult
        static func passUntilQuiet(_ engine: SyncEngine, limit: Int = 8) async -> Int {
            for pass in 1...limit {
                let report = await engine.syncPass()
                if report.errors.isEmpty, report.writes == 0, report.flows.allSatisfy({ $0.deferred == 0 && $0.parked == 0 }) { return pass }
            }
            return limit + 1
        }

        @Test("connection refused, then the system comes back: edits made meanwhile arrive, nothing is duplicated")
        func connectionRefusedThenRecovers() async throws {
            let harness = try await HostileHarness.start(erpSeed: 5)
            do {
                #expect(await harness.engine().syncPass().errors == [])
                try await Self.expectConverged(harness, count: 5)
                let gone = try await HostileServer.start()
                await gone.stop()
                let down = ContractConnector(system: "pms", baseURL: gone.baseURL, token: nil, timeoutMillis: 500)
                try await harness.erpClient.patch("customers", "1", ["name": "Edited While Down AS"])
                try await harness.erpClient.patch("customers", "2", ["name": "Also Edited AS"])

                let report = await harness.engine(connectors: ["pms": down]).syncPass()
                await down.shutdown()
                #expect(report.errors.count == 1)
                #expect(report.errors.first?.contains("pms: temporarily unavailable") == true, "\(report.errors)")
                #expect(report.writes == 0)
                // The two edits wait (parked on the unavailable system) instead of being dropped.
                #expect(try await harness.store.counts(flow: "customers").parked == 2)

                #expect(await Self.passUntilQuiet(harness.engine()) <= 2)
                try await Self.expectConverged(harness, count: 5)
                let links = try await Self.links(harness)
                #expect(await harness.state.record(links["1"] ?? "")?["display_name"] == "Edited While Down AS")
            } catch {
                await harness.stop()
                throw error
            }
            await harness.stop()
        }

        @Test("resets, stalls past the timeout, 500s and writes accepted but unanswered: converges, no duplicates, no lost edit")
        func flakySystemConverges() async throws {
            let harness = try await HostileHarness.start(erpSeed: 12, timeoutMillis: 500)
            do {
                let state = harness.state
                let slow = Duration.milliseconds(1_500)
                for rule in [
                    HostileRule(methods: ["GET"], pathPrefix: "/customers?", behaviour: .status(500, retryAfter: nil), remaining: 2),
                    HostileRule(methods: ["GET"], pathPrefix: "/customers?", behaviour: .reset, remaining: 1),
                    HostileRule(methods: ["POST"], behaviour: .reset, remaining: 2),
                    HostileRule(methods: ["POST"], behaviour: .acceptThenStall(slow), remaining: 4),
                    HostileRule(methods: ["POST"], behaviour: .stall(slow), remaining: 2),
                    HostileRule(methods: ["PATCH"], behaviour: .acceptThenStall(slow), remaining: 3),
                ] { await state.addRule(rule) }
                await Self.passUntilQuiet(harness.engine())
                // Creates were retried after lost answers (8 of them failed or went unanswered) ...
                #expect(await state.requestCount(method: "POST") >= 12 + 8)
                await state.clearRules()
                #expect(await Self.passUntilQuiet(harness.engine()) == 1)
                // ... and yet each ERP customer exists exactly once on the other side.
                try await Self.expectConverged(harness, count: 12)

                // Edits on both sides while answers get lost again.
                let links = try await Self.links(harness)
                try await harness.erpClient.patch("customers", "3", ["name": "ERP Edit Three AS"])
                try await harness.erpClient.patch("customers", "4", ["name": "ERP Edit Four AS"])
                let hostile5 = try #require(links["5"])
                var record5 = try #require(await state.record(hostile5))
                record5.setValue("Hostile Edit Five AS", at: "display_name")
                await state.put(record5)
                for rule in [
                    HostileRule(methods: ["PATCH"], behaviour: .acceptThenStall(slow), remaining: 2),
                    HostileRule(methods: ["GET"], pathPrefix: "/customers/", behaviour: .stall(slow), remaining: 2),
                    HostileRule(methods: ["GET"], pathPrefix: "/customers?", behaviour: .reset, remaining: 1),
                ] { await state.addRule(rule) }
                await Self.passUntilQuiet(harness.engine())
                await state.clearRules()
                #expect(await Self.passUntilQuiet(harness.engine()) == 1)
                try await Self.expectConverged(harness, count: 12)
                #expect(try await harness.erpClient.get("customers", "5")?["name"] == "Hostile Edit Five AS")
                #expect(await state.record(links["3"] ?? "")?["display_name"] == "ERP Edit Three AS")
                #expect(await state.record(links["4"] ?? "")?["display_name"] == "ERP Edit Four AS")
            } catch {
                await harness.stop()
                throw error
            }
            await harness.stop()
        }

        /// Gaps between the requests the hostile system received while a rule was in force.
        static func gaps(_ requests: [HostileRequest]) -> [Duration] {
            zip(requests, requests.dropFirst()).map { $0.at.duration(to: $1.at) }
        }

        @Test("a 429 storm with Retry-After: Parley waits as told instead of hammering, then converges")
        func rateLimitStorm() async throws {
            let harness = try await HostileHarness.start()
            do {
                let state = harness.state
                for n in 1...3 { await state.put(HostileRecords.customer("rl-\(n)", name: "Rate Limited \(n) AS")) }
                await state.addRule(HostileRule(pathPrefix: "/customers", behaviour: .status(429, retryAfter: "1")))
                // Production retry settings (the harness shortens them).
                let engine = harness.engine { $0.retryBaseDelayMillis = 200; $0.retryMaxDelayMillis = 10_000 }
                let pass = Task { await engine.syncPass() }
                // A window of 3.3 s from the first refused request (the ERP side is read first, slowly on a busy machine).
                var first: ContinuousClock.Instant?
                for _ in 0..<300 where first == nil {
                    first = await state.requests.first { $0.target.hasPrefix("/customers") }?.at
                    if first == nil { try await Task.sleep(for: .milliseconds(20)) }
                }
                let start = try #require(first)
                try await Task.sleep(until: start + .milliseconds(3_300))
                let storm = await state.requests.filter { $0.target.hasPrefix("/customers") && $0.at <= start + .milliseconds(3_300) }
                await state.clearRules()
                let report = try await withTimeLimit(60, "a pass after a 429 storm") { await pass.value }
                #expect(storm.count >= 2 && storm.count <= 4, "\(storm.count) requests in 3.3 s")
                for gap in Self.gaps(storm) { #expect(gap >= .milliseconds(950), "a retry came \(gap) after the previous request") }
                #expect(report.errors == [])
                #expect(try await harness.erpCustomers().count == 3)
            } catch {
                await harness.stop()
                throw error
            }
            await harness.stop()
        }

        @Test("500s without Retry-After: retries back off exponentially and stop; the next pass converges")
        func serverErrorsBackOff() async throws {
            let harness = try await HostileHarness.start()
            do {
                let state = harness.state
                for n in 1...3 { await state.put(HostileRecords.customer("se-\(n)", name: "Server Error \(n) AS")) }
                await state.addRule(HostileRule(pathPrefix: "/customers", behaviour: .status(503, retryAfter: nil)))
                let engine = harness.engine { $0.retryBaseDelayMillis = 200; $0.retryMaxDelayMillis = 10_000 }
                let report = try await withTimeLimit(60, "a pass against a failing system") { await engine.syncPass() }
                let failing = await state.requests.filter { $0.target.hasPrefix("/customers") }
                // Six attempts of the one feed read, spaced further apart each time; then the pass gives up.
                #expect(failing.count == 6)
                let gaps = Self.gaps(failing)
                for (earlier, later) in zip(gaps, gaps.dropFirst()) { #expect(later >= earlier - .milliseconds(5), "\(gaps)") }
                #expect((gaps.first ?? .zero) >= .milliseconds(100))
                #expect(report.errors.count == 1)
                #expect(report.errors.first?.contains("HTTP 503") == true, "\(report.errors)")
                #expect(report.writes == 0)

                await state.clearRules()
                #expect(await Self.passUntilQuiet(harness.engine()) <= 2)
                try await Self.expectConverged(harness, count: 3)
            } catch {
                await harness.stop()
                throw error
            }
            await harness.stop()
        }
    }
}

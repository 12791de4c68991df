import Testing
@testable import ParleyReference

@Suite struct FaultTests {
    @Test func rateLimitAnswers429WithRetryAfter() async throws {
        // Half a request per second: the first request passes, the next one within two seconds is refused.
        try await withReference(ReferenceOptions(kind: .erp, faults: FaultSettings(rateLimit: 0.5))) { _, client in
            #expect(try await client.get("/customers").status == 200)
            let limited = try await client.get("/customers")
            #expect(limited.status == 429)
            #expect(limited.errorCode == "rate_limited")
            let retryAfter = try #require(limited.header("Retry-After").flatMap { Int($0) })
            #expect((1...2).contains(retryAfter))
            #expect(try await client.get("/healthz").status == 200)
        }
    }

    @Test func failRateOneAnswers500AndChangesNothing() async throws {
        try await withReference(ReferenceOptions(kind: .pms, seed: 3)) { running, client in
            let before = try await client.get("/customers?limit=1000")
            try await running.setFaults(FaultSettings(failRate: 1))
            let create = try await client.post("/customers", #"{"display_name":"Never Stored AS"}"#)
            #expect(create.status == 500)
            #expect(create.errorCode == "injected_failure")
            let id = try #require(before.json["items"]?.arrayValue?.first?["id"]?.stringValue)
            #expect(try await client.patch("/customers/\(id)", #"{"display_name":"Never"}"#).status == 500)
            #expect(try await client.delete("/customers/\(id)").status == 500)
            #expect(try await client.get("/customers").status == 500)
            #expect(try await client.get("/_admin/faults").status == 200)
            try await running.setFaults(.none)
            let after = try await client.get("/customers?limit=1000")
            #expect(after.json == before.json)
            #expect(try await running.recordCounts()["customers"] == 3)
        }
    }

    @Test func acceptThenFailCommitsButAnswers503() async throws {
        try await withReference(ReferenceOptions(kind: .erp, faults: FaultSettings(acceptThenFailRate: 1))) { running, client in
            let body = JSONValue.object(SampleData.company(index: 1).erpCustomerBody).text
            let lost = try await client.post("/customers", body, headers: [("Idempotency-Key", "k-1")])
            #expect(lost.status == 503)
            #expect(lost.errorMessage.contains("committed"))
            try await running.setFaults(.none)
            let feed = try await client.get("/customers")
            #expect(feed.json["items"]?.arrayValue?.count == 1)
            let retried = try await client.post("/customers", body, headers: [("Idempotency-Key", "k-1")])
            #expect(retried.status == 200)
            #expect(retried.header("Idempotent-Replayed") == "true")
            #expect(try await running.recordCounts()["customers"] == 1)
        }
    }

    @Test func adminEndpointReadsAndReplacesFaults() async throws {
        try await withReference(ReferenceOptions(kind: .erp, token: "t")) { running, client in
            let initial = try await client.get("/_admin/faults")
            #expect(initial.json == JSONValue.object([
                "latencyMs": .integer(0), "failRate": .integer(0), "rateLimit": .null, "dropWebhooks": .integer(0),
                "clockOffsetMs": .integer(0), "acceptThenFailRate": .integer(0), "randomSeed": .integer(1),
            ]))
            let put = try await client.send(.PUT, "/_admin/faults", body: #"{"latencyMs":50,"failRate":0.25,"clockOffsetMs":-3600000}"#)
            #expect(put.status == 200)
            #expect(put.json["failRate"] == .number(JSONNumber(validatedText: "0.25")))
            #expect(await running.faults() == FaultSettings(latencyMs: 50, failRate: 0.25, clockOffsetMs: -3_600_000))
            let invalid = try await client.send(.PUT, "/_admin/faults", body: #"{"failRate":2}"#)
            #expect(invalid.status == 422)
            #expect(invalid.errorProperty == "failRate")
            let unknown = try await client.send(.PUT, "/_admin/faults", body: #"{"chaos":true}"#)
            #expect(unknown.status == 422)
            #expect(unknown.errorProperty == "chaos")
        }
    }

    @Test func latencyAndClockOffsetApply() async throws {
        let faults = FaultSettings(latencyMs: 150, clockOffsetMs: -86_400_000)
        try await withReference(ReferenceOptions(kind: .pms, faults: faults)) { _, client in
            let clock = ContinuousClock()
            let start = clock.now
            let created = try await client.post("/customers", #"{"display_name":"Skewed AS"}"#)
            #expect(start.duration(to: clock.now) >= .milliseconds(150))
            let marker = try #require(created.json["updated_at"]?.int64Value)
            let skew = Timestamp.nowMilliseconds() - marker
            #expect(skew >= 86_400_000 && skew < 86_400_000 + 10_000)
        }
    }

    @Test func failRateIsRepeatableForASeed() async throws {
        func outcomes() async throws -> [Int] {
            try await withReference(ReferenceOptions(kind: .erp, faults: FaultSettings(failRate: 0.5, randomSeed: 7))) { _, client in
                var statuses: [Int] = []
                for _ in 0..<30 { statuses.append(try await client.get("/schema").status) }
                return statuses
            }
        }
        let first = try await outcomes()
        #expect(try await outcomes() == first)
        #expect(first.contains(500) && first.contains(200))
    }
}

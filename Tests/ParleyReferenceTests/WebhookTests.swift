import Testing
@testable import ParleyReference

@Suite struct WebhookTests {
    static let fastRetry = WebhookRetryPolicy(maximumAttempts: 6, initialDelay: .milliseconds(20), timeout: .seconds(5))

    @Test func deliversSignedEventsForEveryChange() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        let url = await receiver.url
        try await withReference(ReferenceOptions(kind: .erp, webhookRetry: Self.fastRetry)) { _, client in
            let subscribed = try await client.post("/webhooks", #"{"url":"\#(url)","secret":"whsec-test","collections":["customers"]}"#)
            #expect(subscribed.status == 201)
            #expect(subscribed.json["secret"] == nil)
            #expect(subscribed.json["collections"] == .array([.string("customers")]))
            #expect(!subscribed.text.contains("whsec-test"))
            let listed = try await client.get("/webhooks")
            #expect(listed.json["items"]?.arrayValue?.count == 1)
            #expect(!listed.text.contains("whsec-test"))

            let created = try await client.post("/customers", JSONValue.object(SampleData.company(index: 1).erpCustomerBody).text)
            let id = try #require(created.json["id"])
            #expect(try await client.patch("/customers/\(id.text)", #"{"name":"Renamed AS"}"#).status == 200)
            #expect(try await client.patch("/customers/\(id.text)", #"{"name":"Renamed AS"}"#).status == 200) // no change, no event
            #expect(try await client.post("/projects", #"{"projectNumber":"P-1","name":"Not subscribed","customerId":\#(id.text)}"#).status == 201)
            #expect(try await client.delete("/customers/\(id.text)").status == 204)

            #expect(await eventually { await receiver.deliveries.count >= 3 })
            try await Task.sleep(for: .milliseconds(200))
            let deliveries = await receiver.deliveries.sorted {
                ($0.json["sequence"]?.stringValue.flatMap { Int($0) } ?? 0) < ($1.json["sequence"]?.stringValue.flatMap { Int($0) } ?? 0)
            }
            #expect(deliveries.count == 3)
            #expect(deliveries.map { $0.json["event"]?.stringValue } == ["created", "updated", "deleted"])
            #expect(deliveries.map { $0.json["sequence"]?.stringValue } == ["1", "2", "3"])
            for delivery in deliveries {
                #expect(delivery.signature == WebhookReceiver.expectedSignature(secret: "whsec-test", body: delivery.body))
                #expect(delivery.signature != WebhookReceiver.expectedSignature(secret: "other", body: delivery.body))
                #expect(delivery.contentType == "application/json")
                #expect(delivery.deliveryHeader == delivery.json["deliveryId"]?.stringValue)
                #expect(delivery.json["system"] == .string("erp"))
                #expect(delivery.json["collection"] == .string("customers"))
                #expect(delivery.json["id"] == id)
                let occurredAt = try #require(delivery.json["occurredAt"]?.stringValue)
                #expect(occurredAt == delivery.json["record"]?["lastModified"]?.stringValue)
            }
            #expect(deliveries[1].json["record"]?["name"] == .string("Renamed AS"))
            #expect(deliveries[2].json["record"] == .object(["id": id, "deleted": .bool(true), "lastModified": try #require(deliveries[2].json["record"]?["lastModified"])]))

            let webhookID = try #require(subscribed.json["id"]?.stringValue)
            #expect(try await client.delete("/webhooks/\(webhookID)").status == 204)
            #expect(try await client.delete("/webhooks/\(webhookID)").status == 404)
            #expect(try await client.post("/customers", JSONValue.object(SampleData.company(index: 2).erpCustomerBody).text).status == 201)
            try await Task.sleep(for: .milliseconds(300))
            #expect(await receiver.deliveries.count == 3)
        }
        await receiver.stop()
    }

    @Test func retriesUntilTheReceiverAccepts() async throws {
        let receiver = WebhookReceiver(failFirst: 3)
        try await receiver.start()
        let url = await receiver.url
        try await withReference(ReferenceOptions(kind: .pms, webhookRetry: Self.fastRetry)) { _, client in
            #expect(try await client.post("/webhooks", #"{"url":"\#(url)","secret":"k"}"#).status == 201)
            let created = try await client.post("/customers", #"{"display_name":"Retry Test AS"}"#)
            #expect(created.status == 201)
            #expect(await eventually { await receiver.deliveries.count == 1 })
            #expect(await receiver.attempts == 4)
            let delivery = try #require(await receiver.deliveries.first)
            #expect(delivery.json["system"] == .string("pms"))
            #expect(delivery.json["id"] == created.json["id"])
            #expect(delivery.json["record"]?["updated_at"] == created.json["updated_at"])
        }
        await receiver.stop()
    }

    @Test func givesUpAfterTheLastAttempt() async throws {
        let receiver = WebhookReceiver(failFirst: 100)
        try await receiver.start()
        let url = await receiver.url
        let retry = WebhookRetryPolicy(maximumAttempts: 3, initialDelay: .milliseconds(10))
        try await withReference(ReferenceOptions(kind: .erp, webhookRetry: retry)) { _, client in
            #expect(try await client.post("/webhooks", #"{"url":"\#(url)","secret":"k"}"#).status == 201)
            #expect(try await client.post("/customers", JSONValue.object(SampleData.company(index: 3).erpCustomerBody).text).status == 201)
            #expect(await eventually { await receiver.attempts == 3 })
            try await Task.sleep(for: .milliseconds(200))
            #expect(await receiver.attempts == 3)
        }
        await receiver.stop()
    }

    /// Drops with a seeded generator: the same seed drops the same deliveries in every run.
    static func deliveredCount(dropShare: Double, writes: Int, expected: Int) async throws -> Int {
        let receiver = WebhookReceiver()
        try await receiver.start()
        let url = await receiver.url
        let faults = FaultSettings(dropWebhooks: dropShare, randomSeed: 42)
        let count = try await withReference(ReferenceOptions(kind: .pms, faults: faults, webhookRetry: Self.fastRetry)) { _, client in
            #expect(try await client.post("/webhooks", #"{"url":"\#(url)","secret":"k"}"#).status == 201)
            for index in 0..<writes {
                #expect(try await client.post("/customers", #"{"display_name":"Customer \#(index)"}"#).status == 201)
            }
            _ = await eventually { await receiver.deliveries.count >= expected }
            try await Task.sleep(for: .milliseconds(300))
            return await receiver.deliveries.count
        }
        await receiver.stop()
        return count
    }

    @Test func dropsTheConfiguredShareOfDeliveries() async throws {
        #expect(try await Self.deliveredCount(dropShare: 1, writes: 10, expected: 0) == 0)
        #expect(try await Self.deliveredCount(dropShare: 0, writes: 10, expected: 10) == 10)
        var generator = SplitMix64(seed: 42)
        let expected = (0..<40).filter { _ in !generator.chance(0.5) }.count
        let delivered = try await Self.deliveredCount(dropShare: 0.5, writes: 40, expected: expected)
        #expect(delivered == expected)
        #expect(delivered > 5 && delivered < 35)
    }

    @Test func validatesSubscriptions() async throws {
        try await withReference(ReferenceOptions(kind: .erp)) { _, client in
            let badURL = try await client.post("/webhooks", #"{"url":"ftp://example","secret":"k"}"#)
            #expect(badURL.status == 422)
            #expect(badURL.errorProperty == "url")
            let noSecret = try await client.post("/webhooks", #"{"url":"http://127.0.0.1:1/x"}"#)
            #expect(noSecret.status == 422)
            #expect(noSecret.errorProperty == "secret")
            let badCollection = try await client.post("/webhooks", #"{"url":"http://127.0.0.1:1/x","secret":"k","collections":["tasks"]}"#)
            #expect(badCollection.status == 422)
            #expect(badCollection.errorProperty == "collections")
            let all = try await client.post("/webhooks", #"{"url":"http://127.0.0.1:1/x","secret":"k"}"#)
            #expect(all.json["collections"] == .array([.string("customers"), .string("projects")]))
            #expect(all.header("Location") == "/webhooks/\(all.json["id"]?.stringValue ?? "")")
        }
    }
}

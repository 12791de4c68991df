import Foundation
import ParleyCore
import ParleyEngine
import ParleyTestSupport
import Testing

extension Reliability {
    @Suite("Bad records from a system")
    struct HostileRecordTests {
        /// Ids that must reach the hostile system escaped, with the path each must arrive at.
        static let hostileIds: [(id: String, name: String, escaped: String)] = [
            ("a/b", "Slash AS", "/customers/a%2Fb"),
            ("..", "Dots AS", "/customers/%2E%2E"),
            ("../../schema", "Traversal AS", "/customers/%2E%2E%2F%2E%2E%2Fschema"),
            ("what?limit=1", "Query AS", "/customers/what%3Flimit%3D1"),
            ("100%25", "Percent AS", "/customers/100%2525"),
            ("sp ace#frag", "Space AS", "/customers/sp%20ace%23frag"),
        ]

        @Test("each bad record is quarantined with system, datatype, id and property; every good record syncs; ids are escaped")
        func badRecordsQuarantinedGoodOnesSync() async throws {
            let harness = try await HostileHarness.start()
            do {
                let state = harness.state
                await state.put(HostileRecords.customer("good-1", name: "Good One AS", orgNo: "911 111 111"))
                for hostile in Self.hostileIds { await state.put(HostileRecords.customer(hostile.id, name: hostile.name)) }
                let base = HostileRecords.customer("x", name: "x")
                await state.put(HostileRecords.with(HostileRecords.with(base, "id", "wrong-type"), "display_name", 42))
                await state.put(HostileRecords.with(HostileRecords.with(base, "id", "wrong-bool"), "archived", "yes"))
                await state.put(HostileRecords.with(HostileRecords.with(base, "id", "null-name"), "display_name", nil))
                await state.put(HostileRecords.with(
                    HostileRecords.with(base, "id", "huge"), "display_name", .string(String(repeating: "x", count: 10 << 20))))
                var noId = base.objectValue ?? [:]
                noId["id"] = nil
                noId["updated_at"] = 1_767_225_600_000
                await state.appendRaw(JSONValue.object(noId).jsonBytes)
                await state.appendRaw(Array(#"{"id":{"nested":1},"display_name":"Object Id AS","updated_at":1767225600000}"#.utf8))
                await state.appendRaw(Array("42".utf8))
                await state.appendRaw(Array(#"{"id":"bad-marker","display_name":"Bad Marker AS","updated_at":"yesterday"}"#.utf8), id: "bad-marker")
                await state.appendRaw(Array(#"{"id":"bad-utf8","display_name":"Bad "#.utf8) + [0xFF, 0xFE] + Array(#"","updated_at":1767225600000}"#.utf8), id: "bad-utf8")
                // The same id twice in one page: the later entry is the record's latest state.
                await state.appendRaw(HostileRecords.with(HostileRecords.customer("dup", name: "Dup Old AS"), "updated_at", 1_767_225_600_000).jsonBytes)
                await state.put(HostileRecords.customer("dup", name: "Dup New AS"))
                await state.put(HostileRecords.customer("good-2", name: "Good Two AS"))

                let report = await harness.engine().syncPass()
                #expect(report.errors == [])
                let erpNames = Set(try await harness.erpCustomers().values.compactMap { $0["name"]?.stringValue })
                let expectedNames: Set<String> = Set(["Good One AS", "Good Two AS", "Dup New AS"] + Self.hostileIds.map(\.name))
                #expect(erpNames == expectedNames)
                for hostile in Self.hostileIds {
                    let erp = try await harness.linkedERPCustomer(of: hostile.id)
                    #expect(erp?["name"]?.stringValue == hostile.name, "\(hostile.id)")
                    // The ERP's customer number was written back to the record, at the escaped path.
                    #expect(await state.requestCount(method: "PATCH", targetPrefix: hostile.escaped) >= 1, "\(hostile.escaped)")
                    #expect(await state.record(hostile.id)?["erp_number"]?.stringValue == erp?["customerNumber"]?.stringValue)
                }
                // Nothing ever addressed a record through an unescaped id.
                for request in await state.requests where request.target.hasPrefix("/customers/") {
                    let segment = String(request.target.dropFirst("/customers/".count))
                    #expect(!segment.contains("/") && !segment.contains("?") && !segment.contains("#") && !segment.contains(".."), "\(request.target)")
                }

                let quarantine = try await harness.store.quarantined(flow: "customers", limit: 100)
                let reasons = Dictionary(quarantine.map { ($0.id, $0.reason) }, uniquingKeysWith: { a, b in a + " | " + b })
                let named = Set(reasons.keys.filter { !$0.hasPrefix("(no id) ") })
                #expect(named == ["wrong-type", "wrong-bool", "null-name", "huge", "bad-marker", "bad-utf8"])
                // Items without an id each keep an entry of their own.
                let unnamed = reasons.filter { $0.key.hasPrefix("(no id) ") }.values.sorted()
                #expect(unnamed.count == 3)
                #expect(unnamed.filter { $0.contains("pms customer: record has no usable id field 'id'") }.count == 2)
                #expect(unnamed.filter { $0.contains("pms customer: record is a number, expected an object") }.count == 1)
                func expectReason(_ id: String, _ fragments: [String]) {
                    let reason = reasons[id] ?? ""
                    for fragment in fragments { #expect(reason.contains(fragment), "\(id): \(reason)") }
                    #expect(reason.utf8.count < 2_000, "\(id): reason is \(reason.utf8.count) bytes")
                }
                expectReason("wrong-type", ["pms.customer", "wrong-type", "display_name", "expected string"])
                expectReason("wrong-bool", ["pms.customer", "wrong-bool", "archived", "expected boolean"])
                expectReason("null-name", ["pms.customer", "null-name", "name"])
                expectReason("huge", ["pms.customer", "huge", "display_name", "10485760 bytes"])
                expectReason("bad-marker", ["pms", "customer", "bad-marker", "updated_at"])
                expectReason("bad-utf8", ["pms", "customer", "bad-utf8", "UTF-8"])
                #expect(quarantine.allSatisfy { $0.side == .right })

                // Nothing repeats: a second pass writes nothing and creates no duplicates.
                let again = await harness.engine().syncPass()
                #expect(again.errors == [])
                #expect(again.writes == 0)
                #expect(try await harness.erpCustomers().count == expectedNames.count)
            } catch {
                await harness.stop()
                throw error
            }
            await harness.stop()
        }
    }
}

extension Reliability.HostileRecordTests {
    static func page(_ ids: [String], next: String, hasMore: Bool) -> [UInt8] {
        let items = ids.map { HostileRecords.with(HostileRecords.customer($0, name: "Feed \($0) AS"), "updated_at", 1_767_225_600_000) }
        return JSONValue.object(["items": .array(items), "next": .string(next), "hasMore": .bool(hasMore)]).jsonBytes
    }

    @Test("a cursor that goes backwards and a page that repeats end the read instead of looping; every record syncs")
    func cursorCycles() async throws {
        let harness = try await HostileHarness.start()
        do {
            let state = harness.state
            // Readable records behind the scripted feed, so writes back to them land.
            for id in ["feed-a", "feed-b", "feed-c"] { await state.put(HostileRecords.customer(id, name: "Feed \(id) AS")) }
            await state.script(since: "", page: Self.page(["feed-a"], next: "10", hasMore: true))
            await state.script(since: "10", page: Self.page(["feed-b"], next: "5", hasMore: true))  // backwards
            await state.script(since: "5", page: Self.page(["feed-c"], next: "5", hasMore: true))  // repeats itself
            let engine = harness.engine()
            let report = try await withTimeLimit(30, "a pass over a cycling feed") { await engine.syncPass() }
            #expect(report.errors == [])
            let names = Set(try await harness.erpCustomers().values.compactMap { $0["name"]?.stringValue })
            #expect(names == ["Feed feed-a AS", "Feed feed-b AS", "Feed feed-c AS"])
            // The feed is read a bounded number of times per pass, and the next pass stays bounded too.
            #expect(await state.requestCount(method: "GET", targetPrefix: "/customers?") <= 4)
            let again = try await withTimeLimit(30, "a second pass over a cycling feed") { await engine.syncPass() }
            #expect(again.errors == [])
            #expect(again.writes == 0)
            #expect(try await harness.erpCustomers().count == 3)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}

extension Reliability.HostileRecordTests {
    @Test("a linked record the system answers garbage for is quarantined; the flow's other changes still sync")
    func unreadableCounterpart() async throws {
        let harness = try await HostileHarness.start()
        do {
            let state = harness.state
            await state.put(HostileRecords.customer("r1", name: "Readable One AS"))
            await state.put(HostileRecords.customer("r2", name: "Readable Two AS"))
            #expect(await harness.engine().syncPass().errors == [])
            let erp1 = try #require(try await harness.store.links(flow: "customers", side: .right, ids: ["r1"])["r1"]?.leftId)
            let erp2 = try #require(try await harness.store.links(flow: "customers", side: .right, ids: ["r2"])["r2"]?.leftId)
            try await harness.erpClient.patch("customers", erp1, ["phone": "+47 1111"])
            try await harness.erpClient.patch("customers", erp2, ["phone": "+47 2222"])
            await state.addRule(HostileRule(methods: ["GET"], pathPrefix: "/customers/r1", behaviour: .body(Array(#"{"id":"r1","display_name":"#.utf8) + [0xC3])))

            let report = await harness.engine().syncPass()
            #expect(report.errors == [])
            #expect(await state.record("r2")?["contact_phone"] == "+47 2222")
            let entry = try await harness.store.quarantineEntry(flow: "customers", side: .left, id: erp1)
            #expect(entry?.reason.contains("pms.customer r1") == true, "\(String(describing: entry))")
            #expect(entry?.reason.contains("invalid JSON") == true, "\(String(describing: entry))")

            // Once the system answers again, the change goes through and the entry is cleared.
            await state.clearRules()
            try await harness.erpClient.patch("customers", erp1, ["phone": "+47 1112"])
            #expect(await harness.engine().syncPass().errors == [])
            #expect(await state.record("r1")?["contact_phone"] == "+47 1112")
            #expect(try await harness.store.quarantineEntry(flow: "customers", side: .left, id: erp1) == nil)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}

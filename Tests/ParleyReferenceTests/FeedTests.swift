import Testing
@testable import ParleyReference

/// Paging through a seeded change feed with small limits while records change underneath.
@Suite struct FeedTests {
    static let customers = 10_000

    struct Item {
        let record: JSONValue
        var id: JSONValue { record["id"] ?? .null }
    }

    /// Pages `/customers` with `limit`, calling `during(pageNumber)` after each page; checks that cursors
    /// only move forward and returns every item in delivery order.
    static func page(
        _ client: TestClient, limit: Int, since: String? = nil,
        during: (Int, [Item]) async throws -> Void = { _, _ in }
    ) async throws -> (items: [Item], next: String) {
        var cursor = since
        var items: [Item] = []
        var pageNumber = 0
        while true {
            let query = cursor.map { "?since=\($0)&limit=\(limit)" } ?? "?limit=\(limit)"
            let response = try await client.get("/customers\(query)")
            try #require(response.status == 200, "page \(pageNumber): \(response.text)")
            let pageItems = try #require(response.json["items"]?.arrayValue)
            let next = try #require(response.json["next"]?.stringValue)
            #expect(response.json["hasMore"]?.boolValue != nil)
            let hasMore = response.json["hasMore"] == .bool(true)
            #expect(pageItems.count <= limit)
            items += pageItems.map { Item(record: $0) }
            let previous = try #require(Int64(cursor ?? "0"))
            let current = try #require(Int64(next))
            if pageItems.isEmpty {
                #expect(current == previous)
            } else {
                #expect(current >= previous + Int64(pageItems.count))
            }
            cursor = next
            pageNumber += 1
            try await during(pageNumber, items)
            if !hasMore { break }
        }
        return (items, cursor ?? "0")
    }

    @Test(arguments: [ReferenceSystemKind.erp, .pms])
    func pagesTenThousandRecordsEachOnceInOrder(kind: ReferenceSystemKind) async throws {
        try await withReference(ReferenceOptions(kind: kind, seed: Self.customers)) { _, client in
            let marker = kind == .erp ? "lastModified" : "updated_at"
            let (items, next) = try await Self.page(client, limit: 100)
            #expect(items.count == Self.customers)
            #expect(Set(items.map(\.id.pathText)).count == Self.customers)
            #expect(next == String(Self.customers))
            // Seeded in bulk: every record shares one change marker, and none is skipped.
            #expect(Set(items.map { $0.record[marker]?.text ?? "" }).count == 1)

            let end = try await client.get("/customers?since=\(next)&limit=7")
            #expect(end.json["items"] == .array([]))
            #expect(end.json["next"] == .string(next))
            #expect(end.json["hasMore"] == .bool(false))
        }
    }

    @Test(arguments: [ReferenceSystemKind.erp, .pms])
    func recordsChangedWhilePagingAppearAgainAtTheEnd(kind: ReferenceSystemKind) async throws {
        try await withReference(ReferenceOptions(kind: kind, seed: Self.customers)) { _, client in
            let nameField = kind == .erp ? "name" : "display_name"
            // Ids in feed order, read up front with a large page size.
            var allIDs: [JSONValue] = []
            var cursor = "0"
            while true {
                let response = try await client.get("/customers?since=\(cursor)&limit=1000")
                allIDs += try #require(response.json["items"]?.arrayValue).compactMap { $0["id"] }
                cursor = try #require(response.json["next"]?.stringValue)
                if response.json["hasMore"] != .bool(true) { break }
            }
            try #require(allIDs.count == Self.customers)
            let seenThenPatched = allIDs[3], seenThenDeleted = allIDs[4]
            let aheadPatched = allIDs[5000], aheadDeleted = allIDs[6000]

            let (items, _) = try await Self.page(client, limit: 7) { (pageNumber: Int, _: [Item]) async throws in
                guard pageNumber == 50 else { return }
                #expect(try await client.patch("/customers/\(seenThenPatched.pathText)", #"{"\#(nameField)":"Changed while paging A"}"#).status == 200)
                #expect(try await client.patch("/customers/\(aheadPatched.pathText)", #"{"\#(nameField)":"Changed while paging B"}"#).status == 200)
                #expect(try await client.delete("/customers/\(seenThenDeleted.pathText)").status == 204)
                #expect(try await client.delete("/customers/\(aheadDeleted.pathText)").status == 204)
            }
            // Every record once, plus the two changed records that had already been seen.
            #expect(items.count == Self.customers + 2)
            #expect(Set(items.map(\.id.pathText)) == Set(allIDs.map(\.pathText)))
            let tail = Array(items.suffix(4))
            #expect(tail.map(\.id) == [seenThenPatched, aheadPatched, seenThenDeleted, aheadDeleted])
            #expect(tail[0].record[nameField] == .string("Changed while paging A"))
            #expect(tail[1].record[nameField] == .string("Changed while paging B"))
            #expect(tail[2].record["deleted"] == .bool(true))
            #expect(tail[3].record["deleted"] == .bool(true))
            #expect(items.filter { $0.id == seenThenPatched }.count == 2)
            #expect(items.filter { $0.id == aheadPatched }.count == 1)
            #expect(items.filter { $0.id == seenThenDeleted }.count == 2)
            #expect(items.filter { $0.id == aheadDeleted }.count == 1)
            #expect(items.filter { $0.record["deleted"] == .bool(true) }.count == 2)

            // A fresh pass sees each record exactly once, at the position of its latest write.
            let (fresh, _) = try await Self.page(client, limit: 1000)
            #expect(fresh.count == Self.customers)
            #expect(fresh.suffix(4).map(\.id) == [seenThenPatched, aheadPatched, seenThenDeleted, aheadDeleted])
        }
    }

    @Test func rejectsInvalidCursorsAndLimits() async throws {
        try await withReference(ReferenceOptions(kind: .erp, seed: 3)) { _, client in
            for query in ["since=abc", "since=-1", "since=1.5", "since=99", "since=", "limit=0", "limit=1001", "limit=ten"] {
                let response = try await client.get("/customers?\(query)")
                #expect(response.status == 400, "\(query)")
                #expect(response.errorCode == "bad_request", "\(query)")
            }
            let valid = try await client.get("/customers?since=3&limit=1000")
            #expect(valid.status == 200)
            let fromStart = try await client.get("/projects?limit=1")
            #expect(fromStart.json["next"] == .string("1"))
            #expect(fromStart.json["hasMore"] == .bool(true))
        }
    }
}

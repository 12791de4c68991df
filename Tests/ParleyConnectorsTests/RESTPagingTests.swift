import Foundation
import Logging
import ParleyConfig
import ParleyConnectors
import ParleyCore
import Testing

@Suite("REST connector: pagination and change detection")
struct RESTPagingTests {
    static let systems = """
        state: state.sqlite
        systems:
          styles:
            connector: rest
            url: ${REST_URL}
            auth: {apiKey: {header: X-Api-Key, value: "${REST_KEY}"}}
            datatypes:
              paged:
                collection: /styles/page
                records: /data
                pagination: {style: page, size: 10}
                id: {field: id, type: integer}
                properties: {name: string}
              cursored:
                collection: /styles/cursor
                records: /items
                pagination: {style: cursor, sizeParam: limit, size: 7, next: /meta/next}
                id: {field: id, type: integer}
                properties: {name: string}
              linked:
                collection: /styles/link
                pagination: {style: link, sizeParam: per_page, size: 6}
                id: {field: id, type: integer}
                properties: {name: string}
              clients:
                collection: /api/v2/clients
                records: /clients
                record: /client
                pagination: {style: offset, size: 2, total: /total}
                id: {field: id, type: integer}
                properties: {name: string, email: string}
              timed:
                collection: /styles/since
                records: /items
                pagination: {style: offset, size: 2, total: /total}
                changes: {since: updated_since, format: epoch-seconds, overlap: 1s}
                changeMarker: {field: updated, format: epoch-seconds}
                id: {field: id, type: integer}
                properties: {name: string}
        flows:
          - name: loop
            left: styles.paged
            right: styles.linked
            properties:
              - {left: name, right: name}
        """

    struct Fixture {
        let folder: String
        let server: RESTTestServer
        let connector: any ManagedConnector

        static func start() async throws -> Fixture {
            let folder = try EngineHarness.makeFolder()
            let server = RESTTestServer()
            try await server.start()
            try systems.write(toFile: folder + "/parley.yaml", atomically: true, encoding: .utf8)
            let config = try ConfigLoader.load(
                path: folder + "/parley.yaml", environment: ["REST_URL": await server.baseURL, "REST_KEY": RESTTestServer.apiKey])
            let connectors = try await ConnectorFactory.make(config)
            guard let connector = connectors["styles"] else { throw HarnessFailureError("no connector") }
            return Fixture(folder: folder, server: server, connector: connector)
        }

        func stop() async {
            await connector.shutdown()
            await server.stop()
            try? FileManager.default.removeItem(atPath: folder)
        }

        /// Reads a datatype's feed from `cursor` to its end; the ids in order and the final cursor.
        func drain(_ datatype: String, from cursor: String?) async throws -> (ids: [String], cursor: String) {
            var ids: [String] = []
            var cursor = cursor
            while true {
                let page = try await connector.changes(datatype: datatype, since: cursor, limit: 100)
                for case .record(let record) in page.items { ids.append(record.id) }
                cursor = page.next
                if !page.hasMore { return (ids, page.next) }
            }
        }
    }

    @Test("page numbers, cursor tokens and Link headers each read all 25 items exactly once", arguments: ["paged", "cursored", "linked"])
    func styles(datatype: String) async throws {
        let fixture = try await Fixture.start()
        do {
            let first = try await fixture.drain(datatype, from: nil)
            #expect(first.ids == (1...25).map(String.init))
            let again = try await fixture.drain(datatype, from: first.cursor)
            #expect(again.ids == [])
        } catch {
            await fixture.stop()
            throw error
        }
        await fixture.stop()
    }

    @Test("a since-parameter reads only what changed, re-reading the overlap window")
    func since() async throws {
        let fixture = try await Fixture.start()
        do {
            let store = fixture.server.store
            let t0: Int64 = 1_767_600_000
            for id in 1...3 { await store.setTimed(id, name: "Item \(id)", updated: t0 + Int64(id)) }
            let first = try await fixture.drain("timed", from: nil)
            #expect(first.ids == ["1", "2", "3"])
            // The next pass asks from the newest change minus the 1 s overlap: item 3 again, not 1 and 2.
            await store.setTimed(2, name: "Item 2 renamed", updated: t0 + 100)
            let second = try await fixture.drain("timed", from: first.cursor)
            #expect(second.ids == ["3", "2"])
            let third = try await fixture.drain("timed", from: second.cursor)
            #expect(third.ids == ["2"])
            let requests = await store.requests.filter { $0.hasPrefix("GET /styles/since") }
            #expect(requests.last == "GET /styles/since?updated_since=\(t0 + 99)&offset=0&limit=2")
        } catch {
            await fixture.stop()
            throw error
        }
        await fixture.stop()
    }

    @Test("full scan: a scan's changes are reported again until the engine confirms them; deletes are reported once")
    func confirmedGenerations() async throws {
        let fixture = try await Fixture.start()
        do {
            let store = fixture.server.store
            for name in ["One", "Two", "Three"] { _ = try await store.createClient(["name": .string(name)]).get() }
            let first = try await fixture.drain("clients", from: nil)
            #expect(first.ids == ["1", "2", "3"])

            await store.edit(client: 2) { $0["name"] = "Two renamed" }
            let unconfirmed = try await fixture.drain("clients", from: first.cursor)
            #expect(unconfirmed.ids == ["2"])
            // The engine crashed before storing `unconfirmed.cursor`: asking again from the last stored cursor
            // reports the change again (the previous scan's hashes are kept until then).
            let retried = try await fixture.drain("clients", from: first.cursor)
            #expect(retried.ids == ["2"])

            // A scan confirmed page by page: a crash between pages resumes or rebuilds, never skips.
            await store.edit(client: 1) { $0["email"] = "one@example.test" }
            await store.edit(client: 3) { $0["email"] = "three@example.test" }
            let page = try await fixture.connector.changes(datatype: "clients", since: retried.cursor, limit: 1)
            #expect(Self.ids(page) == ["1"])
            #expect(page.hasMore)
            let resumed = try await fixture.drain("clients", from: page.next)
            #expect(resumed.ids == ["3"])
            let quiet = try await fixture.drain("clients", from: resumed.cursor)
            #expect(quiet.ids == [])

            _ = await store.deleteClient(3)
            let deleted = try await fixture.connector.changes(datatype: "clients", since: quiet.cursor, limit: 10)
            let tombstones = deleted.items.compactMap { item -> String? in
                if case .record(let record) = item, record.deleted { record.id } else { nil }
            }
            #expect(tombstones == ["3"])
            #expect(try await fixture.drain("clients", from: deleted.next).ids == [])
        } catch {
            await fixture.stop()
            throw error
        }
        await fixture.stop()
    }

    static func ids(_ page: ChangePage) -> [String] {
        page.items.compactMap { if case .record(let record) = $0 { record.id } else { nil } }
    }
}

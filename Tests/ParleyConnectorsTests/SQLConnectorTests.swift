import Foundation
import ParleyConnectors
import ParleyCore
import Testing

@Suite("SQL connector")
struct SQLConnectorTests {
    static let hostile = #"O'Brien "Quoted" AS'); DROP TABLE customers; --"#

    @Test("a value with quotes and '; DROP TABLE' round-trips unharmed", arguments: SQLFixture.Driver.allCases)
    func hostileValues(driver: SQLFixture.Driver) async throws {
        let fixture = try await SQLFixture.make(driver)
        do {
            let connector = fixture.connector
            let created = try await connector.create(
                datatype: "customer", fields: ["customerNumber": .string("C-1'; DELETE FROM customers; --"), "name": .string(Self.hostile)],
                idempotencyKey: "k1")
            #expect(created.fields["name"] == .string(Self.hostile))
            #expect(created.fields["customerNumber"] == .string("C-1'; DELETE FROM customers; --"))
            let stored = try await fixture.database.value("SELECT name FROM customers WHERE id = ?", [.int(Int64(created.id) ?? 0)])
            #expect(stored == Self.hostile)

            let renamed = #"x"); DROP TABLE projects; SELECT ('"#
            let updated = try await connector.update(datatype: "customer", id: created.id, fields: ["name": .string(renamed)], ifMatch: nil)
            #expect(updated.fields["name"] == .string(renamed))
            #expect(try await connector.fetch(datatype: "customer", id: created.id)?.fields["name"] == .string(renamed))
            let found = try await connector.find(datatype: "customer", matching: ["name": .string(renamed)])
            #expect(found?.map(\.id) == [created.id])
            #expect(try await connector.find(datatype: "customer", matching: ["name": .string("' OR '1'='1")])?.count == 0)
            // An id that is not a number never reaches the database as SQL.
            #expect(try await connector.fetch(datatype: "customer", id: "1 OR 1=1") == nil)
            #expect(try await fixture.database.value("SELECT COUNT(*) FROM customers") == "1")
            #expect(try await fixture.database.value("SELECT COUNT(*) FROM projects") == "0")
        } catch {
            await fixture.close()
            throw error
        }
        await fixture.close()
    }

    @Test("rows sharing a change-marker time stamp across pages, and rows committed late, are not skipped", arguments: SQLFixture.Driver.allCases)
    func sharedTimestamps(driver: SQLFixture.Driver) async throws {
        let stampMillis: Int64 = 1_767_607_200_000
        let clock = ManualClock(stampMillis + 100)
        let fixture = try await SQLFixture.make(driver, extra: "    overlap: 2s", clock: clock)
        do {
            let stamp = Timestamps.rfc3339(millis: stampMillis)
            let earlier = Timestamps.rfc3339(millis: stampMillis - 300)
            let value = driver == .postgres ? "CAST(? AS timestamptz)" : "?"
            try await fixture.database.execute("INSERT INTO customers (customer_number, name) VALUES ('C-1', 'One')")
            for number in 1...3 {
                try await fixture.database.execute(
                    "INSERT INTO projects (project_number, name, customer_id, updated_at) VALUES (?, ?, 1, \(value))",
                    [.text("P-\(number)"), .text("Project \(number)"), .text(stamp)])
            }
            let connector = fixture.connector
            let first = try await connector.changes(datatype: "project", since: nil, limit: 2)
            #expect(Self.codes(first) == ["P-1", "P-2"])
            #expect(first.hasMore)
            let second = try await connector.changes(datatype: "project", since: first.next, limit: 2)
            #expect(Self.codes(second) == ["P-3"])
            #expect(second.hasMore == false)
            // Committed after the feed passed P-3, stamped 300 ms earlier (a slower transaction).
            clock.set(stampMillis + 200)
            try await fixture.database.execute(
                "INSERT INTO projects (project_number, name, customer_id, updated_at) VALUES ('P-late', 'Late', 1, \(value))", [.text(earlier)])
            let late = try await connector.changes(datatype: "project", since: second.next, limit: 10)
            #expect(Self.codes(late) == ["P-late", "P-1", "P-2", "P-3"])
            #expect(late.items.allSatisfy { if case .record(let record) = $0 { record.changedAtMillis != nil } else { false } })
            // Once the newest row is older than the overlap window, a quiet table is no longer read again.
            clock.set(stampMillis + 5_000)
            let settling = try await connector.changes(datatype: "project", since: late.next, limit: 10)
            #expect(Self.codes(settling) == ["P-late", "P-1", "P-2", "P-3"])
            let quiet = try await connector.changes(datatype: "project", since: settling.next, limit: 10)
            #expect(Self.codes(quiet) == [])
            #expect(quiet.next == settling.next)
        } catch {
            await fixture.close()
            throw error
        }
        await fixture.close()
    }

    @Test("an idempotency column makes a repeated create return the first row", arguments: SQLFixture.Driver.allCases)
    func idempotentCreate(driver: SQLFixture.Driver) async throws {
        let datatypes = ERPTables.datatypes(customerMarker: driver == .postgres, softDelete: false)
            .replacingOccurrences(of: "        table: projects\n", with: "        table: projects\n        idempotencyColumn: parley_key\n")
        let schema = driver == .postgres ? nil : ERPTables.sqlite.replacingOccurrences(of: "updated_at TEXT NOT NULL", with: "parley_key TEXT UNIQUE, updated_at TEXT NOT NULL")
        let fixture = try await SQLFixture.make(driver, schema: schema, datatypes: datatypes)
        do {
            try await fixture.database.execute("INSERT INTO customers (customer_number, name) VALUES ('C-1', 'One')")
            let fields: JSONValue = ["projectNumber": "P-1", "name": "Once", "customerId": 1]
            let first = try await fixture.connector.create(datatype: "project", fields: fields, idempotencyKey: "flow:left:7")
            let again = try await fixture.connector.create(datatype: "project", fields: fields, idempotencyKey: "flow:left:7")
            #expect(again.id == first.id)
            #expect(try await fixture.database.value("SELECT COUNT(*) FROM projects") == "1")
            #expect(first.fields["customerId"] == .number("1"))
        } catch {
            await fixture.close()
            throw error
        }
        await fixture.close()
    }

    @Test("update checks the version read before (optimistic concurrency) and reports missing rows", arguments: SQLFixture.Driver.allCases)
    func versions(driver: SQLFixture.Driver) async throws {
        let fixture = try await SQLFixture.make(driver)
        do {
            try await fixture.database.execute("INSERT INTO customers (customer_number, name) VALUES ('C-1', 'One')")
            let record = try #require(try await fixture.connector.fetch(datatype: "customer", id: "1"))
            let version = try #require(record.version)
            try await fixture.database.execute("UPDATE customers SET name = 'Changed behind our back'\(driver == .postgres ? ", updated_at = clock_timestamp()" : "") WHERE id = 1")
            do {
                _ = try await fixture.connector.update(datatype: "customer", id: "1", fields: ["name": "Mine"], ifMatch: version)
                Issue.record("expected a version mismatch")
            } catch ConnectorError.versionMismatch(let system, let id) {
                #expect(system == "erp")
                #expect(id == "1")
            }
            #expect(try await fixture.database.value("SELECT name FROM customers WHERE id = 1") == "Changed behind our back")
            do {
                _ = try await fixture.connector.update(datatype: "customer", id: "99", fields: ["name": "Nobody"], ifMatch: nil)
                Issue.record("expected notFound")
            } catch ConnectorError.notFound(let system, let datatype, let id) {
                #expect(system == "erp")
                #expect(datatype == "customer")
                #expect(id == "99")
            }
            do {
                _ = try await fixture.connector.update(datatype: "customer", id: "1", fields: ["name": .number("5")], ifMatch: nil)
                Issue.record("expected rejected")
            } catch ConnectorError.rejected(let system, _, let message, let property) {
                #expect(system == "erp")
                #expect(property == "name")
                #expect(message == "customer 1: property 'name' expects text, got number 5")
            }
        } catch {
            await fixture.close()
            throw error
        }
        await fixture.close()
    }

    static func codes(_ page: ChangePage) -> [String] {
        page.items.compactMap { item in
            if case .record(let record) = item { record.fields["projectNumber"]?.stringValue } else { nil }
        }
    }
}

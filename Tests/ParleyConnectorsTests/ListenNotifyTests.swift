import Foundation
import ParleyConnectors
import Testing

@Suite("PostgreSQL LISTEN/NOTIFY change signals")
struct ListenNotifyTests {
    @Test("a trigger's NOTIFY reaches the connector's change signals")
    func notifications() async throws {
        let fixture = try await SQLFixture.make(.postgres, extra: "    listen: parley_changes")
        do {
            try await fixture.database.execute("""
                CREATE FUNCTION notify_parley() RETURNS trigger AS $$
                BEGIN
                    PERFORM pg_notify('parley_changes', TG_ARGV[0]);
                    RETURN NULL;
                END $$ LANGUAGE plpgsql
                """, [])
            try await fixture.database.execute("""
                CREATE TRIGGER customers_changed AFTER INSERT OR UPDATE OR DELETE ON customers
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_parley('customer')
                """, [])
            let signals = try #require(await fixture.connector.changeSignals())
            try await fixture.database.execute("INSERT INTO customers (customer_number, name) VALUES ('C-1', 'Signalled AS')")
            let received = try await Waiting.first(signals, withinSeconds: 10)
            #expect(received == "customer")
        } catch {
            await fixture.close()
            throw error
        }
        await fixture.close()
    }

    @Test("SQLite and systems without a channel have no change signals")
    func noSignals() async throws {
        let fixture = try await SQLFixture.make(.sqlite)
        #expect(await fixture.connector.changeSignals() == nil)
        await fixture.close()
    }
}

enum Waiting {
    struct Expired: Error {}

    /// The first element of `stream`, or an error after `seconds`.
    static func first(_ stream: AsyncStream<String>, withinSeconds seconds: Int) async throws -> String? {
        try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask {
                for await value in stream { return value }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                throw Expired()
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }
}

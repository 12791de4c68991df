import Foundation
import ParleyStore
import ParleyTestSupport
import Testing

/// `sslmode` in a `postgres://` state URL. The test cluster (scripts/with-postgres.sh) offers no TLS.
@Suite("PostgreSQL state: sslmode")
struct PostgresTLSTests {
    static let enabled = TestPostgres.adminURL != nil || TestPostgres.required

    @Test("disable and prefer connect to a server without TLS; require refuses to; an unknown mode is named", .enabled(if: enabled))
    func sslModes() async throws {
        let url = try await TestPostgres.freshDatabase()
        for mode in ["disable", "prefer"] {
            let store = try await PostgresStore(url: url + "?sslmode=\(mode)")
            #expect(try await store.counts(flow: "customers").linked == 0)
            store.close()
        }
        do {
            let store = try await PostgresStore(url: url + "?sslmode=require")
            store.close()
            Issue.record("sslmode=require connected to a server without TLS")
        } catch let error as StoreError {
            #expect(!"\(error)".contains(TestPostgres.password ?? "\u{0}"), "the password leaked into \(error)")
        }
        await #expect(throws: StoreError.self) { try await PostgresStore(url: url + "?sslmode=sometimes") }
        do {
            _ = try await PostgresStore(url: url + "?sslmode=sometimes")
        } catch {
            #expect("\(error)".contains("sslmode must be disable, prefer or require (was 'sometimes')"), "\(error)")
        }
    }
}

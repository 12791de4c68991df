import Foundation
import ParleyCore
import ParleyEngine
import ParleyReference
import ParleyTestSupport
import Synchronization
import Testing

@Suite("Creating while the source feed is read")
struct CreateWhileReadingTests {
    @Test("onboarding into an empty PMS creates each page's customers before the ERP's feed is read to its end")
    func createsBeforeTheReadEnds() async throws {
        let harness = try await SyncHarness.start(erpSeed: 50)
        let events = Mutex<[PassProgress]>([])
        let report = await harness.engine { $0.pageSize = 10 }.syncPass(only: ["customers"]) { progress in
            events.withLock { $0.append(progress) }
        }
        #expect(report.errors.isEmpty)
        let customers = report.flow("customers")
        #expect(customers.created[.right] == 50)
        #expect(customers.created[.left, default: 0] == 0)
        let reading = events.withLock { $0 }.filter { $0.phase.hasPrefix("reading ") }
        // A page's creates are sent while the next pages are read; with two pages' creates in flight, the third
        // page waits for one of them. So after the third page of 10, at least 10 are created and the feed's
        // other 20 records are not read yet.
        let thirdPage = try #require(reading.first { $0.processed == 30 && ($0.report.read[.left] ?? 0) == 30 })
        #expect((thirdPage.report.created[.right] ?? 0) >= 10)
        #expect(reading.last?.processed == 50)
        #expect(reading.last?.report.created[.right] == 50)
        let check = try await harness.convergence("customers")
        #expect(check.converged, "\(check)")
        #expect(check.links == 50)
        #expect(try await harness.pmsClient.all("customers").count == 50)
        await harness.stop()
    }

    @Test("a record that has a candidate waits for matching: two ERP customers sharing one PMS customer's key are held with it")
    func candidatesWaitForMatching() async throws {
        // ERP companies 0..<20, PMS companies 5..<10: 5 shared; a second ERP customer with company 7's org number.
        let harness = try await SyncHarness.start(erpSeed: 20, pmsSeed: 5, pmsSeedOffset: 5)
        let company = SampleData.company(index: 7)
        try await harness.erpClient.create("customers", [
            "customerNumber": .string("DUP-7"), "name": .string(company.name + " (duplicate)"),
            "organizationNumber": .string(company.organizationNumber),
        ])
        let report = await harness.engine { $0.pageSize = 4 }.syncPass(only: ["customers"])
        #expect(report.errors.isEmpty)
        let customers = report.flow("customers")
        #expect(customers.linked == 4)
        #expect(customers.ambiguous == 3)
        #expect(customers.created[.right] == 15)
        #expect(try await harness.store.counts(flow: "customers").ambiguous == 3)
        #expect(try await harness.pmsClient.all("customers").count == 5 + 15)
        await harness.stop()
    }

    @Test("a new record sharing a merge key with one whose create is still in flight waits for that create, and finds its counterpart as a candidate")
    func sharedKeyWaitsForCreatesInFlight() async throws {
        // Slow PMS creates (300 ms each): the third page is read and recorded while the first page's creates are
        // still in flight. Its one record has company 3's org number (on the first page): it must be held as
        // ambiguous with the PMS customer created for company 3, not created a second time.
        let harness = try await SyncHarness.start(erpSeed: 20, pmsFaults: FaultSettings(latencyMs: 300))
        let company = SampleData.company(index: 3)
        try await harness.erpClient.create("customers", [
            "customerNumber": .string("DUP-3"), "name": .string(company.name + " (duplicate)"),
            "organizationNumber": .string(company.organizationNumber),
        ])
        let report = await harness.engine { $0.pageSize = 10 }.syncPass(only: ["customers"])
        #expect(report.errors.isEmpty)
        let customers = report.flow("customers")
        #expect(customers.created[.right] == 20)
        #expect(customers.ambiguous == 1)
        #expect(try await harness.store.counts(flow: "customers").ambiguous == 1)
        #expect(try await harness.pmsClient.all("customers").count == 20)
        await harness.stop()
    }

    @Test("a record the feed repeats while its create is in flight waits for that create: created once, then merged as linked")
    func repeatedRecordWaitsForItsCreate() async throws {
        // Slow PMS creates (300 ms each), and an ERP feed whose second page repeats the first page's first record
        // (as a feed does when a record is edited while it is read): without the wait, the repeat would be staged
        // against its pending link and created a second time (the idempotency key would return the same PMS
        // record, but the create would be sent and counted twice).
        let harness = try await SyncHarness.start(erpSeed: 20, pmsFaults: FaultSettings(latencyMs: 300))
        do {
            var connectors: [String: any Connector] = harness.connectors.mapValues { $0 as any Connector }
            connectors["erp"] = RepeatingFeed(base: try #require(harness.connectors["erp"]), pages: RepeatingFeed.Pages())
            var options = EngineOptions()
            options.pageSize = 10
            let report = await SyncEngine(flows: harness.flows, connectors: connectors, store: harness.store, options: options)
                .syncPass(only: ["customers"])
            #expect(report.errors.isEmpty)
            let customers = report.flow("customers")
            #expect(customers.created[.right] == 20)
            #expect(customers.read[.left] == 21)
            #expect(try await harness.pmsClient.all("customers").count == 20)
            let check = try await harness.convergence("customers")
            #expect(check.converged, "\(check)")
            #expect(check.links == 20)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    /// An ERP connector whose second page of a feed read from the start also carries the first page's first record.
    struct RepeatingFeed: ForwardingConnector {
        actor Pages {
            var first: NativeRecord?
            var served = 0
            func next(_ page: ChangePage) -> ChangePage {
                served += 1
                var page = page
                if served == 1, case .record(let record)? = page.items.first { first = record }
                if served == 2, let first { page.items.append(.record(first)) }
                return page
            }
        }

        let base: any Connector
        let pages: Pages

        func changes(datatype: String, since cursor: String?, limit: Int) async throws -> ChangePage {
            await pages.next(try await base.changes(datatype: datatype, since: cursor, limit: limit))
        }
    }
}

import Foundation
import ParleyCore
import ParleyEngine
import ParleyTestSupport
import Testing

/// Deterministic pseudo-random numbers for repeatable scenarios.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Randomized edits on both sides", .serialized)
struct RandomizedTests {
    @Test("random creates and edits interleaved with passes converge with no ping-pong and no duplicates", arguments: [11, 29])
    func randomizedConvergence(seed: Int) async throws {
        let harness = try await SyncHarness.start(erpSeed: 30, pmsSeed: 20, pmsSeedOffset: 20)
        var random = SeededRandom(state: UInt64(seed))
        do {
            var erpCustomers = try await harness.erpClient.all("customers").compactMap(SystemClient.id)
            var pmsCustomers = try await harness.pmsClient.all("customers").compactMap(SystemClient.id)
            var erpProjects = try await harness.erpClient.all("projects").compactMap(SystemClient.id)
            let words = ["Nordlys", "Fjell", "Bryggen", "Havn", "Skog", "Elv", "Vind", "Stein", "Lys", "Bro"]
            let cities = ["Oslo", "Bergen", "Trondheim", "Stavanger", "Tromsø", "Göteborg", "København"]
            let statuses = ["PLANNED", "ACTIVE", "ON_HOLD", "COMPLETED"]
            let steps = 1_500
            for step in 0..<steps {
                let word = words[Int.random(in: 0..<words.count, using: &random)]
                let roll = Int.random(in: 0..<100, using: &random)
                switch roll {
                case 0..<12:
                    let created = try await harness.erpClient.create("customers", [
                        "customerNumber": .string("R-\(seed)-\(step)"), "name": .string("\(word) \(step) AS"),
                        "organizationNumber": .string("7\(String(format: "%08d", seed * 100_000 + step))"),
                    ])
                    if let id = SystemClient.id(created) { erpCustomers.append(id) }
                case 12..<20:
                    let created = try await harness.pmsClient.create("customers", [
                        "display_name": .string("\(word) PMS \(step)"), "org_no": .string("8\(String(format: "%08d", seed * 100_000 + step))"),
                    ])
                    if let id = SystemClient.id(created) { pmsCustomers.append(id) }
                case 20..<55:
                    guard let id = erpCustomers.randomElement(using: &random) else { continue }
                    let edits: [JSONValue] = [
                        ["name": .string("\(word) Edited \(step) AS")], ["phone": .string("+47 \(step)")],
                        ["website": .string("https://\(word.lowercased())\(step).example")], ["email": .string("Kontakt\(step)@\(word).example")],
                        ["address": ["city": .string(cities[step % cities.count])]], ["phone": .null],
                    ]
                    try await harness.erpClient.patch("customers", id, edits[Int.random(in: 0..<edits.count, using: &random)])
                case 55..<85:
                    guard let id = pmsCustomers.randomElement(using: &random) else { continue }
                    let edits: [JSONValue] = [
                        ["display_name": .string("\(word) PMS Edit \(step)")], ["contact_phone": .string("+46 \(step)")],
                        ["homepage": .string("https://pms\(step).example")], ["city": .string(cities[(step + 3) % cities.count])],
                        ["contact_email": .string("pms\(step)@\(word.lowercased()).example")], ["homepage": .null],
                    ]
                    try await harness.pmsClient.patch("customers", id, edits[Int.random(in: 0..<edits.count, using: &random)])
                case 85..<92:
                    guard let customer = erpCustomers.randomElement(using: &random) else { continue }
                    let created = try await harness.erpClient.create("projects", [
                        "projectNumber": .string("RP-\(seed)-\(step)"), "name": .string("\(word) project \(step)"),
                        "customerId": .number(customer), "budget": .number("\(step).5"), "status": .string(statuses[step % 4]),
                    ])
                    if let id = SystemClient.id(created) { erpProjects.append(id) }
                default:
                    guard let id = erpProjects.randomElement(using: &random) else { continue }
                    let edits: [JSONValue] = [
                        ["name": .string("\(word) renamed \(step)")], ["status": .string(statuses[(step + 1) % 4])],
                        ["budget": .number("\(step * 3).25")], ["description": .string("Step \(step)")],
                    ]
                    try await harness.erpClient.patch("projects", id, edits[Int.random(in: 0..<edits.count, using: &random)])
                }
                if step % 75 == 74 { try await harness.sync() }
            }
            try await harness.sync()
            let quiet = try await harness.sync()
            #expect(quiet.writes == 0, "a further pass wrote \(quiet.writes) times")
            for flow in ["customers", "projects"] {
                let check = try await harness.convergence(flow)
                #expect(check.converged, "\(check)")
            }
            // No duplicates: organization numbers are unique on each side.
            let erpOrgs = try await harness.erpClient.all("customers").compactMap { $0["organizationNumber"]?.stringValue?.filter(\.isNumber) }
            let pmsOrgs = try await harness.pmsClient.all("customers").compactMap { $0["org_no"]?.stringValue?.filter(\.isNumber) }
            #expect(Set(erpOrgs).count == erpOrgs.count)
            #expect(Set(pmsOrgs).count == pmsOrgs.count)
            #expect(erpOrgs.count == pmsOrgs.count)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}

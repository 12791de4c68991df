import ParleyCore
import ParleyEngine
import ParleyStore

/// Checks what the checklist promises, from the live systems and the links: every live record has exactly
/// one linked counterpart (unless held as ambiguous), no record is linked twice, and mapped values agree.
public struct ConvergenceReport: Sendable, CustomStringConvertible {
    public var flow: String
    public var leftRecords = 0
    public var rightRecords = 0
    public var links = 0
    public var unlinked: [String] = []
    public var duplicateLinks: [String] = []
    public var differences: [String] = []

    public var converged: Bool { unlinked.isEmpty && duplicateLinks.isEmpty && differences.isEmpty }
    public var description: String {
        "\(flow): \(leftRecords) left, \(rightRecords) right, \(links) links; unlinked \(unlinked.prefix(10)); duplicates \(duplicateLinks.prefix(10)); differences \(differences.prefix(10))"
    }
}

extension SyncHarness {
    /// `links`: the state to check against (the harness's SQLite file unless given).
    public func convergence(_ flowName: String, excluding excluded: Set<String> = [], links linkStore: (any LinkStore)? = nil) async throws -> ConvergenceReport {
        let store = linkStore ?? self.store
        guard let flow = flow(flowName) else { throw HarnessFailure(message: "no flow \(flowName)") }
        var report = ConvergenceReport(flow: flowName)
        let collections: [Side: String] = flowName == "customers" ? [.left: "customers", .right: "customers"] : [.left: "projects", .right: "projects"]
        var records: [Side: [String: JSONValue]] = [:]
        for side in [Side.left, .right] {
            let client = side == .left ? erpClient : pmsClient
            let all = try await client.all(collections[side] ?? "")
            records[side] = Dictionary(all.compactMap { r in SystemClient.id(r).map { ($0, r) } }, uniquingKeysWith: { a, _ in a })
        }
        report.leftRecords = records[.left]?.count ?? 0
        report.rightRecords = records[.right]?.count ?? 0
        var links: [Link] = []
        var after: String?
        while true {
            let page = try await store.links(flow: flowName, after: after, limit: 1000)
            guard let last = page.last else { break }
            links += page
            after = last.leftId
        }
        let active = links.filter { $0.state == .linked }
        report.links = active.count
        var seenRight: [String: String] = [:]
        for link in active {
            guard let leftId = link.leftId, let rightId = link.rightId else { continue }
            if let other = seenRight[rightId] { report.duplicateLinks.append("right \(rightId) linked to \(other) and \(leftId)") }
            seenRight[rightId] = leftId
        }
        let linkedLeft = Set(active.compactMap(\.leftId))
        let linkedRight = Set(active.compactMap(\.rightId))
        for id in (records[.left] ?? [:]).keys where !linkedLeft.contains(id) && !excluded.contains("left:\(id)") {
            report.unlinked.append("left \(id)")
        }
        for id in (records[.right] ?? [:]).keys where !linkedRight.contains(id) && !excluded.contains("right:\(id)") {
            report.unlinked.append("right \(id)")
        }
        // Reference translation from the customers flow's links.
        var customerLinks: [String: String] = [:]
        var customerAfter: String?
        while true {
            let page = try await store.links(flow: "customers", after: customerAfter, limit: 1000)
            guard let last = page.last else { break }
            for link in page where link.state == .linked { if let l = link.leftId, let r = link.rightId { customerLinks[r] = l } }
            customerAfter = last.leftId
        }
        for link in active {
            guard let leftId = link.leftId, let rightId = link.rightId, let left = records[.left]?[leftId], let right = records[.right]?[rightId] else {
                report.differences.append("link \(link.leftId ?? "-")<->\(link.rightId ?? "-") points to a missing record")
                continue
            }
            do {
                let l = try flow.canonicalize(left, side: .left) { _, id in customerLinks[id] }
                let r = try flow.canonicalize(right, side: .right) { _, id in customerLinks[id] }
                for mapping in flow.properties {
                    let lv = l.values[mapping.key] ?? .null
                    let rv = r.values[mapping.key] ?? .null
                    if !mapping.same(lv, rv) && !Self.equalAfterRounding(lv, rv) {
                        report.differences.append("\(leftId)/\(rightId) \(mapping.key): \(lv.display) vs \(rv.display)")
                    }
                }
            } catch {
                report.differences.append("\(leftId)/\(rightId): \(error)")
            }
        }
        return report
    }

    /// Money rounded by the PMS (cents) agrees with the ERP's value to two places.
    static func equalAfterRounding(_ a: CanonicalValue, _ b: CanonicalValue) -> Bool {
        if case .number(let x) = a, case .number(let y) = b { return x.rounded(toPlaces: 2) == y.rounded(toPlaces: 2) }
        return false
    }
}

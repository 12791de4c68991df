/// Store queries behind the management API, the dashboard and the operator actions (resolve a conflict,
/// browse links and their history). `LinkStore` inherits them, so every store answers them.
public protocol LinkStoreManagement: Sendable {
    /// One conflict by id, resolved or not; nil when there is none with that id.
    func conflict(id: Int64) async throws -> ConflictEntry?
    /// Links of a flow (any state) whose left or right id is one of `ids`, or whose left or right record has
    /// one of the merge `keys` (as `MergeKeys` writes them); most recently updated first.
    func findLinks(flow: String, ids: [String], keys: [String], limit: Int) async throws -> [Link]
    /// Links of a flow, most recently updated first.
    func recentLinks(flow: String, limit: Int) async throws -> [Link]
    /// The audit trail of one link: every entry naming its left id or its right id, newest first.
    func history(flow: String, leftId: String?, rightId: String?, limit: Int) async throws -> [AuditEntry]
    /// The newest audit entries of one flow, or of all flows when `flow` is nil.
    func recentAudit(flow: String?, limit: Int) async throws -> [AuditEntry]
}

extension MergeKeys {
    /// The keys a typed-in search text would have as the value of each single-property merge criterion
    /// (`"912 345 678"` -> `"0:912345678"`), so links can be found by organization number, customer number…
    public static func searchKeys(for text: String, criteria: [MergeCriterion]) -> [String] {
        var keys: [String] = []
        for (index, criterion) in criteria.enumerated() where criterion.pairs.count == 1 {
            let normalized = criterion.pairs[0].normalize.reduce(text) { $1.apply($0) }
            if !normalized.isEmpty { keys.append("\(index):\(normalized)") }
        }
        return keys
    }
}

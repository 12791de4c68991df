import Synchronization

/// When the PostgreSQL store refreshes the planner's statistics of the tables it looks records up in.
///
/// The planner plans from statistics that autovacuum refreshes only about once a minute, after a tenth of a
/// table changed. Right after an onboarding wrote thousands of rows into tables it believed nearly empty, it
/// keeps the look-ups by id (`record_id = ANY(…)` on the second column of an index) as a filter over every row
/// of a flow's side instead of an index condition: a single change then costs milliseconds per thousand links
/// (measured: 6.3 ms against 0.08 ms at 20,000 links for one delete of merge keys). So the store runs `ANALYZE`
/// itself each time the rows it has written since the last one reach what it had written until then (at least
/// `minimumRows`): a few times per doubling of the data, each bounded by ANALYZE's fixed sample.
final class PlannerStatistics: Sendable {
    /// The tables read by record id in every pass.
    static let tables = "links, record_keys, staged, audit"

    private struct Counts {
        var total = 0
        var sinceAnalyze = 0
    }

    private let counts = Mutex(Counts())
    let minimumRows: Int

    init(minimumRows: Int = 1_000) { self.minimumRows = minimumRows }

    /// Counts rows just committed; true when statistics are due (the count then starts again).
    func wrote(_ rows: Int) -> Bool {
        counts.withLock { counts in
            counts.total += rows
            counts.sinceAnalyze += rows
            guard counts.sinceAnalyze >= max(minimumRows, counts.total - counts.sinceAnalyze) else { return false }
            counts.sinceAnalyze = 0
            return true
        }
    }
}

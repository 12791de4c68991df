import ParleyCore
import ParleyStore

/// Where a benchmark keeps its state: a SQLite file (the embedded default) or a PostgreSQL database (a
/// password missing from the URL comes from `PARLEY_STATE_PASSWORD`, as for `parley run`).
public enum BenchState: Sendable {
    case sqlite(path: String)
    case postgres(url: String)

    /// An open store and what ends it (a PostgreSQL store's connections; nothing for SQLite).
    public struct Opened: Sendable {
        public var store: any LinkStore
        public var close: @Sendable () -> Void
    }

    public func open() async throws -> Opened {
        switch self {
        case .sqlite(let path):
            return Opened(store: try SQLiteStore(path: path), close: {})
        case .postgres(let url):
            let store = try await PostgresStore(url: url)
            return Opened(store: store, close: { store.close() })
        }
    }
}

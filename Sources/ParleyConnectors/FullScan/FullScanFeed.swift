import ParleyCore

/// Reads a whole collection through `nextPage()`, one page at a time.
protocol ScanPager {
    /// The next page of records (already filtered to the datatype), or nil after the last.
    mutating func nextPage() async throws -> [ChangeItem]?
}

/// A change feed for systems without change markers: every pass reads the whole collection, compares
/// each record's content hash with the previous scan's, and reports only records that are new or
/// changed, plus tombstones for records that disappeared.
///
/// Crash-safe: a scan's hashes become the base for the next scan only when the engine asks with that
/// scan's final cursor (it committed everything); until then the previous generation is kept, and an
/// interrupted or lost scan is simply rebuilt against it.
struct FullScanFeed: Sendable {
    let store: ScanStore
    let system: String
    let datatype: String
    let idField: String
    let idIsInteger: Bool
    /// The fields hashed (id and configured properties).
    let hashFields: [String]

    func changes<Pager: ScanPager>(since cursorText: String?, limit: Int, pager: () -> Pager) async throws -> ChangePage {
        guard let cursor = ScanCursor(cursorText) else {
            throw ConnectorError.invalidResponse(
                system: system, message: "\(datatype): cursor '\(cursorText ?? "")' is not a full-scan cursor (was the datatype's change detection reconfigured? reset its cursor)")
        }
        switch cursor {
        case .start:
            return try await scan(base: 0, limit: limit, pager: pager())
        case .complete(let generation):
            try await store.finish(datatype: datatype, generation: generation)
            return try await scan(base: generation, limit: limit, pager: pager())
        case .paging(let generation, let base, let position):
            if let page = try await serve(generation: generation, base: base, from: position, limit: limit) { return page }
            // The scan being paged was replaced (another reader rebuilt it): rebuild against the same base and
            // start over; what was processed already is processed again, idempotently.
            return try await scan(base: base, limit: limit, pager: pager())
        }
    }

    private func scan<Pager: ScanPager>(base: Int64, limit: Int, pager: Pager) async throws -> ChangePage {
        var pager = pager
        let previous = base == 0 ? [:] : try await store.hashes(datatype: datatype, generation: base) ?? [:]
        var current: [String: String] = [:]
        var items: [ChangeItem] = []
        while let page = try await pager.nextPage() {
            for item in page {
                guard case .record(var record) = item else {
                    items.append(item)
                    continue
                }
                guard current[record.id] == nil else { continue }
                let hash = ContentHash.of(record.fields, fields: hashFields)
                current[record.id] = hash
                record.version = hash
                if previous[record.id] != hash { items.append(.record(record)) }
            }
        }
        for id in previous.keys.sorted() where current[id] == nil {
            var fields: JSONValue = .object([:])
            fields.setValue(idIsInteger ? (Int64(id).map(JSONValue.int64) ?? .string(id)) : .string(id), at: idField)
            items.append(.record(NativeRecord(id: id, fields: fields, deleted: true)))
        }
        let generation = try await store.save(datatype: datatype, base: base, hashes: current, items: items)
        return try await serve(generation: generation, base: base, from: 0, limit: limit)
            ?? ChangePage(items: [], next: ScanCursor.complete(generation: generation).text, hasMore: false)
    }

    private func serve(generation: Int64, base: Int64, from position: Int, limit: Int) async throws -> ChangePage? {
        guard let (items, total) = try await store.items(datatype: datatype, generation: generation, from: position, limit: max(1, limit)) else {
            return nil
        }
        let end = position + items.count
        if end >= total || items.isEmpty {
            return ChangePage(items: items, next: ScanCursor.complete(generation: generation).text, hasMore: false)
        }
        return ChangePage(items: items, next: ScanCursor.paging(generation: generation, base: base, position: end).text, hasMore: true)
    }
}

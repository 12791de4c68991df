import ParleyConfig
import ParleyCore

/// The cursor of a datatype read with a since-parameter: the time the current pass reads from, the newest
/// change marker seen so far in it, and the page reached. The next pass starts at the newest marker minus
/// the overlap window, so records committed late with an older marker are read again, never skipped.
struct SinceCursor {
    var since: Int64?
    var newest: Int64?
    var state: PageState

    init(since: Int64?, newest: Int64?, state: PageState) {
        self.since = since
        self.newest = newest
        self.state = state
    }

    init?(_ text: String?) {
        guard let text else {
            self.init(since: nil, newest: nil, state: .first)
            return
        }
        guard let json = try? JSONValue.parse(text), case .object(let object) = json, let state = PageState(json: object["state"]) else { return nil }
        self.init(since: object["since"]?.int64Value, newest: object["newest"]?.int64Value, state: state)
    }

    var text: String {
        JSONValue.object([
            "since": since.map(JSONValue.int64) ?? .null, "newest": newest.map(JSONValue.int64) ?? .null, "state": state.json,
        ]).jsonText
    }
}

extension RESTConnector {
    func sinceChanges(_ datatype: RESTDatatype, param: String, format: TimeFormat, overlapMillis: Int, cursor text: String?) async throws -> ChangePage {
        guard var cursor = SinceCursor(text) else {
            throw ConnectorError.invalidResponse(
                system: system, message: "\(datatype.name): cursor is not a since-cursor (was change detection reconfigured? reset the flow's cursor)")
        }
        var query: [(String, String)] = []
        if let since = cursor.since { query.append((param, RESTDatatype.format(since, as: format))) }
        let page = try await listPage(datatype, state: cursor.state, extraQuery: query)
        var items: [ChangeItem] = []
        for json in page.records where datatype.accepts(json) {
            let item = datatype.item(json)
            if case .record(let record) = item, let marker = record.changedAtMillis {
                cursor.newest = max(cursor.newest ?? marker, marker)
            }
            items.append(item)
        }
        if let next = page.next {
            cursor.state = next
            return ChangePage(items: items, next: cursor.text, hasMore: true)
        }
        if let newest = cursor.newest {
            cursor.since = max(cursor.since ?? Int64.min, newest - Int64(overlapMillis))
        }
        cursor.newest = nil
        cursor.state = .first
        return ChangePage(items: items, next: cursor.text, hasMore: false)
    }
}

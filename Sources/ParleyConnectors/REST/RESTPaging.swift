import ParleyConfig
import ParleyCore

/// Where a listing is in its pages.
enum PageState: Sendable, Hashable {
    case first
    case page(Int)
    case offset(Int)
    case token(String)
    /// An absolute `Link: rel="next"` target.
    case url(String)

    var json: JSONValue {
        switch self {
        case .first: .null
        case .page(let number): ["page": .int(number)]
        case .offset(let offset): ["offset": .int(offset)]
        case .token(let token): ["token": .string(token)]
        case .url(let url): ["url": .string(url)]
        }
    }

    init?(json: JSONValue?) {
        switch json {
        case nil, .null?: self = .first
        case .object(let object)?:
            if let page = object["page"]?.int64Value {
                self = .page(Int(page))
            } else if let offset = object["offset"]?.int64Value {
                self = .offset(Int(offset))
            } else if let token = object["token"]?.stringValue {
                self = .token(token)
            } else if let url = object["url"]?.stringValue {
                self = .url(url)
            } else {
                return nil
            }
        default: return nil
        }
    }
}

/// One page of a listing.
struct ListedPage {
    var records: [JSONValue]
    var next: PageState?
}

extension RESTConnector {
    /// Reads one page of a datatype's collection (`extraQuery`: the since-parameter, when used).
    func listPage(_ datatype: RESTDatatype, state: PageState, extraQuery: [(String, String)] = []) async throws -> ListedPage {
        let (path, query) = try listRequest(datatype, state: state, extraQuery: extraQuery)
        let context = "GET \(path)"
        let response = try await client.send(.GET, path, query: query)
        let body = try client.json(response, context: context)
        let records = try datatype.records(in: body, context: context)
        let next = try nextState(datatype, after: state, count: records.count, body: body, link: response.header("Link"), context: context)
        return ListedPage(records: records, next: next)
    }

    func listRequest(_ datatype: RESTDatatype, state: PageState, extraQuery: [(String, String)]) throws -> (String, [(String, String)]) {
        if case .url(let url) = state {
            return (try relativeTarget(url), [])
        }
        guard case .success(let path) = datatype.settings.collectionPath.renderPath([:]) else {
            throw ConnectorError.fatal(system: system, message: "\(datatype.name): the collection path cannot have placeholders")
        }
        var query = extraQuery
        switch datatype.settings.pagination {
        case .none: break
        case .page(let param, let sizeParam, let size, let first):
            if case .page(let number) = state { query.append((param, String(number))) } else { query.append((param, String(first))) }
            query.append((sizeParam, String(size)))
        case .offset(let param, let limitParam, let size, _):
            if case .offset(let offset) = state { query.append((param, String(offset))) } else { query.append((param, "0")) }
            query.append((limitParam, String(size)))
        case .cursor(let param, let sizeParam, let size, _):
            if case .token(let token) = state { query.append((param, token)) }
            if let sizeParam { query.append((sizeParam, String(size))) }
        case .link(let sizeParam, let size):
            if let sizeParam { query.append((sizeParam, String(size))) }
        }
        return (path, query)
    }

    func nextState(
        _ datatype: RESTDatatype, after state: PageState, count: Int, body: JSONValue, link: String?, context: String
    ) throws -> PageState? {
        guard count > 0 else { return nil }
        switch datatype.settings.pagination {
        case .none:
            return nil
        case .page(_, _, let size, let first):
            guard count >= size else { return nil }
            if case .page(let number) = state { return .page(number + 1) }
            return .page(first + 1)
        case .offset(_, _, let size, let totalPointer):
            let offset = if case .offset(let value) = state { value } else { 0 }
            let end = offset + count
            if let totalPointer {
                guard let total = totalPointer.value(in: body)?.int64Value else {
                    throw ConnectorError.invalidResponse(system: system, message: "\(context): no total count at '\(totalPointer)'")
                }
                return end < Int(total) ? .offset(end) : nil
            }
            return count >= size ? .offset(end) : nil
        case .cursor(_, _, _, let pointer):
            guard let token = ValueTemplate.text(of: pointer.value(in: body)).nilIfEmpty else { return nil }
            if case .token(let previous) = state, previous == token {
                throw ConnectorError.invalidResponse(system: system, message: "\(context): the next cursor repeats the current one")
            }
            return .token(token)
        case .link:
            guard let next = LinkHeader.next(link) else { return nil }
            if case .url(let previous) = state, previous == next {
                throw ConnectorError.invalidResponse(system: system, message: "\(context): the next link repeats the current one")
            }
            return .url(next)
        }
    }

    /// A `Link` target as a path below the base URL; links to anywhere else are refused (credentials must
    /// not be sent to another server).
    func relativeTarget(_ url: String) throws -> String {
        let base = client.transport.settings.baseURL
        if url.hasPrefix(base), url.count == base.count || ["/", "?"].contains(url[url.index(url.startIndex, offsetBy: base.count)]) {
            return String(url.dropFirst(base.count))
        }
        if url.hasPrefix("/"), let slash = base.range(of: "://").flatMap({ base[$0.upperBound...].firstIndex(of: "/") }) {
            let basePath = String(base[slash...])
            if url.hasPrefix(basePath) { return String(url.dropFirst(basePath.count)) }
        }
        throw ConnectorError.invalidResponse(system: system, message: "a Link header points outside the system's base URL: \(client.redact(url).prefix(200))")
    }
}

/// Pages through a whole collection for a full scan, keeping only the datatype's records.
struct RESTScanPager: ScanPager {
    let connector: RESTConnector
    let datatype: RESTDatatype
    var state: PageState? = .first
    var pages = 0

    mutating func nextPage() async throws -> [ChangeItem]? {
        guard let current = state else { return nil }
        pages += 1
        if pages > 1_000_000 {
            throw ConnectorError.invalidResponse(system: connector.system, message: "\(datatype.name): more than a million pages; is pagination configured right?")
        }
        let page = try await connector.listPage(datatype, state: current)
        state = page.next
        return page.records.filter(datatype.accepts).map { datatype.item($0) }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

import Foundation
import HTTPTypes
import Hummingbird
import ParleyCore

/// The same 25 items behind each pagination style, and a collection filtered by `updated_since`.
enum PagingRoutes {
    static let count = 25

    static func item(_ number: Int) -> JSONValue { ["id": .int(number), "name": .string("Item \(number)")] }

    static func register(on router: Router<BasicRequestContext>, store: RESTTestStore) {
        router.get("styles/page") { request, _ in
            await RESTTestServer.guarded(request, store) {
                let page = request.uri.queryParameters.get("page").flatMap { Int($0) } ?? 1
                let size = request.uri.queryParameters.get("per_page").flatMap { Int($0) } ?? 10
                let numbers = Array((1...count).dropFirst((page - 1) * size).prefix(size))
                return RESTTestServer.json(["data": .array(numbers.map(item))])
            }
        }
        router.get("styles/cursor") { request, _ in
            await RESTTestServer.guarded(request, store) {
                let start = request.uri.queryParameters.get("cursor").flatMap { Int($0.dropFirst()) } ?? 1
                let size = request.uri.queryParameters.get("limit").flatMap { Int($0) } ?? 10
                let numbers = Array((start...count).prefix(size))
                let next: JSONValue = (numbers.last ?? count) < count ? .string("c\((numbers.last ?? count) + 1)") : .null
                return RESTTestServer.json(["items": .array(numbers.map(item)), "meta": ["next": next]])
            }
        }
        router.get("styles/link") { request, _ in
            await RESTTestServer.guarded(request, store) {
                let page = request.uri.queryParameters.get("page").flatMap { Int($0) } ?? 1
                let size = request.uri.queryParameters.get("per_page").flatMap { Int($0) } ?? 10
                let numbers = Array((1...count).dropFirst((page - 1) * size).prefix(size))
                var response = RESTTestServer.json(.array(numbers.map(item)))
                if page * size < count, let host = request.head.authority {
                    response.headers[HTTPField.Name("Link")!] =
                        "<http://\(host)/styles/link?per_page=\(size)&page=\(page + 1)>; rel=\"next\", <http://\(host)/styles/link?page=1>; rel=\"first\""
                }
                return response
            }
        }
        router.get("styles/since") { request, _ in
            await RESTTestServer.guarded(request, store) {
                let since = request.uri.queryParameters.get("updated_since").flatMap { Int64($0) } ?? 0
                let offset = request.uri.queryParameters.get("offset").flatMap { Int($0) } ?? 0
                let limit = request.uri.queryParameters.get("limit").flatMap { Int($0) } ?? 10
                let all = await store.timedItems(since: since)
                return RESTTestServer.json(["items": .array(Array(all.dropFirst(offset).prefix(limit))), "total": .int(all.count)])
            }
        }
    }
}

extension RESTTestStore {
    /// Items with an `updated` time (epoch seconds), oldest first.
    func timedItems(since: Int64) -> [JSONValue] {
        timed.values.filter { ($0["updated"]?.int64Value ?? 0) >= since }
            .sorted { ($0["updated"]?.int64Value ?? 0, $0["id"]?.int64Value ?? 0) < ($1["updated"]?.int64Value ?? 0, $1["id"]?.int64Value ?? 0) }
    }
}

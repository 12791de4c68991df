import Foundation
import ParleyCore

/// How the hostile system answers a request a fault rule matches.
enum HostileBehaviour: Sendable {
    /// Answer with this status and an error body (`Retry-After` when given), touching nothing.
    case status(Int, retryAfter: String?)
    /// Wait, then answer normally (past the client's timeout, the answer is lost).
    case stall(Duration)
    /// Send the status line, headers and part of the body, then close the connection.
    case reset
    /// Apply the request (a write commits), then wait before answering.
    case acceptThenStall(Duration)
    /// Answer 200 with these raw bytes, touching nothing.
    case body([UInt8])
}

/// A fault for requests with one of `methods` (all when empty) whose target starts with `pathPrefix`;
/// applies `remaining` times (forever when nil).
struct HostileRule: Sendable {
    var methods: Set<String> = []
    var pathPrefix = ""
    var behaviour: HostileBehaviour
    var remaining: Int?
}

/// One request as the hostile system received it: the raw request target, before any decoding.
struct HostileRequest: Sendable {
    var method: String
    var target: String
    var at: ContinuousClock.Instant
}

/// One entry of a change feed: a sequence number and the item's raw JSON bytes (which may be invalid).
struct FeedEntry: Sendable {
    var sequence: Int
    var id: String?
    var bytes: [UInt8]
}

/// State of the hostile system: records, the change feed, idempotency keys, fault rules and the request log.
actor HostileState {
    private(set) var requests: [HostileRequest] = []
    private var rules: [HostileRule] = []
    private var records: [String: JSONValue] = [:]
    private var versions: [String: Int] = [:]
    private var feed: [FeedEntry] = []
    private var sequence = 0
    private var idempotencyKeys: [String: String] = [:]
    /// Scripted feed answers by `since` ("" for none), replacing the computed feed.
    private var scriptedPages: [String: [UInt8]] = [:]
    private var clockMillis: Int64 = 0

    // MARK: - Test controls

    func addRule(_ rule: HostileRule) { rules.append(rule) }
    func clearRules() { rules = [] }

    /// Stores a well-formed record (its `id` must be a string) and appends it to the feed.
    func put(_ record: JSONValue) {
        guard let id = record["id"]?.stringValue else { return }
        var stored = record
        stored.setValue(.int64(tick()), at: "updated_at")
        records[id] = stored
        versions[id, default: 0] += 1
        append(id: id, bytes: stored.jsonBytes)
    }

    /// Appends raw bytes as a feed item, without storing a readable record.
    func appendRaw(_ bytes: [UInt8], id: String? = nil) { append(id: id, bytes: bytes) }

    func script(since: String, page: [UInt8]) { scriptedPages[since] = page }

    func record(_ id: String) -> JSONValue? { records[id] }
    var allRecords: [String: JSONValue] { records }

    func requestCount(method: String? = nil, targetPrefix: String = "") -> Int {
        requests.filter { (method == nil || $0.method == method) && $0.target.hasPrefix(targetPrefix) }.count
    }

    // MARK: - Serving

    func log(method: String, target: String) {
        requests.append(HostileRequest(method: method, target: target, at: .now))
    }

    /// The fault for this request, if any rule applies (consuming one use of it).
    func fault(method: String, target: String) -> HostileBehaviour? {
        for index in rules.indices {
            let rule = rules[index]
            guard rule.methods.isEmpty || rule.methods.contains(method), target.hasPrefix(rule.pathPrefix) else { continue }
            if let remaining = rule.remaining {
                if remaining <= 0 { continue }
                rules[index].remaining = remaining - 1
            }
            return rule.behaviour
        }
        return nil
    }

    func feedPage(since: String?, limit: Int) -> [UInt8] {
        if let scripted = scriptedPages[since ?? ""] { return scripted }
        let after = since.flatMap(Int.init) ?? 0
        let entries = feed.filter { $0.sequence > after }
        let page = entries.prefix(limit)
        let next = page.last.map { String($0.sequence) } ?? String(after)
        var body = Array(#"{"items":["#.utf8)
        for (offset, entry) in page.enumerated() {
            if offset > 0 { body.append(UInt8(ascii: ",")) }
            body += entry.bytes
        }
        body += Array(#"],"next":"\#(next)","hasMore":\#(entries.count > page.count)}"#.utf8)
        return body
    }

    func read(_ id: String) -> (JSONValue, Int)? {
        guard let record = records[id] else { return nil }
        return (record, versions[id] ?? 1)
    }

    enum WriteResult: Sendable {
        case ok(JSONValue, version: Int, created: Bool)
        case notFound
        case preconditionFailed
    }

    func create(_ body: JSONValue, idempotencyKey: String?) -> WriteResult {
        if let key = idempotencyKey, let id = idempotencyKeys[key], let existing = records[id] {
            return .ok(existing, version: versions[id] ?? 1, created: false)
        }
        let id = "new-" + UUID().uuidString.lowercased()
        var record = body
        record.setValue(.string(id), at: "id")
        put(record)
        if let key = idempotencyKey { idempotencyKeys[key] = id }
        return .ok(records[id] ?? record, version: versions[id] ?? 1, created: true)
    }

    func patch(_ id: String, _ body: JSONValue, ifMatch: String?) -> WriteResult {
        guard var record = records[id] else { return .notFound }
        let version = versions[id] ?? 1
        if let ifMatch, ifMatch != "\"\(version)\"" { return .preconditionFailed }
        for (key, value) in body.objectValue ?? [:] where key != "id" && key != "updated_at" {
            record.setValue(value, at: key)
        }
        if record == records[id] { return .ok(record, version: version, created: false) }
        put(record)
        return .ok(records[id] ?? record, version: versions[id] ?? version, created: false)
    }

    func delete(_ id: String) -> Bool {
        guard records.removeValue(forKey: id) != nil else { return false }
        append(id: id, bytes: JSONValue.object(["id": .string(id), "deleted": true, "updated_at": .int64(tick())]).jsonBytes)
        return true
    }

    private func append(id: String?, bytes: [UInt8]) {
        sequence += 1
        if let id { feed.removeAll { $0.id == id } }
        feed.append(FeedEntry(sequence: sequence, id: id, bytes: bytes))
    }

    /// Wall-clock milliseconds, strictly increasing.
    private func tick() -> Int64 {
        clockMillis = max(clockMillis + 1, Int64(Date().timeIntervalSince1970 * 1000))
        return clockMillis
    }
}

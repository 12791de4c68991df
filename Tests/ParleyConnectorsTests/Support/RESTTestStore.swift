import Foundation
import ParleyCore

/// The data of the REST test system ("Acme Projects"): clients with integer ids, projects with string
/// ids that may have sub-projects (`parent_id`). It lower-cases e-mails, like many real systems, and counts
/// every request.
actor RESTTestStore {
    private(set) var clients: [Int: JSONValue] = [:]
    private(set) var projects: [String: JSONValue] = [:]
    private var nextClient = 1
    private var nextProject = 1
    private(set) var requests: [String] = []
    /// Items of the `updated_since` collection, by id.
    var timed: [Int: JSONValue] = [:]
    private var failures: [(status: Int, retryAfter: String?)] = []

    // MARK: - Faults and counters

    func record(_ request: String) -> (status: Int, retryAfter: String?)? {
        requests.append(request)
        return failures.isEmpty ? nil : failures.removeFirst()
    }

    func failNext(status: Int, retryAfter: String? = nil, times: Int = 1) {
        for _ in 0..<times { failures.append((status, retryAfter)) }
    }

    func requestCount(matching prefix: String) -> Int { requests.filter { $0.hasPrefix(prefix) }.count }

    func setTimed(_ id: Int, name: String, updated: Int64) {
        timed[id] = ["id": .int(id), "name": .string(name), "updated": .int64(updated)]
    }

    // MARK: - Clients

    func listClients(offset: Int, limit: Int) -> (items: [JSONValue], total: Int) {
        let all = clients.keys.sorted().compactMap { clients[$0] }
        return (Array(all.dropFirst(offset).prefix(limit)), all.count)
    }

    func client(_ id: Int) -> JSONValue? { clients[id] }

    /// Creates a client; nil with a message when invalid.
    func createClient(_ fields: JSONValue) -> Result<JSONValue, Problem> {
        let id = nextClient
        switch validClient(fields, id: id) {
        case .failure(let problem): return .failure(problem)
        case .success(let record):
            nextClient += 1
            clients[id] = record
            return .success(record)
        }
    }

    func replaceClient(_ id: Int, _ fields: JSONValue) -> Result<JSONValue, Problem> {
        guard clients[id] != nil else { return .failure(Problem(status: 404, field: nil, message: "no client \(id)")) }
        switch validClient(fields, id: id) {
        case .failure(let problem): return .failure(problem)
        case .success(let record):
            clients[id] = record
            return .success(record)
        }
    }

    func deleteClient(_ id: Int) -> Bool { clients.removeValue(forKey: id) != nil }

    private func validClient(_ fields: JSONValue, id: Int) -> Result<JSONValue, Problem> {
        guard case .object(var object) = fields else { return .failure(Problem(status: 400, field: nil, message: "expected a client object")) }
        guard let name = object["name"]?.stringValue, !name.isEmpty else { return .failure(Problem(status: 422, field: "name", message: "is required")) }
        _ = name
        object["id"] = .int(id)
        if let email = object["email"]?.stringValue { object["email"] = .string(email.lowercased()) }
        if object["active"] == nil { object["active"] = .bool(true) }
        object.removeValue(forKey: "fetched_at")
        return .success(.object(object))
    }

    // MARK: - Projects

    func listProjects(offset: Int, limit: Int) -> (items: [JSONValue], total: Int) {
        let all = projects.keys.sorted { Self.number($0) < Self.number($1) }.compactMap { projects[$0] }
        return (Array(all.dropFirst(offset).prefix(limit)), all.count)
    }

    func project(_ id: String) -> JSONValue? { projects[id] }

    func createProject(_ fields: JSONValue) -> Result<JSONValue, Problem> {
        let id = "prj-\(nextProject)"
        switch validProject(fields, id: id) {
        case .failure(let problem): return .failure(problem)
        case .success(let record):
            nextProject += 1
            projects[id] = record
            return .success(record)
        }
    }

    func replaceProject(_ id: String, _ fields: JSONValue) -> Result<JSONValue, Problem> {
        guard projects[id] != nil else { return .failure(Problem(status: 404, field: nil, message: "no project \(id)")) }
        switch validProject(fields, id: id) {
        case .failure(let problem): return .failure(problem)
        case .success(let record):
            projects[id] = record
            return .success(record)
        }
    }

    func deleteProject(_ id: String) -> Bool { projects.removeValue(forKey: id) != nil }

    private func validProject(_ fields: JSONValue, id: String) -> Result<JSONValue, Problem> {
        guard case .object(var object) = fields else { return .failure(Problem(status: 400, field: nil, message: "expected a project object")) }
        for field in ["key", "name"] where (object[field]?.stringValue ?? "").isEmpty {
            return .failure(Problem(status: 422, field: field, message: "is required"))
        }
        guard let client = object["client_id"]?.int64Value, clients[Int(client)] != nil else {
            return .failure(Problem(status: 422, field: "client_id", message: "must name an existing client"))
        }
        guard let slug = object["slug"]?.stringValue, !slug.isEmpty,
            slug.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        else {
            return .failure(Problem(status: 422, field: "slug", message: "must be lower-case letters, digits and dashes"))
        }
        guard object["kind"]?.stringValue == "project" else { return .failure(Problem(status: 422, field: "kind", message: "must be 'project'")) }
        object["id"] = .string(id)
        if object["parent_id"] == nil { object["parent_id"] = .null }
        if object["active"] == nil { object["active"] = .bool(true) }
        if object["status"] == nil { object["status"] = .string("planned") }
        object.removeValue(forKey: "fetched_at")
        return .success(.object(object))
    }

    static func number(_ id: String) -> Int { Int(id.split(separator: "-").last ?? "") ?? 0 }

    // MARK: - Direct edits (the system's own users)

    func edit(client id: Int, _ change: (inout [String: JSONValue]) -> Void) {
        guard case .object(var object) = clients[id] else { return }
        change(&object)
        clients[id] = .object(object)
    }

    func insertSubProject(key: String, name: String, parent: String, client: Int) -> String {
        let id = "prj-\(nextProject)"
        nextProject += 1
        projects[id] = [
            "id": .string(id), "key": .string(key), "name": .string(name), "client_id": .int(client), "parent_id": .string(parent),
            "status": "planned", "active": true, "slug": "sub", "kind": "project",
        ]
        return id
    }

    func edit(project id: String, _ change: (inout [String: JSONValue]) -> Void) {
        guard case .object(var object) = projects[id] else { return }
        change(&object)
        projects[id] = .object(object)
    }
}

struct Problem: Error {
    var status: Int
    var field: String?
    var message: String
}

import Foundation
import ParleyConfig
import ParleyConnectors
import ParleyCore

/// The example JSON-file connector's records, edited by their users through a second copy of the program
/// (so every edit is numbered in the file's sequence like the connector's own writes).
struct ExecPMSSide: ScenarioSide {
    let label = "JSON-file PMS"
    let client: ExecConnector

    static var example: String { repositoryRoot + "/Examples/exec/json-file-connector.py" }
    static var schema: String { repositoryRoot + "/Examples/exec/schema.json" }
    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    static func settings(data: String, folder: String, timeoutMillis: Int = 20_000) -> ExecSettings {
        ExecSettings(
            command: "python3", arguments: [example, "--schema", schema, "--data", data], workingDirectory: folder, timeoutMillis: timeoutMillis)
    }

    func addCustomer(_ customer: Customer) async throws -> String {
        var fields: JSONValue = ["display_name": .string(customer.name), "archived": .bool(!customer.active)]
        if let org = customer.org { fields.setValue(.string(org), at: "org_no") }
        if let email = customer.email { fields.setValue(.string(email), at: "contact_email") }
        return try await client.create(datatype: "customer", fields: fields, idempotencyKey: UUID().uuidString).id
    }

    func renameCustomer(_ id: String, to name: String) async throws {
        _ = try await client.update(datatype: "customer", id: id, fields: ["display_name": .string(name)], ifMatch: nil)
    }

    func setEmail(_ id: String, to email: String) async throws {
        _ = try await client.update(datatype: "customer", id: id, fields: ["contact_email": .string(email)], ifMatch: nil)
    }

    func customer(_ id: String) async throws -> Customer? {
        guard let json = try await client.fetch(datatype: "customer", id: id)?.fields else { return nil }
        return Customer(
            name: json["display_name"]?.stringValue ?? "", org: json["org_no"]?.stringValue, email: json["contact_email"]?.stringValue,
            active: !(json["archived"]?.boolValue ?? true))
    }

    func deleteCustomer(_ id: String) async throws { try await client.delete(datatype: "customer", id: id) }

    func addProject(_ project: Project) async throws -> String {
        try await client.create(
            datatype: "project",
            fields: ["code": .string(project.code), "title": .string(project.title), "customer_id": .string(project.customer), "archived": .bool(!project.active)],
            idempotencyKey: UUID().uuidString
        ).id
    }

    func project(_ id: String) async throws -> Project? {
        guard let json = try await client.fetch(datatype: "project", id: id)?.fields else { return nil }
        return Project(
            code: json["code"]?.stringValue ?? "", title: json["title"]?.stringValue ?? "", customer: json["customer_id"]?.idText ?? "",
            active: !(json["archived"]?.boolValue ?? true))
    }

    func projectCodes() async throws -> [String] {
        var codes: [String: String] = [:]
        var cursor: String?
        while true {
            let page = try await client.changes(datatype: "project", since: cursor, limit: 100)
            for case .record(let record) in page.items {
                codes[record.id] = record.deleted ? nil : record.fields["code"]?.stringValue
            }
            cursor = page.next
            if !page.hasMore { break }
        }
        return codes.values.sorted()
    }
}

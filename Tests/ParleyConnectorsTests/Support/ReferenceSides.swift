import ParleyCore
import ParleyTestSupport

/// The bundled Custom ERP, edited through its own API.
struct ReferenceERPSide: ScenarioSide {
    let label = "Custom ERP"
    let client: SystemClient

    func addCustomer(_ customer: Customer) async throws -> String {
        var body: JSONValue = ["customerNumber": .string("C-\(customer.org ?? customer.name)"), "name": .string(customer.name), "isActive": .bool(customer.active)]
        if let org = customer.org { body.setValue(.string(org), at: "organizationNumber") }
        if let email = customer.email { body.setValue(.string(email), at: "email") }
        return try await client.create("customers", body).value(at: "id")?.idText ?? ""
    }

    func renameCustomer(_ id: String, to name: String) async throws { try await client.patch("customers", id, ["name": .string(name)]) }
    func setEmail(_ id: String, to email: String) async throws { try await client.patch("customers", id, ["email": .string(email)]) }

    func customer(_ id: String) async throws -> Customer? {
        guard let json = try await client.get("customers", id), json["deleted"]?.boolValue != true else { return nil }
        return Customer(
            name: json["name"]?.stringValue ?? "", org: json["organizationNumber"]?.stringValue, email: json["email"]?.stringValue,
            active: json["isActive"]?.boolValue ?? false)
    }

    func deleteCustomer(_ id: String) async throws { try await client.delete("customers", id) }

    func addProject(_ project: Project) async throws -> String {
        try await client.create("projects", [
            "projectNumber": .string(project.code), "name": .string(project.title), "customerId": .number(project.customer),
            "isActive": .bool(project.active),
        ]).value(at: "id")?.idText ?? ""
    }

    func project(_ id: String) async throws -> Project? {
        guard let json = try await client.get("projects", id) else { return nil }
        return Project(
            code: json["projectNumber"]?.stringValue ?? "", title: json["name"]?.stringValue ?? "", customer: json["customerId"]?.idText ?? "",
            active: json["isActive"]?.boolValue ?? false)
    }

    func projectCodes() async throws -> [String] {
        try await client.all("projects").compactMap { $0["projectNumber"]?.stringValue }.sorted()
    }
}

/// The bundled Custom PMS, edited through its own API.
struct ReferencePMSSide: ScenarioSide {
    let label = "Custom PMS"
    let client: SystemClient

    func addCustomer(_ customer: Customer) async throws -> String {
        var body: JSONValue = ["display_name": .string(customer.name), "archived": .bool(!customer.active)]
        if let org = customer.org { body.setValue(.string(org), at: "org_no") }
        if let email = customer.email { body.setValue(.string(email), at: "contact_email") }
        return try await client.create("customers", body).value(at: "id")?.idText ?? ""
    }

    func renameCustomer(_ id: String, to name: String) async throws { try await client.patch("customers", id, ["display_name": .string(name)]) }
    func setEmail(_ id: String, to email: String) async throws { try await client.patch("customers", id, ["contact_email": .string(email)]) }

    func customer(_ id: String) async throws -> Customer? {
        guard let json = try await client.get("customers", id), json["deleted"]?.boolValue != true else { return nil }
        return Customer(
            name: json["display_name"]?.stringValue ?? "", org: json["org_no"]?.stringValue, email: json["contact_email"]?.stringValue,
            active: !(json["archived"]?.boolValue ?? true))
    }

    func deleteCustomer(_ id: String) async throws { try await client.delete("customers", id) }

    func addProject(_ project: Project) async throws -> String {
        try await client.create("projects", [
            "code": .string(project.code), "title": .string(project.title), "customer_id": .string(project.customer), "archived": .bool(!project.active),
        ]).value(at: "id")?.idText ?? ""
    }

    func project(_ id: String) async throws -> Project? {
        guard let json = try await client.get("projects", id) else { return nil }
        return Project(
            code: json["code"]?.stringValue ?? "", title: json["title"]?.stringValue ?? "", customer: json["customer_id"]?.idText ?? "",
            active: !(json["archived"]?.boolValue ?? true))
    }

    func projectCodes() async throws -> [String] {
        try await client.all("projects").compactMap { $0["code"]?.stringValue }.sorted()
    }
}

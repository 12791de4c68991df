import ParleyCore

/// The REST test system edited by its own users (straight in its store).
struct RESTPMSSide: ScenarioSide {
    let label = "Acme Projects"
    let store: RESTTestStore

    func addCustomer(_ customer: Customer) async throws -> String {
        var fields: JSONValue = ["name": .string(customer.name), "active": .bool(customer.active)]
        if let org = customer.org { fields.setValue(.string(org), at: "org_number") }
        if let email = customer.email { fields.setValue(.string(email), at: "email") }
        return try await store.createClient(fields).get()["id"]?.idText ?? ""
    }

    func renameCustomer(_ id: String, to name: String) async throws {
        await store.edit(client: Int(id) ?? 0) { $0["name"] = .string(name) }
    }

    func setEmail(_ id: String, to email: String) async throws {
        await store.edit(client: Int(id) ?? 0) { $0["email"] = .string(email) }
    }

    func customer(_ id: String) async throws -> Customer? {
        guard let json = await store.client(Int(id) ?? 0) else { return nil }
        return Customer(
            name: json["name"]?.stringValue ?? "", org: json["org_number"]?.stringValue, email: json["email"]?.stringValue,
            active: json["active"]?.boolValue ?? false)
    }

    func deleteCustomer(_ id: String) async throws { _ = await store.deleteClient(Int(id) ?? 0) }

    func addProject(_ project: Project) async throws -> String {
        try await store.createProject([
            "key": .string(project.code), "name": .string(project.title), "client_id": .number(project.customer), "active": .bool(project.active),
            "slug": "added-by-hand", "kind": "project",
        ]).get()["id"]?.idText ?? ""
    }

    func project(_ id: String) async throws -> Project? {
        guard let json = await store.project(id) else { return nil }
        return Project(
            code: json["key"]?.stringValue ?? "", title: json["name"]?.stringValue ?? "", customer: json["client_id"]?.idText ?? "",
            active: json["active"]?.boolValue ?? false)
    }

    /// Top-level projects only: sub-projects are not part of the synced datatype.
    func projectCodes() async throws -> [String] {
        await store.projects.values.filter { $0["parent_id"] == .null }.compactMap { $0["key"]?.stringValue }.sorted()
    }
}

/// A running REST test system and the `pms:` system section describing it.
enum RESTSystem {
    static func yaml(auth: String = "{apiKey: {header: X-Api-Key, value: \"${REST_KEY}\"}}") -> String {
        """
          pms:
            title: Acme Projects
            connector: rest
            url: ${REST_URL}/api/v2
            auth: \(auth)
            rateLimit: 1000/s
            timeout: 5s
            datatypes:
              client:
                collection: /clients
                records: /clients
                record: /client
                wrap: client
                pagination: {style: offset, size: 10, total: /total}
                id: {field: id, type: integer}
                update: PUT
                properties:
                  name: {type: string, required: true}
                  org_number: string
                  email: string
                  active: boolean
              project:
                collection: /projects
                records: /projects
                record: /project
                wrap: project
                pagination: {style: offset, size: 10, total: /total}
                update: PUT
                create: {idFrom: location}
                filter: [{field: parent_id, empty: true}]
                onCreate:
                  kind: project
                  slug: "{name|slug}-{key|digits}"
                properties:
                  key: {type: string, required: true}
                  name: {type: string, required: true}
                  client_id: {type: reference, references: client, required: true}
                  status: {type: enum, values: [planned, active, on_hold, completed]}
                  active: boolean
        """
    }

    /// Flows between an ERP with the Custom ERP's property names (left) and the REST system (right).
    static let flows = """
        flows:
          - name: customers
            left: erp.customer
            right: pms.client
            deletes: archive
            archive:
              erp: {property: isActive, value: false}
              pms: {property: active, value: false}
            defaults:
              erp: {customerNumber: "ACME-{id}"}
            merge:
              - {erp: organizationNumber, pms: org_number, normalize: [digits-only]}
            properties:
              - {erp: name, pms: name}
              - {erp: organizationNumber, pms: org_number}
              - {erp: email, pms: email, ignoreCase: true}
              - {erp: isActive, pms: active}
          - name: projects
            left: erp.project
            right: pms.project
            deletes: archive
            archive:
              erp: {property: isActive, value: false}
              pms: {property: active, value: false}
            merge:
              - {erp: projectNumber, pms: key}
            properties:
              - {erp: projectNumber, pms: key}
              - {erp: name, pms: name}
              - {erp: customerId, pms: client_id, reference: customers}
              - {erp: status, pms: status, convert: {map: {PLANNED: planned, ACTIVE: active, ON_HOLD: on_hold, COMPLETED: completed}}}
              - {erp: isActive, pms: active}
        """

    static func configuration(erp: String, auth: String? = nil) -> String {
        "state: state.sqlite\nsystems:\n" + erp + "\n" + (auth.map { yaml(auth: $0) } ?? yaml()) + "\n" + flows
    }

    static let referenceERP = """
          erp:
            title: Custom ERP
            connector: contract
            url: ${ERP_URL}
        """
}

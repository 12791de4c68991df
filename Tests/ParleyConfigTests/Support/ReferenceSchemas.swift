import ParleyCore

/// The schemas the bundled reference systems serve at `/schema`, as described in the engine's brief.
enum ReferenceSchemas {
    static var all: [String: SystemSchema] { ["erp": erp, "pms": pms] }

    static let erp = SystemSchema(
        system: "erp", name: "Custom ERP",
        datatypes: [
            DatatypeSchema(
                name: "customer", collection: "customers", idField: "id", idType: .integer, changeMarker: "lastModified",
                changeMarkerType: .datetime,
                properties: [
                    PropertySchema(name: "id", type: .integer, readOnly: true),
                    PropertySchema(name: "customerNumber", type: .string, required: true, unique: true),
                    PropertySchema(name: "name", type: .string, required: true),
                    PropertySchema(name: "organizationNumber", type: .string),
                    PropertySchema(name: "email", type: .string),
                    PropertySchema(name: "phone", type: .string),
                    PropertySchema(name: "website", type: .string),
                    PropertySchema(name: "address.street", type: .string),
                    PropertySchema(name: "address.postalCode", type: .string),
                    PropertySchema(name: "address.city", type: .string),
                    PropertySchema(name: "address.countryCode", type: .string),
                    PropertySchema(name: "isActive", type: .boolean),
                    PropertySchema(name: "lastModified", type: .datetime, readOnly: true),
                ]
            ),
            DatatypeSchema(
                name: "project", collection: "projects", idField: "id", idType: .integer, changeMarker: "lastModified",
                changeMarkerType: .datetime,
                properties: [
                    PropertySchema(name: "id", type: .integer, readOnly: true),
                    PropertySchema(name: "projectNumber", type: .string, required: true, unique: true),
                    PropertySchema(name: "name", type: .string, required: true),
                    PropertySchema(name: "description", type: .string),
                    PropertySchema(name: "customerId", type: .reference, required: true, references: "customer"),
                    PropertySchema(name: "startDate", type: .date),
                    PropertySchema(name: "endDate", type: .date),
                    PropertySchema(name: "status", type: .enum, values: ["PLANNED", "ACTIVE", "ON_HOLD", "COMPLETED"]),
                    PropertySchema(name: "budget", type: .decimal),
                    PropertySchema(name: "projectManagerEmail", type: .string),
                    PropertySchema(name: "isActive", type: .boolean),
                    PropertySchema(name: "lastModified", type: .datetime, readOnly: true),
                ]
            ),
        ]
    )

    static let pms = SystemSchema(
        system: "pms", name: "Custom PMS",
        datatypes: [
            DatatypeSchema(
                name: "customer", collection: "customers", idField: "id", idType: .string, changeMarker: "updated_at",
                changeMarkerType: .integer,
                properties: [
                    PropertySchema(name: "id", type: .string, readOnly: true),
                    PropertySchema(name: "display_name", type: .string, required: true),
                    PropertySchema(name: "org_no", type: .string),
                    PropertySchema(name: "erp_number", type: .string, unique: true),
                    PropertySchema(name: "contact_email", type: .string),
                    PropertySchema(name: "contact_phone", type: .string),
                    PropertySchema(name: "homepage", type: .string),
                    PropertySchema(name: "street_address", type: .string),
                    PropertySchema(name: "postal_code", type: .string),
                    PropertySchema(name: "city", type: .string),
                    PropertySchema(name: "country", type: .string),
                    PropertySchema(name: "archived", type: .boolean),
                    PropertySchema(name: "updated_at", type: .integer, readOnly: true),
                ]
            ),
            DatatypeSchema(
                name: "project", collection: "projects", idField: "id", idType: .string, changeMarker: "updated_at",
                changeMarkerType: .integer,
                properties: [
                    PropertySchema(name: "id", type: .string, readOnly: true),
                    PropertySchema(name: "code", type: .string, required: true, unique: true),
                    PropertySchema(name: "title", type: .string, required: true),
                    PropertySchema(name: "summary", type: .string),
                    PropertySchema(name: "customer_id", type: .reference, required: true, references: "customer"),
                    PropertySchema(name: "start_on", type: .date),
                    PropertySchema(name: "due_on", type: .date),
                    PropertySchema(name: "state", type: .enum, values: ["planned", "in_progress", "paused", "done"]),
                    PropertySchema(name: "budget_cents", type: .integer),
                    PropertySchema(name: "lead_email", type: .string),
                    PropertySchema(name: "archived", type: .boolean),
                    PropertySchema(name: "updated_at", type: .integer, readOnly: true),
                ]
            ),
            DatatypeSchema(
                name: "task", collection: "tasks", idField: "id", idType: .string, changeMarker: "updated_at",
                changeMarkerType: .integer,
                properties: [
                    PropertySchema(name: "id", type: .string, readOnly: true),
                    PropertySchema(name: "project_id", type: .reference, required: true, references: "project"),
                    PropertySchema(name: "title", type: .string, required: true),
                    PropertySchema(name: "done", type: .boolean),
                    PropertySchema(name: "updated_at", type: .integer, readOnly: true),
                ]
            ),
        ]
    )
}

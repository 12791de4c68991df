extension SystemDefinition {
    /// The Custom PMS: UUID ids, snake_case, flat, epoch-millisecond `updated_at`, lower-cases e-mails.
    static let pms = SystemDefinition(
        name: "pms",
        displayName: "Custom PMS",
        trimsStrings: false,
        datatypes: [
            DatatypeDefinition(
                name: "customer",
                collection: "customers",
                idField: "id",
                idKind: .uuid,
                changeMarker: "updated_at",
                changeMarkerKind: .epochMilliseconds,
                properties: [
                    PropertyDefinition("display_name", .string, required: true),
                    PropertyDefinition("org_no", .string),
                    PropertyDefinition("erp_number", .string, unique: true),
                    PropertyDefinition("contact_email", .string, format: .email, transforms: [.trim, .lowercase]),
                    PropertyDefinition("contact_phone", .string),
                    PropertyDefinition("homepage", .string),
                    PropertyDefinition("street_address", .string),
                    PropertyDefinition("postal_code", .string),
                    PropertyDefinition("city", .string),
                    PropertyDefinition("country", .string, format: .countryAlpha3, transforms: [.uppercase]),
                    PropertyDefinition("archived", .boolean, defaultValue: .bool(false)),
                ]
            ),
            DatatypeDefinition(
                name: "project",
                collection: "projects",
                idField: "id",
                idKind: .uuid,
                changeMarker: "updated_at",
                changeMarkerKind: .epochMilliseconds,
                properties: [
                    PropertyDefinition("code", .string, required: true, unique: true),
                    PropertyDefinition("title", .string, required: true),
                    PropertyDefinition("summary", .string),
                    PropertyDefinition("customer_id", .reference(datatype: "customer"), required: true),
                    PropertyDefinition("start_on", .date),
                    PropertyDefinition("due_on", .date),
                    PropertyDefinition(
                        "state", .enumeration(["planned", "in_progress", "paused", "done"]),
                        defaultValue: .string("planned")
                    ),
                    PropertyDefinition("budget_cents", .integer),
                    PropertyDefinition("lead_email", .string, format: .email, transforms: [.trim, .lowercase]),
                    PropertyDefinition("archived", .boolean, defaultValue: .bool(false)),
                ]
            ),
            DatatypeDefinition(
                name: "task",
                collection: "tasks",
                idField: "id",
                idKind: .uuid,
                changeMarker: "updated_at",
                changeMarkerKind: .epochMilliseconds,
                properties: [
                    PropertyDefinition("project_id", .reference(datatype: "project"), required: true),
                    PropertyDefinition("title", .string, required: true),
                    PropertyDefinition("done", .boolean, defaultValue: .bool(false)),
                ]
            ),
        ]
    )
}

extension SystemDefinition {
    /// The Custom ERP: integer ids, camelCase, nested address, RFC 3339 `lastModified`, trims every string.
    static let erp = SystemDefinition(
        name: "erp",
        displayName: "Custom ERP",
        trimsStrings: true,
        datatypes: [
            DatatypeDefinition(
                name: "customer",
                collection: "customers",
                idField: "id",
                idKind: .autoincrementInteger,
                changeMarker: "lastModified",
                changeMarkerKind: .rfc3339,
                properties: [
                    PropertyDefinition("customerNumber", .string, required: true, unique: true),
                    PropertyDefinition("name", .string, required: true),
                    PropertyDefinition("organizationNumber", .string),
                    PropertyDefinition("email", .string, format: .email),
                    PropertyDefinition("phone", .string),
                    PropertyDefinition("website", .string),
                    PropertyDefinition("address.street", .string),
                    PropertyDefinition("address.postalCode", .string),
                    PropertyDefinition("address.city", .string),
                    PropertyDefinition("address.countryCode", .string, format: .countryAlpha2, transforms: [.uppercase]),
                    PropertyDefinition("isActive", .boolean, defaultValue: .bool(true)),
                ]
            ),
            DatatypeDefinition(
                name: "project",
                collection: "projects",
                idField: "id",
                idKind: .autoincrementInteger,
                changeMarker: "lastModified",
                changeMarkerKind: .rfc3339,
                properties: [
                    PropertyDefinition("projectNumber", .string, required: true, unique: true),
                    PropertyDefinition("name", .string, required: true),
                    PropertyDefinition("description", .string),
                    PropertyDefinition("customerId", .reference(datatype: "customer"), required: true),
                    PropertyDefinition("startDate", .date),
                    PropertyDefinition("endDate", .date),
                    PropertyDefinition(
                        "status", .enumeration(["PLANNED", "ACTIVE", "ON_HOLD", "COMPLETED"]),
                        defaultValue: .string("PLANNED")
                    ),
                    PropertyDefinition("budget", .decimal(scale: 2, maximumIntegerDigits: 13)),
                    PropertyDefinition("projectManagerEmail", .string, format: .email),
                    PropertyDefinition("isActive", .boolean, defaultValue: .bool(true)),
                ],
                rules: [.notBefore(property: "endDate", other: "startDate")]
            ),
        ]
    )
}

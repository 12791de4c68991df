/// One generated company, as both reference systems would hold it.
public struct SampleCompany: Sendable, Equatable {
    /// Position in the deterministic sequence (the same index means the same company in both systems).
    public let index: Int
    public let name: String
    /// Nine digits, no spaces (how the PMS stores `org_no`).
    public let organizationNumber: String
    /// How the ERP holds `organizationNumber`: sometimes grouped with spaces (`"912 345 678"`).
    public let erpOrganizationNumber: String
    /// `C-100042` for index 42.
    public let customerNumber: String
    /// Mixed case, as typed into the ERP (the PMS stores it lower-cased).
    public let email: String
    public let phone: String
    public let website: String
    public let street: String
    public let postalCode: String
    public let city: String
    /// ISO 3166-1 alpha-2 (ERP).
    public let countryCode: String
    /// ISO 3166-1 alpha-3 (PMS).
    public let countryAlpha3: String
    public let isActive: Bool

    /// Body for `POST /customers` on the Custom ERP.
    public var erpCustomerJSON: String { JSONWriter.string(.object(erpCustomerBody)) }

    /// Body for `POST /customers` on the Custom PMS (`erp_number` null: matched by org number only).
    public var pmsCustomerJSON: String { JSONWriter.string(.object(pmsCustomerBody)) }

    var erpCustomerBody: JSONObject {
        [
            "customerNumber": .string(customerNumber),
            "name": .string(name),
            "organizationNumber": .string(erpOrganizationNumber),
            "email": .string(email),
            "phone": .string(phone),
            "website": .string(website),
            "address": .object([
                "street": .string(street),
                "postalCode": .string(postalCode),
                "city": .string(city),
                "countryCode": .string(countryCode),
            ]),
            "isActive": .bool(isActive),
        ]
    }

    var pmsCustomerBody: JSONObject {
        [
            "display_name": .string(name),
            "org_no": .string(organizationNumber),
            "erp_number": .null,
            "contact_email": .string(email),
            "contact_phone": .string(phone),
            "homepage": .string(website),
            "street_address": .string(street),
            "postal_code": .string(postalCode),
            "city": .string(city),
            "country": .string(countryAlpha3),
            "archived": .bool(!isActive),
        ]
    }
}

/// One generated project of a sample company.
public struct SampleProject: Sendable, Equatable {
    public let companyIndex: Int
    /// 0-based position among the company's projects.
    public let projectIndex: Int
    /// ERP `projectNumber`, e.g. `P-2026-0042`.
    public let projectNumber: String
    /// PMS `code`, e.g. `PMS-0042`.
    public let code: String
    public let name: String
    public let description: String
    /// `YYYY-MM-DD`.
    public let startDate: String
    /// `YYYY-MM-DD`, not before `startDate`; `nil` when open-ended.
    public let endDate: String?
    /// ERP status: `PLANNED`, `ACTIVE`, `ON_HOLD` or `COMPLETED`.
    public let status: String
    public let budgetCents: Int64
    /// Mixed case, as typed into the ERP.
    public let managerEmail: String
    public let isActive: Bool

    /// Budget as exact decimal text with two fraction digits (`"125000.50"`).
    public var budget: String { DecimalText.fromMinorUnits(budgetCents, scale: 2) }

    /// PMS state for `status`: `planned`, `in_progress`, `paused` or `done`.
    public var state: String {
        switch status {
        case "ACTIVE": "in_progress"
        case "ON_HOLD": "paused"
        case "COMPLETED": "done"
        default: "planned"
        }
    }

    /// Body for `POST /projects` on the Custom ERP.
    public func erpProjectJSON(customerId: Int64) -> String {
        JSONWriter.string(.object(erpProjectBody(customerId: customerId)))
    }

    /// Body for `POST /projects` on the Custom PMS.
    public func pmsProjectJSON(customerId: String) -> String {
        JSONWriter.string(.object(pmsProjectBody(customerID: .string(customerId))))
    }

    func erpProjectBody(customerId: Int64) -> JSONObject {
        [
            "projectNumber": .string(projectNumber),
            "name": .string(name),
            "description": .string(description),
            "customerId": .integer(customerId),
            "startDate": .string(startDate),
            "endDate": endDate.map(JSONValue.string) ?? .null,
            "status": .string(status),
            "budget": .number(JSONNumber(validatedText: budget)),
            "projectManagerEmail": .string(managerEmail),
            "isActive": .bool(isActive),
        ]
    }

    func pmsProjectBody(customerID: JSONValue) -> JSONObject {
        [
            "code": .string(code),
            "title": .string(name),
            "summary": .string(description),
            "customer_id": customerID,
            "start_on": .string(startDate),
            "due_on": endDate.map(JSONValue.string) ?? .null,
            "state": .string(state),
            "budget_cents": .integer(budgetCents),
            "lead_email": .string(managerEmail),
            "archived": .bool(!isActive),
        ]
    }
}

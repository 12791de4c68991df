import ParleyCore

/// A customer in the scenario's own words, whatever the system calls the fields.
struct Customer: Equatable, Sendable {
    var name: String
    var org: String?
    var email: String?
    var active = true
}

struct Project: Equatable, Sendable {
    var code: String
    var title: String
    /// The customer's id on the same system.
    var customer: String
    var active = true
}

/// One side of the end-to-end scenario: edits made directly in the system (behind Parley's back) and
/// reads of what it stores, translated to and from the system's own field names.
protocol ScenarioSide: Sendable {
    var label: String { get }
    func addCustomer(_ customer: Customer) async throws -> String
    func renameCustomer(_ id: String, to name: String) async throws
    func setEmail(_ id: String, to email: String) async throws
    func customer(_ id: String) async throws -> Customer?
    func deleteCustomer(_ id: String) async throws
    func addProject(_ project: Project) async throws -> String
    func project(_ id: String) async throws -> Project?
    /// Live projects (for checking that nothing extra was created).
    func projectCodes() async throws -> [String]
}

extension JSONValue {
    /// A record id as text (numbers or strings).
    var idText: String? {
        switch self {
        case .string(let text): text
        case .number(let number): DecimalText(number)?.description ?? number
        default: nil
        }
    }
}

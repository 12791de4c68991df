import Foundation
import ParleyCore

/// The ERP as database tables, edited with SQL the way its own application would.
struct SQLERPSide: ScenarioSide {
    let label: String
    let database: any TestSQL
    /// The SQL expression for "now" in the change-marker columns, or nil when customers have none (full scan).
    let customerClock: String?
    let projectClock: String?
    /// Soft delete (`deleted_at`) instead of DELETE.
    let softDeletes: Bool

    func addCustomer(_ customer: Customer) async throws -> String {
        let number = "C-\(customer.org ?? UUID().uuidString.prefix(8).description)"
        try await database.execute(
            "INSERT INTO customers (customer_number, name, org_no, email, is_active) VALUES (?, ?, ?, ?, \(customer.active ? "TRUE" : "FALSE"))",
            [.text(number), .text(customer.name), customer.org.map(TestSQLValue.text) ?? .null, customer.email.map(TestSQLValue.text) ?? .null])
        return try await database.value("SELECT CAST(id AS TEXT) FROM customers WHERE customer_number = ?", [.text(number)]) ?? ""
    }

    func renameCustomer(_ id: String, to name: String) async throws {
        try await database.execute("UPDATE customers SET name = ?\(touch(customerClock)) WHERE id = ?", [.text(name), .int(Int64(id) ?? 0)])
    }

    func setEmail(_ id: String, to email: String) async throws {
        try await database.execute("UPDATE customers SET email = ?\(touch(customerClock)) WHERE id = ?", [.text(email), .int(Int64(id) ?? 0)])
    }

    func customer(_ id: String) async throws -> Customer? {
        let deleted = softDeletes ? " AND deleted_at IS NULL" : ""
        guard let row = try await database.rows(
            "SELECT name, org_no, email, CAST(is_active AS TEXT) FROM customers WHERE id = ?\(deleted)", [.int(Int64(id) ?? 0)]).first
        else { return nil }
        return Customer(name: row[0] ?? "", org: row[1], email: row[2], active: ["true", "1"].contains(row[3] ?? ""))
    }

    func deleteCustomer(_ id: String) async throws {
        if softDeletes {
            try await database.execute("UPDATE customers SET deleted_at = \(customerClock ?? "CURRENT_TIMESTAMP")\(touch(customerClock)) WHERE id = ?", [.int(Int64(id) ?? 0)])
        } else {
            try await database.execute("DELETE FROM customers WHERE id = ?", [.int(Int64(id) ?? 0)])
        }
    }

    func addProject(_ project: Project) async throws -> String {
        try await database.execute(
            "INSERT INTO projects (project_number, name, customer_id, is_active) VALUES (?, ?, ?, \(project.active ? "TRUE" : "FALSE"))",
            [.text(project.code), .text(project.title), .int(Int64(project.customer) ?? 0)])
        return try await database.value("SELECT CAST(id AS TEXT) FROM projects WHERE project_number = ?", [.text(project.code)]) ?? ""
    }

    func project(_ id: String) async throws -> Project? {
        guard let row = try await database.rows(
            "SELECT project_number, name, CAST(customer_id AS TEXT), CAST(is_active AS TEXT) FROM projects WHERE id = ?", [.int(Int64(id) ?? 0)]).first
        else { return nil }
        return Project(code: row[0] ?? "", title: row[1] ?? "", customer: row[2] ?? "", active: ["true", "1"].contains(row[3] ?? ""))
    }

    func projectCodes() async throws -> [String] {
        try await database.rows("SELECT project_number FROM projects ORDER BY project_number", []).compactMap { $0.first ?? nil }
    }

    private func touch(_ clock: String?) -> String {
        clock.map { ", updated_at = \($0)" } ?? ""
    }
}

import GRDB

/// Fills an empty database with `SampleData` companies and their projects, in bulk transactions.
/// Records go through the same validation and normalization as API writes, so they look the same.
struct Seeder: Sendable {
    let database: ReferenceDatabase
    let kind: ReferenceSystemKind

    static let companiesPerTransaction = 5000

    /// Seeds companies `offset ..< offset + count`; returns `false` (and changes nothing) when the
    /// database already holds records.
    func seed(count: Int, offset: Int, seedValue: UInt64, now: Int64) async throws -> Bool {
        guard count > 0 else { return false }
        let system = database.system
        guard let customers = system.datatype(collection: "customers"), let projects = system.datatype(collection: "projects") else {
            throw ReferenceError(.internalError, "\(system.displayName) has no customers/projects collections to seed")
        }
        let isEmpty = try await database.pool.read { db in
            try system.datatypes.allSatisfy { try SequenceCounter.current(db, collection: $0.collection) == 0 }
        }
        guard isEmpty else { return false }
        var start = offset
        let end = offset + count
        while start < end {
            let batch = start..<min(end, start + Self.companiesPerTransaction)
            let kind = self.kind
            try await database.pool.write { db in
                try Self.insert(batch, kind: kind, seedValue: seedValue, now: now, customers: customers, projects: projects, system: system, db: db)
            }
            start = batch.upperBound
        }
        return true
    }

    private static func insert(
        _ batch: Range<Int>, kind: ReferenceSystemKind, seedValue: UInt64, now: Int64,
        customers: DatatypeDefinition, projects: DatatypeDefinition, system: SystemDefinition, db: Database
    ) throws {
        let customerValidator = RecordValidator(system: system, datatype: customers)
        let projectValidator = RecordValidator(system: system, datatype: projects)
        let customerTable = RecordTable(datatype: customers)
        let projectTable = RecordTable(datatype: projects)
        var customerSeq = try SequenceCounter.reserve(db, collection: customers.collection, count: Int64(batch.count))
        var pending: [(SampleProject, JSONValue)] = []
        for index in batch {
            let company = SampleData.company(index: index, seedValue: seedValue)
            let body = kind == .erp ? company.erpCustomerBody : company.pmsCustomerBody
            let values = try customerValidator.validateCreate(body)
            let id: RecordID? = kind == .erp ? nil : .uuid(SampleData.uuid(seedValue: seedValue, stream: 1, UInt64(index)))
            let customerID = try customerTable.insert(db, id: id, seq: customerSeq, markerMilliseconds: now, values: values)
            customerSeq += 1
            for project in SampleData.projects(companyIndex: index, seedValue: seedValue, system: kind) {
                pending.append((project, customerID.json))
            }
        }
        var projectSeq = try SequenceCounter.reserve(db, collection: projects.collection, count: Int64(pending.count))
        for (project, customerID) in pending {
            let body = kind == .erp
                ? project.erpProjectBody(customerId: customerID.int64Value ?? 0)
                : project.pmsProjectBody(customerID: customerID)
            let values = try projectValidator.validateCreate(body)
            let id: RecordID? = kind == .erp
                ? nil
                : .uuid(SampleData.uuid(seedValue: seedValue, stream: 2, UInt64(project.companyIndex), UInt64(project.projectIndex)))
            _ = try projectTable.insert(db, id: id, seq: projectSeq, markerMilliseconds: now, values: values)
            projectSeq += 1
        }
    }
}

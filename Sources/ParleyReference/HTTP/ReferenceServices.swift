import Logging

/// Everything a request handler of one reference system needs.
struct ReferenceServices: Sendable {
    let system: SystemDefinition
    let records: RecordStore
    let webhooks: WebhookStore
    let dispatcher: WebhookDispatcher
    let faults: FaultInjector
    let token: String?
    let logger: Logger

    func datatype(collection: String) throws -> DatatypeDefinition {
        guard let datatype = system.datatype(collection: collection) else {
            throw ReferenceError(
                .notFound,
                "unknown collection '\(collection)'; \(system.displayName) has \(system.collections.joined(separator: ", "))"
            )
        }
        return datatype
    }
}

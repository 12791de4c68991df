/// An error the reference API answers with: a kind (which fixes status and code), a message that names
/// collection, id and property and says what was expected, and the property at fault when there is one.
struct ReferenceError: Error, Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case badRequest
        case unauthorized
        case notFound
        case methodNotAllowed(allowed: [String])
        case conflict
        case deleted
        case preconditionFailed
        case validationFailed
        case rateLimited(retryAfterSeconds: Int)
        case injectedFailure
        case responseLost
        case internalError
    }

    let kind: Kind
    let message: String
    var property: String?

    init(_ kind: Kind, _ message: String, property: String? = nil) {
        self.kind = kind
        self.message = message
        self.property = property
    }

    static func validation(_ subject: RecordSubject, _ property: String, _ expectation: String) -> ReferenceError {
        ReferenceError(.validationFailed, "\(subject): property '\(property)' \(expectation)", property: property)
    }
}

/// What a message is about: `customers/42`, or `customers (new record)` before an id exists.
struct RecordSubject: Sendable, CustomStringConvertible {
    let collection: String
    let id: RecordID?

    var description: String {
        if let id { "\(collection)/\(id.text)" } else { "\(collection) (new record)" }
    }
}

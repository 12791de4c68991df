import Hummingbird

extension HTTPFields.Element.Name {
    static let idempotencyKey = known("Idempotency-Key")
    static let idempotentReplayed = known("Idempotent-Replayed")
    static let parleySignature = known("X-Parley-Signature")
    static let parleyDelivery = known("X-Parley-Delivery")

    /// Header names written in this file are valid tokens; a typo here is a programming error.
    private static func known(_ name: String) -> HTTPFields.Element.Name {
        guard let field = HTTPFields.Element.Name(name) else { preconditionFailure("invalid HTTP header name literal: \(name)") }
        return field
    }
}

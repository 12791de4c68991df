/// A registered webhook: where to deliver, the HMAC secret, and which collections (`nil` = all).
struct WebhookSubscription: Sendable, Equatable {
    let id: String
    let url: String
    let secret: String
    let collections: [String]?

    func wants(_ collection: String) -> Bool {
        collections?.contains(collection) ?? true
    }

    /// The public view: never includes the secret.
    func publicJSON(allCollections: [String]) -> JSONValue {
        .object([
            "id": .string(id),
            "url": .string(url),
            "collections": .array((collections ?? allCollections).map(JSONValue.string)),
        ])
    }
}

import Foundation
import Hummingbird

/// `GET|POST /webhooks` and `GET|DELETE /webhooks/{id}`.
struct WebhookEndpoints: Sendable {
    let services: ReferenceServices

    func handleCollection(_ request: Request) async throws -> Response {
        if request.method == .post { return try await create(request) }
        let all = try await services.webhooks.all()
        return Responses.json(.object([
            "items": .array(all.map { $0.publicJSON(allCollections: services.system.collections) }),
        ]))
    }

    func handleItem(_ request: Request, id: String) async throws -> Response {
        if request.method == .delete {
            guard try await services.webhooks.delete(id: id) else {
                throw ReferenceError(.notFound, "webhooks/\(id) does not exist")
            }
            await services.dispatcher.replaceSubscriptions(try await services.webhooks.all())
            return Responses.noContent()
        }
        guard let subscription = try await services.webhooks.all().first(where: { $0.id == id }) else {
            throw ReferenceError(.notFound, "webhooks/\(id) does not exist")
        }
        return Responses.json(subscription.publicJSON(allCollections: services.system.collections))
    }

    private func create(_ request: Request) async throws -> Response {
        let body = try await RequestBodyReader.object(request, subject: "webhooks (new subscription)")
        let subscription = try validate(body)
        try await services.webhooks.insert(subscription, now: await services.faults.now())
        await services.dispatcher.replaceSubscriptions(try await services.webhooks.all())
        return Responses.json(
            subscription.publicJSON(allCollections: services.system.collections),
            status: .created,
            headers: [.location: "/webhooks/\(subscription.id)"]
        )
    }

    private func validate(_ body: JSONObject) throws -> WebhookSubscription {
        func invalid(_ property: String, _ expectation: String) -> ReferenceError {
            ReferenceError(.validationFailed, "webhooks (new subscription): property '\(property)' \(expectation)", property: property)
        }
        for key in body.keys where !["url", "secret", "collections"].contains(key) {
            throw invalid(key, "is not a property of a webhook; known properties: url, secret, collections")
        }
        guard let url = body["url"]?.stringValue, let parsed = URL(string: url),
              let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = parsed.host, !host.isEmpty
        else {
            throw invalid("url", "must be an absolute http(s) URL such as http://127.0.0.1:9000/hooks; got \(body["url"]?.jsonText ?? "nothing")")
        }
        guard let secret = body["secret"]?.stringValue, !secret.isEmpty else {
            throw invalid("secret", "is required: a non-empty string used to sign deliveries with HMAC-SHA256")
        }
        var collections: [String]?
        switch body["collections"] {
        case .none, .some(.null):
            collections = nil
        case .some(.array(let items)):
            var names: [String] = []
            for item in items {
                guard let name = item.stringValue, services.system.datatype(collection: name) != nil else {
                    throw invalid("collections", "must list collections of \(services.system.displayName) (\(services.system.collections.joined(separator: ", "))); got \(item.jsonText)")
                }
                if !names.contains(name) { names.append(name) }
            }
            collections = names
        case .some(let other):
            throw invalid("collections", "must be an array of collection names or null for all; got \(other.jsonText)")
        }
        return WebhookSubscription(id: UUID().uuidString.lowercased(), url: url, secret: secret, collections: collections)
    }
}

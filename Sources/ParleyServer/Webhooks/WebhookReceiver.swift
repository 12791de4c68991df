import Hummingbird
import Logging
import ParleyCore
import ParleyEngine

/// `POST /webhooks/{system}`: checks the signature with that system's secret before reading anything from
/// the body, queues the record for a targeted sync in the polling loop, and answers 202 at once.
struct WebhookReceiver: Sendable {
    static let maxBodyBytes = 1 << 20

    let context: ServerContext
    let metrics: ParleyMetrics
    let logger: Logger

    func receive(_ request: Request, system name: String) async -> Response {
        guard let system = context.system(named: name), let secret = system.webhookSecret else {
            metrics.recordWebhook(system: nil, accepted: false)
            logger.warning("webhook rejected: unknown system or no webhook secret configured", metadata: ["system": "\(name.prefix(40))"])
            return reject("no webhooks are configured for system '\(name.prefix(40))'")
        }
        var request = request
        let body: [UInt8]
        do {
            let buffer = try await request.collectBody(upTo: Self.maxBodyBytes)
            body = buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
        } catch {
            metrics.recordWebhook(system: system.name, accepted: false)
            return Responses.error(.contentTooLarge, code: "too-large", message: "webhook deliveries are limited to \(Self.maxBodyBytes) bytes")
        }
        let signature = request.headers.value(named: WebhookSignature.headerName)
        guard WebhookSignature.isValid(header: signature, body: body, secret: secret) else {
            metrics.recordWebhook(system: system.name, accepted: false)
            logger.warning(
                "webhook rejected: \(signature == nil ? "unsigned" : "bad signature")", metadata: ["system": "\(system.name)"])
            return reject("the delivery is \(signature == nil ? "not signed" : "not signed with the configured secret"): nothing was processed")
        }
        guard let delivery = try? JSONValue.parse(body), let collection = delivery["collection"]?.stringValue, !collection.isEmpty,
            let id = Self.idText(delivery["id"]), let event = delivery["event"]?.stringValue, ["created", "updated", "deleted"].contains(event)
        else {
            metrics.recordWebhook(system: system.name, accepted: false)
            return Responses.error(
                .badRequest, code: "invalid-delivery",
                message: "a delivery needs 'collection', 'id' and 'event' (created, updated or deleted); see Contracts/custom-system.yaml")
        }
        // Every delivery, deletes included, only names the record: the targeted sync re-reads it from the
        // system (a record that cannot be read any more is treated as deleted), so a replayed or late
        // delivery can never undo a newer change or archive a record that exists.
        await context.trigger.enqueue(ChangedRecord(system: system.name, datatype: collection, id: id, deleted: false))
        metrics.recordWebhook(system: system.name, accepted: true)
        logger.debug(
            "webhook accepted",
            metadata: ["system": "\(system.name)", "collection": "\(collection)", "id": "\(id)", "event": "\(event)",
                "delivery": "\(delivery["deliveryId"]?.stringValue ?? "-")"])
        return Responses.json(["accepted": true], status: .accepted)
    }

    private func reject(_ message: String) -> Response {
        Responses.error(.unauthorized, code: "unauthorized", message: message)
    }

    static func idText(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let s) where !s.isEmpty: s
        case .number(let n): DecimalText(n)?.description ?? n
        default: nil
        }
    }
}

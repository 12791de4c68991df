import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Delivers change events to webhook subscribers after commit, in the background, with retries.
actor WebhookDispatcher {
    private var subscriptions: [WebhookSubscription] = []
    private var deliveries: [UUID: Task<Void, Never>] = [:]
    private var stopped = false
    private let faults: FaultInjector
    private let retry: WebhookRetryPolicy
    private let logger: Logger

    init(faults: FaultInjector, retry: WebhookRetryPolicy, logger: Logger) {
        self.faults = faults
        self.retry = retry
        self.logger = logger
    }

    func replaceSubscriptions(_ subscriptions: [WebhookSubscription]) {
        self.subscriptions = subscriptions
    }

    /// Starts one delivery per interested subscription and returns at once.
    func publish(_ event: ChangeEvent) async {
        guard !stopped else { return }
        for subscription in subscriptions where subscription.wants(event.collection) {
            let deliveryID = UUID().uuidString.lowercased()
            if await faults.shouldDropWebhook() {
                logger.debug("Dropped webhook delivery (fault injection)", metadata: [
                    "delivery": "\(deliveryID)", "webhook": "\(subscription.id)", "collection": "\(event.collection)",
                ])
                continue
            }
            let delivery = Delivery(
                id: deliveryID,
                url: subscription.url,
                webhookID: subscription.id,
                body: JSONWriter.bytes(event.payload(deliveryID: deliveryID)),
                secret: subscription.secret
            )
            let key = UUID()
            let retry = self.retry
            let logger = self.logger
            deliveries[key] = Task {
                await delivery.run(retry: retry, logger: logger)
                self.finished(key)
            }
        }
    }

    /// Stops accepting events and cancels deliveries still in flight.
    func shutdown() async {
        stopped = true
        let pending = Array(deliveries.values)
        deliveries.removeAll()
        for task in pending { task.cancel() }
        for task in pending { await task.value }
    }

    private func finished(_ key: UUID) {
        deliveries.removeValue(forKey: key)
    }
}

/// One signed delivery and its retry loop.
private struct Delivery: Sendable {
    let id: String
    let url: String
    let webhookID: String
    let body: [UInt8]
    let secret: String

    func run(retry: WebhookRetryPolicy, logger: Logger) async {
        var delay = retry.initialDelay
        var lastProblem = ""
        for attempt in 1...retry.maximumAttempts {
            if Task.isCancelled { return }
            do {
                let status = try await send(timeout: retry.timeout)
                if (200..<300).contains(status) { return }
                lastProblem = "HTTP \(status)"
            } catch {
                lastProblem = "\(error)"
            }
            guard attempt < retry.maximumAttempts else { break }
            do {
                try await Task.sleep(for: delay)
            } catch {
                return
            }
            delay *= 2
        }
        logger.warning("Gave up on webhook delivery", metadata: [
            "delivery": "\(id)", "webhook": "\(webhookID)", "url": "\(url)",
            "attempts": "\(retry.maximumAttempts)", "lastProblem": "\(lastProblem)",
        ])
    }

    private func send(timeout: Duration) async throws -> UInt {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-Parley-Signature", value: WebhookSignature.header(secret: secret, body: body))
        request.headers.add(name: "X-Parley-Delivery", value: id)
        request.body = .bytes(ByteBuffer(bytes: body))
        let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(milliseconds))
        _ = try await response.body.collect(upTo: 1 << 20)
        return response.status.code
    }
}

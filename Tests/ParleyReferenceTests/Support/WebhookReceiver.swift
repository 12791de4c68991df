import Crypto
import Foundation
import Hummingbird
import Logging
@testable import ParleyReference

/// A tiny Hummingbird app on a free port that records webhook deliveries; it can answer the first
/// `failFirst` requests with 500 to exercise retries.
actor WebhookReceiver {
    struct Delivery: Sendable {
        let body: [UInt8]
        let signature: String?
        let deliveryHeader: String?
        let contentType: String?
        var json: JSONValue { (try? JSONParser.parse(body)) ?? .null }
    }

    private(set) var deliveries: [Delivery] = []
    private(set) var attempts = 0
    private var failFirst: Int
    private var task: Task<Void, any Error>?
    private(set) var url = ""

    /// Cancelling the receiver's task logs shutdown noise at error level; keep it out of the test output.
    private static var quietLogger: Logger {
        var logger = Logger(label: "parley.reference.tests.receiver")
        logger.logLevel = .critical
        return logger
    }

    init(failFirst: Int = 0) {
        self.failFirst = failFirst
    }

    func start() async throws {
        let router = Router()
        router.post("hooks") { request, _ -> Response in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            let accepted = await self.record(Delivery(
                body: Array(buffer.readableBytesView),
                signature: request.headers.first { $0.name.canonicalName == "x-parley-signature" }?.value,
                deliveryHeader: request.headers.first { $0.name.canonicalName == "x-parley-delivery" }?.value,
                contentType: request.headers[.contentType]
            ))
            return Response(status: accepted ? .ok : .internalServerError)
        }
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { sink.yield($0.localAddress?.port ?? 0) },
            logger: Self.quietLogger
        )
        task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var port = 0
        for await value in ports {
            port = value
            break
        }
        url = "http://127.0.0.1:\(port)/hooks"
    }

    func stop() async {
        task?.cancel()
        _ = try? await task?.value
    }

    /// Returns whether the delivery is accepted (2xx) or failed on purpose.
    private func record(_ delivery: Delivery) -> Bool {
        attempts += 1
        if failFirst > 0 {
            failFirst -= 1
            return false
        }
        deliveries.append(delivery)
        return true
    }

    static func expectedSignature(secret: String, body: [UInt8]) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
    }
}

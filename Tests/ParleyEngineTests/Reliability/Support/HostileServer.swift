import Foundation
import Hummingbird
import HummingbirdTLS
import Logging

/// The hostile system on a free loopback port (a small Hummingbird app), until `stop()`.
final class HostileServer: Sendable {
    let state: HostileState
    let baseURL: String
    let port: Int
    private let task: Task<Void, any Error>

    private init(state: HostileState, port: Int, baseURL: String, task: Task<Void, any Error>) {
        self.state = state
        self.port = port
        self.baseURL = baseURL
        self.task = task
    }

    /// With `tls`, the system serves HTTPS as `https://localhost:<port>`.
    static func start(state: HostileState = HostileState(), tls: TLSConfiguration? = nil) async throws -> HostileServer {
        var logger = Logger(label: "parley.test.hostile")
        logger.logLevel = .critical
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            responder: HostileResponder(state: state),
            server: try tls.map { try .tls(.http1(), tlsConfiguration: $0) } ?? .http1(),
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "Hostile PMS"),
            onServerRunning: { sink.yield($0.localAddress?.port ?? 0) },
            logger: logger)
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var port = 0
        for await value in ports {
            port = value
            break
        }
        let baseURL = tls == nil ? "http://127.0.0.1:\(port)" : "https://localhost:\(port)"
        return HostileServer(state: state, port: port, baseURL: baseURL, task: task)
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

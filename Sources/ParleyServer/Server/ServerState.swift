import ParleyCore
import ParleyEngine

/// What the server learned while running: the bound port, webhook registrations, the latest passes.
actor ServerState {
    enum Registration: Sendable, Equatable {
        case disabled
        case pending
        case registered(url: String)
        case failed(String)

        var label: String {
            switch self {
            case .disabled: "disabled"
            case .pending: "pending"
            case .registered: "registered"
            case .failed: "failed"
            }
        }
    }

    struct PassSummary: Sendable {
        var kind: CompletedPass.Kind
        var finishedAtMillis: Int64
        var durationMillis: Int64
        var writes: Int
        var errors: [String]
    }

    private var port: Int?
    private var portWaiters: [CheckedContinuation<Int, any Error>] = []
    private var stopped = false
    private(set) var registrations: [String: Registration] = [:]
    private(set) var lastPasses: [CompletedPass.Kind: PassSummary] = [:]

    func listening(on port: Int) {
        self.port = port
        for waiter in portWaiters { waiter.resume(returning: port) }
        portWaiters = []
    }

    func stoppedServing() {
        stopped = true
        for waiter in portWaiters { waiter.resume(throwing: ServerError.stoppedBeforeListening) }
        portWaiters = []
    }

    /// The port the server listens on, once it does.
    func boundPort() async throws -> Int {
        if let port { return port }
        if stopped { throw ServerError.stoppedBeforeListening }
        return try await withCheckedThrowingContinuation { portWaiters.append($0) }
    }

    func setRegistration(_ registration: Registration, for system: String) {
        registrations[system] = registration
    }

    func record(_ pass: CompletedPass, atMillis: Int64) {
        lastPasses[pass.kind] = PassSummary(
            kind: pass.kind, finishedAtMillis: atMillis, durationMillis: pass.duration.wholeMilliseconds, writes: pass.report.writes, errors: pass.report.errors)
    }
}

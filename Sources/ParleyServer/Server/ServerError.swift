/// Why the server cannot start, with what to change.
public enum ServerError: Error, Sendable, CustomStringConvertible {
    case unauthenticatedNonLoopback(host: String)
    case invalidPublicURL(String)
    case cannotListen(host: String, port: Int, reason: String)
    case stoppedBeforeListening

    public var description: String {
        switch self {
        case .unauthenticatedNonLoopback(let host):
            "refusing to serve the management API on '\(host)' without a token: set PARLEY_API_TOKEN (or server.apiToken / "
                + "server.apiTokenFile in the configuration), or listen on 127.0.0.1"
        case .invalidPublicURL(let url):
            "server.publicURL '\(url)' is not an absolute http:// or https:// URL (e.g. https://parley.example.com)"
        case .cannotListen(let host, let port, let reason):
            "cannot listen on \(host):\(port): \(reason); is another process using the port? Choose another with --port"
        case .stoppedBeforeListening: "the HTTP server stopped before it was listening"
        }
    }
}

enum Loopback {
    /// Whether `host` only accepts connections from this machine.
    static func contains(_ host: String) -> Bool {
        let host = host.lowercased()
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let parts = host.split(separator: ".")
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}

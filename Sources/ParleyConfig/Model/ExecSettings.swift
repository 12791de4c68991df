/// Settings of a `connector: exec` system: a program Parley starts and talks to in JSON lines over
/// stdin/stdout (docs/exec-protocol.md).
public struct ExecSettings: Sendable, Hashable {
    /// The program: a path (relative to the configuration's folder) or a name looked up on `PATH`.
    public var command: String
    public var arguments: [String]
    /// Added to Parley's own environment. Values print as `***`: they often hold credentials.
    public var environment: [String: Secret]
    /// The program's working directory (absolute).
    public var workingDirectory: String
    /// How long one request may take before the program is considered stuck and restarted.
    public var timeoutMillis: Int

    public init(
        command: String, arguments: [String] = [], environment: [String: Secret] = [:], workingDirectory: String, timeoutMillis: Int = 30_000
    ) {
        self.command = command
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.timeoutMillis = timeoutMillis
    }
}

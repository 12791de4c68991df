import Foundation

/// The built `parley` executable, for tests that run it as a separate process (crash tests, CLI tests).
public enum ParleyBinary {
    public static var path: String {
        if let override = ProcessInfo.processInfo.environment["PARLEY_BINARY"] { return override }
        // Tests/ParleyTestSupport/ParleyBinary.swift -> package root
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/parley").path
    }

    /// Starts `parley` with arguments and extra environment; output goes to the given file.
    public static func start(_ arguments: [String], environment: [String: String], output: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// Runs `parley` to completion and returns its exit status and output.
    public static func run(_ arguments: [String], environment: [String: String]) async throws -> (status: Int32, output: String) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("parley-out-\(UUID().uuidString).txt").path
        let process = try start(arguments, environment: environment, output: output)
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: output)
        return (process.terminationStatus, text)
    }
}

extension SyncHarness {
    /// Environment that points the default config at this harness's systems and state.
    public var environment: [String: String] {
        ["PARLEY_ERP_URL": erp.baseURL, "PARLEY_PMS_URL": pms.baseURL, "PARLEY_STATE": statePath]
    }
}

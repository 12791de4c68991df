import Foundation

/// Headless Chromium for the dashboard test: `--dump-dom` (the DOM after the page ran) and `--screenshot`.
/// Each call gets a fresh profile; the page logs in through `/login?token=…&next=…`.
enum Browser {
    static var path: String? {
        if let configured = ProcessInfo.processInfo.environment["PARLEY_CHROMIUM"], !configured.isEmpty { return configured }
        let names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in names {
            for folder in folders where FileManager.default.isExecutableFile(atPath: folder + "/" + name) { return folder + "/" + name }
        }
        return nil
    }

    /// scripts/test sets PARLEY_REQUIRE_BROWSER=1 (after installing Chromium), so CI never skips the browser test.
    static var required: Bool { ProcessInfo.processInfo.environment["PARLEY_REQUIRE_BROWSER"] == "1" }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func dumpDOM(_ url: String) async throws -> String {
        try await run(["--dump-dom", url])
    }

    static func screenshot(_ url: String, to path: String, width: Int = 1300, height: Int = 2000) async throws {
        _ = try await run(["--hide-scrollbars", "--window-size=\(width),\(height)", "--screenshot=\(path)", url])
    }

    private static func run(_ arguments: [String]) async throws -> String {
        guard let path else { throw Failure(description: "Chromium is not installed: run scripts/ensure-chromium.sh (apt-get install chromium)") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-browser-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = folder + "/stdout.html"
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=\(folder)/profile",
        ] + arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(90)
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                throw Failure(description: "Chromium did not finish within 90 s: \(arguments.last ?? "")")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard process.terminationStatus == 0 else { throw Failure(description: "Chromium exited with status \(process.terminationStatus)") }
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }
}

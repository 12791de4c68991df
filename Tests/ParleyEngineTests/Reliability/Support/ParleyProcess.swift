import Foundation
import ParleyTestSupport

/// `parley run` as a separate process, its combined output in a file, its server's base URL once it listens.
struct ParleyProcess {
    let process: Process
    let outputPath: String
    let baseURL: String

    struct NotListening: Error, CustomStringConvertible {
        var output: String
        var description: String { "parley run did not announce its server within the time limit:\n\(output)" }
    }

    /// Starts `parley run --log-format json` with `arguments` on a free loopback port and waits until it logs
    /// where its server listens (JSON logs go to standard error unbuffered; printed text would wait in a buffer).
    static func run(_ arguments: [String], environment: [String: String], output: String) async throws -> ParleyProcess {
        let process = try ParleyBinary.start(
            ["run", "--log-format", "json", "--host", "127.0.0.1", "--port", "0"] + arguments, environment: environment, output: output)
        let marker = "http://127.0.0.1:"
        for _ in 0..<300 {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains("\"dashboard\"") }), let range = line.range(of: marker) {
                let port = line[range.upperBound...].prefix { $0.isNumber }
                return ParleyProcess(process: process, outputPath: output, baseURL: marker + port)
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        process.terminate()
        process.waitUntilExit()
        throw NotListening(output: (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }

    /// SIGTERM, then the process's whole output.
    func stop() async -> String {
        process.terminate()
        for _ in 0..<300 where process.isRunning { try? await Task.sleep(for: .milliseconds(100)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }
}

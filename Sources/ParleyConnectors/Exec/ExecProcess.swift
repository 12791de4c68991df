import Foundation
import Logging
import ParleyConfig
import ParleyCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The program behind an exec connector: started on first use (and again after it exits), spoken to in
/// JSON lines. Requests carry ids, so several may be in flight; each has a deadline, after which the
/// program is considered stuck and restarted. The end of its stderr is kept for error messages.
actor ExecProcess {
    struct Failure: Error {
        var error: ConnectorError
    }

    let system: String
    let settings: ExecSettings
    let logger: Logger
    private var running: Running?
    private var pending: [Int: CheckedContinuation<JSONValue, any Error>] = [:]
    private var timers: [Int: Task<Void, Never>] = [:]
    /// Generations whose stderr reached its end (read completely).
    private var stderrClosed: Set<Int> = []
    private var nextId = 1
    private var generation = 0
    private var stderrTail = ""
    private var recentStarts: [ContinuousClock.Instant] = []
    private let writer = DispatchQueue(label: "parley.exec.writer")

    private struct Running {
        var process: Process
        var input: FileHandle
        var generation: Int
    }

    init(system: String, settings: ExecSettings, logger: Logger) {
        self.system = system
        self.settings = settings
        self.logger = logger
    }

    /// Sends one request and waits for its response object (`{"id", "result"}` or `{"id", "error"}`).
    func request(_ operation: String, _ parameters: [String: JSONValue]) async throws -> JSONValue {
        let running = try ensureRunning()
        let id = nextId
        nextId += 1
        var message = parameters
        message["id"] = .int(id)
        message["op"] = .string(operation)
        let line = Data((JSONValue.object(message).jsonText + "\n").utf8)
        let timeout = settings.timeoutMillis
        return try await withCheckedThrowingContinuation { continuation in
            pending[id] = continuation
            let input = running.input
            let generation = running.generation
            writer.async {
                do {
                    try input.write(contentsOf: line)
                } catch {
                    Task { await self.writeFailed(id: id, generation: generation, error: error) }
                }
            }
            timers[id] = Task {
                try? await Task.sleep(for: .milliseconds(timeout))
                if !Task.isCancelled { self.expire(id: id, operation: operation) }
            }
        }
    }

    func stop() {
        guard let running else { return }
        self.running = nil
        running.process.terminate()
        failAll(ConnectorError.transient(system: system, message: "the connector program was stopped", retryAfterSeconds: nil))
    }

    // MARK: - Process lifecycle

    private func ensureRunning() throws -> Running {
        if let running, running.process.isRunning { return running }
        let now = ContinuousClock.now
        recentStarts = recentStarts.filter { now - $0 < .seconds(10) }
        if recentStarts.count >= 5 {
            throw ConnectorError.transient(
                system: system, message: "the connector program keeps exiting (5 starts in 10 s)\(stderrSummary)", retryAfterSeconds: 5)
        }
        recentStarts.append(now)
        stderrTail = ""
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        if settings.command.contains("/") {
            process.executableURL = URL(fileURLWithPath: settings.command)
            process.arguments = settings.arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [settings.command] + settings.arguments
        }
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in settings.environment { environment[name] = value.reveal() }
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: settings.workingDirectory)
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        generation += 1
        let generation = generation
        let (lines, sink) = AsyncStream.makeStream(of: Data.self)
        let (errors, errorSink) = AsyncStream.makeStream(of: Data.self)
        process.terminationHandler = { process in
            let status = process.terminationStatus
            let signalled = process.terminationReason == .uncaughtSignal
            Task { await self.exited(generation: generation, status: status, signalled: signalled) }
        }
        do {
            try process.run()
        } catch {
            throw ConnectorError.fatal(system: system, message: "cannot start '\(settings.command)': \(error.localizedDescription)")
        }
        Self.drain(stdout.fileHandleForReading, into: sink, name: "parley-exec-\(system)-stdout")
        Self.drain(stderr.fileHandleForReading, into: errorSink, name: "parley-exec-\(system)-stderr")
        Task {
            for await chunk in errors { self.appendStderr(chunk) }
            self.stderrFinished(generation: generation)
        }
        Task {
            var buffer = Data()
            for await chunk in lines {
                buffer.append(chunk)
                while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = buffer[buffer.startIndex..<newline]
                    buffer = Data(buffer[buffer.index(after: newline)...])
                    self.received(line: Data(line), generation: generation)
                }
            }
        }
        let running = Running(process: process, input: stdin.fileHandleForWriting, generation: generation)
        self.running = running
        logger.debug("started connector program", metadata: ["system": "\(system)", "pid": "\(process.processIdentifier)"])
        return running
    }

    /// Reads `handle` to its end with blocking reads on a thread of its own, handing each chunk to `sink`.
    /// Not `FileHandle.readabilityHandler`: on Linux, the dispatch read source behind it can be torn down while
    /// the pipe closes and crash the whole process in libdispatch (`_dispatch_event_loop_drain`, seen when a
    /// program that exits at once is restarted; swift-corelibs-foundation #5507). A blocking read registers
    /// nothing with libdispatch. The thread ends at end of file, when the program and its children closed the pipe.
    nonisolated static func drain(_ handle: FileHandle, into sink: AsyncStream<Data>.Continuation, name: String) {
        let thread = Thread {
            let descriptor = handle.fileDescriptor
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    sink.yield(Data(buffer[0..<count]))
                } else if count < 0, errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            sink.finish()
            // The read end is closed here, once read to its end.
            try? handle.close()
        }
        thread.name = name
        thread.start()
    }

    private func received(line: Data, generation: Int) {
        guard !line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) else { return }
        guard let message = try? JSONValue.parse(Array(line)), let id = message["id"]?.int64Value.map(Int.init) else {
            logger.warning(
                "connector program wrote a line that is not a response",
                metadata: ["system": "\(system)", "line": "\(String(decoding: line.prefix(200), as: UTF8.self))"])
            return
        }
        timers.removeValue(forKey: id)?.cancel()
        pending.removeValue(forKey: id)?.resume(returning: message)
    }

    private func appendStderr(_ data: Data) {
        stderrTail += String(decoding: data, as: UTF8.self)
        if stderrTail.count > 8_000 { stderrTail = String(stderrTail.suffix(4_000)) }
    }

    private func stderrFinished(generation: Int) {
        stderrClosed.insert(generation)
    }

    private func exited(generation: Int, status: Int32, signalled: Bool) async {
        // Let the last words on stderr arrive first: they are the best explanation there is.
        for _ in 0..<50 where !stderrClosed.contains(generation) {
            try? await Task.sleep(for: .milliseconds(10))
        }
        stderrClosed.remove(generation)
        guard running?.generation == generation else { return }
        running = nil
        let how = signalled ? "was killed by signal \(status)" : "exited with status \(status)"
        logger.warning("connector program \(how)", metadata: ["system": "\(system)", "status": "\(status)"])
        failAll(ConnectorError.transient(
            system: system, message: "the connector program \(how)\(stderrSummary); it is restarted on the next request",
            retryAfterSeconds: nil))
    }

    /// A write fails when the program closed its stdin, nearly always because it exited: then its exit
    /// status and stderr (reported by `exited`, which fails this request with the others) say why, where
    /// the write's own error says only "broken pipe". Waits a little for that before reporting the write.
    private func writeFailed(id: Int, generation: Int, error: any Error) async {
        timers.removeValue(forKey: id)?.cancel()
        for _ in 0..<200 where pending[id] != nil && running?.generation == generation {
            try? await Task.sleep(for: .milliseconds(10))
        }
        guard let continuation = pending.removeValue(forKey: id) else { return }
        // Still running without reading requests: of no use; the next request starts it again.
        if let running, running.generation == generation {
            self.running = nil
            running.process.terminate()
        }
        continuation.resume(throwing: ConnectorError.transient(
            system: system,
            message: "cannot write to the connector program: it closed its standard input (\(Self.describe(error)))\(stderrSummary); it is restarted on the next request",
            retryAfterSeconds: nil))
        failAll(ConnectorError.transient(system: system, message: "the connector program was restarted: it closed its standard input", retryAfterSeconds: nil))
    }

    /// The POSIX cause of a write error ("Broken pipe") rather than Foundation's "NSCocoaErrorDomain error 512".
    static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return error.localizedDescription
    }

    private func expire(id: Int, operation: String) {
        timers.removeValue(forKey: id)
        guard let continuation = pending.removeValue(forKey: id) else { return }
        continuation.resume(throwing: ConnectorError.transient(
            system: system, message: "the connector program did not answer '\(operation)' within \(settings.timeoutMillis) ms; restarting it\(stderrSummary)",
            retryAfterSeconds: nil))
        if let running {
            self.running = nil
            running.process.terminate()
            failAll(ConnectorError.transient(system: system, message: "the connector program was restarted after a timeout", retryAfterSeconds: nil))
        }
    }

    private func failAll(_ error: ConnectorError) {
        let waiting = pending
        pending = [:]
        for timer in timers.values { timer.cancel() }
        timers = [:]
        for continuation in waiting.values { continuation.resume(throwing: error) }
    }

    /// The last lines of the program's stderr, at most 2,000 characters (whole lines when they fit).
    private var stderrSummary: String {
        var text = ""
        for line in stderrTail.split(separator: "\n", omittingEmptySubsequences: true).reversed() {
            let joined = text.isEmpty ? String(line) : String(line) + " | " + text
            if joined.count > 2_000 {
                if text.isEmpty { text = "…" + String(line.suffix(1_999)) }
                break
            }
            text = joined
        }
        return text.isEmpty ? "" : " (stderr: \(text))"
    }
}

import Foundation
import ParleyConfig
import ParleyConnectors
import ParleyCore
import Testing

@Suite("Exec connector protocol")
struct ExecProtocolTests {
    @Test("the example connector: describe, create (idempotent), get, update with versions, errors as objects, delete, changes, find")
    func example() async throws {
        let folder = try EngineHarness.makeFolder()
        let connector = ExecConnector(system: "files", settings: ExecPMSSide.settings(data: folder + "/records.json", folder: folder))
        do {
            let schema = try await connector.schema()
            #expect(schema.name == "JSON-file PMS")
            #expect(schema.datatypes.map(\.name) == ["customer", "project"])
            #expect(schema.datatype("project")?.property("state")?.values == ["planned", "in_progress", "paused", "done"])

            let created = try await connector.create(datatype: "customer", fields: ["display_name": "Aker AS"], idempotencyKey: "customers:left:1")
            #expect(created.fields["display_name"] == "Aker AS")
            #expect(created.fields["archived"] == .bool(false))
            let repeated = try await connector.create(datatype: "customer", fields: ["display_name": "Aker AS"], idempotencyKey: "customers:left:1")
            #expect(repeated.id == created.id)

            let fetched = try #require(try await connector.fetch(datatype: "customer", id: created.id))
            #expect(fetched.version == "1")
            let updated = try await connector.update(datatype: "customer", id: created.id, fields: ["org_no": "911111111"], ifMatch: fetched.version)
            #expect(updated.fields["org_no"] == "911111111")
            #expect(updated.fields["display_name"] == "Aker AS")
            do {
                _ = try await connector.update(datatype: "customer", id: created.id, fields: ["org_no": "1"], ifMatch: "1")
                Issue.record("expected a version mismatch")
            } catch ConnectorError.versionMismatch(let system, let id) {
                #expect(system == "files")
                #expect(id == created.id)
            }
            do {
                _ = try await connector.create(datatype: "project", fields: ["code": "P-1", "title": "Harbour"], idempotencyKey: "p")
                Issue.record("expected a rejection")
            } catch ConnectorError.rejected(let system, _, let message, let property) {
                #expect(system == "files")
                #expect(message == "create project: customer_id is required")
                #expect(property == "customer_id")
            }
            do {
                _ = try await connector.update(datatype: "customer", id: "missing", fields: ["org_no": "1"], ifMatch: nil)
                Issue.record("expected not found")
            } catch ConnectorError.notFound(let system, let datatype, let id) {
                #expect([system, datatype, id] == ["files", "customer", "missing"])
            }

            let found = try await connector.find(datatype: "customer", matching: ["org_no": .number("911111111")])
            #expect(found?.map(\.id) == [created.id])

            try await connector.delete(datatype: "customer", id: created.id)
            try await connector.delete(datatype: "customer", id: created.id)
            #expect(try await connector.fetch(datatype: "customer", id: created.id) == nil)
            let feed = try await connector.changes(datatype: "customer", since: nil, limit: 10)
            #expect(feed.next == "3")
            #expect(feed.hasMore == false)
            guard case .record(let tombstone) = try #require(feed.items.first) else { throw HarnessFailureError("expected a record") }
            #expect(tombstone.deleted)
            #expect(tombstone.changedAtMillis != nil)
            #expect(try await connector.changes(datatype: "customer", since: feed.next, limit: 10).items.isEmpty)
        } catch {
            await connector.shutdown()
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
        await connector.shutdown()
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A connector program that misbehaves on request: `get` of `crash` exits, of `hang` never answers.
    static let flaky = #"""
        import json, sys, time
        with open("starts", "a") as f: f.write("x")
        for line in sys.stdin:
            request = json.loads(line)
            if request.get("recordId") == "crash":
                print("fatal: simulated crash (database file locked)", file=sys.stderr, flush=True)
                sys.exit(3)
            if request.get("recordId") == "hang":
                time.sleep(60)
            print("this line is not a response", flush=True)
            print(json.dumps({"id": request["id"], "result": {"record": None}}), flush=True)
        """#

    @Test("a program that dies is restarted on the next request; its stderr explains the failure; a stuck one is restarted after the timeout")
    func restarts() async throws {
        let folder = try EngineHarness.makeFolder()
        try Self.flaky.write(toFile: folder + "/flaky.py", atomically: true, encoding: .utf8)
        let connector = ExecConnector(
            system: "flaky", settings: ExecSettings(command: "python3", arguments: ["flaky.py"], workingDirectory: folder, timeoutMillis: 4_000))
        do {
            #expect(try await connector.fetch(datatype: "customer", id: "1") == nil)
            do {
                _ = try await connector.fetch(datatype: "customer", id: "crash")
                Issue.record("expected a failure")
            } catch ConnectorError.transient(let system, let message, _) {
                #expect(system == "flaky")
                #expect(message.hasPrefix("the connector program exited with status 3"))
                #expect(message.contains("fatal: simulated crash (database file locked)"))
            }
            #expect(try await connector.fetch(datatype: "customer", id: "2") == nil)
            do {
                _ = try await connector.fetch(datatype: "customer", id: "hang")
                Issue.record("expected a timeout")
            } catch ConnectorError.transient(_, let message, _) {
                #expect(message.hasPrefix("the connector program did not answer 'get' within 4000 ms; restarting it"))
            }
            #expect(try await connector.fetch(datatype: "customer", id: "3") == nil)
            #expect(try String(contentsOfFile: folder + "/starts", encoding: .utf8) == "xxx")
        } catch {
            await connector.shutdown()
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
        await connector.shutdown()
        try? FileManager.default.removeItem(atPath: folder)
    }
}

extension ExecProtocolTests {
    /// 100 lines of start-up chatter on stderr (over 2,000 characters), then the reason, then exit status 3.
    static let chatter = #"for i in range(100): print(f"noise line {i} of the start-up chatter", file=sys.stderr)"#
    static let reason = #"print("fatal: cannot open records.json: permission denied", file=sys.stderr, flush=True)"#

    /// Exits at once, before reading anything.
    static let quitter = """
        import sys
        \(chatter)
        \(reason)
        sys.exit(3)
        """

    /// Answers one request, closing its stdin first, then exits: the next request's write fails (broken pipe)
    /// while the program is still on its way out. It stays 0.8 s: the next request must reach it before it is
    /// gone (else a fresh program answers it — which once happened with 0.3 s on two loaded cores), and its exit
    /// must come within the 2 s the connector waits after a failed write.
    static let closer = """
        import json, os, sys, time
        request = json.loads(sys.stdin.readline())
        os.close(0)
        print(json.dumps({"id": request["id"], "result": {"record": None}}), flush=True)
        \(chatter)
        \(reason)
        time.sleep(0.8)
        sys.exit(3)
        """

    /// Like `closer`, but stays running: it cannot be given requests, so it is stopped and restarted.
    static let holder = closer.replacingOccurrences(of: "time.sleep(0.8)", with: "time.sleep(30)")

    @Test(
        "a program that exits (at once, or after closing its stdin): the error names the system, the exit status and the end of its stderr (at most 2,000 characters), not the failed write; one that closes its stdin and stays is said to",
        arguments: [("quitter", 0), ("closer", 1), ("holder", 1)])
    func exits(program: String, answered: Int) async throws {
        let folder = try EngineHarness.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try ["quitter": Self.quitter, "closer": Self.closer, "holder": Self.holder][program, default: ""].write(toFile: folder + "/\(program).py", atomically: true, encoding: .utf8)
        let connector = ExecConnector(
            system: program, settings: ExecSettings(command: "python3", arguments: ["\(program).py"], workingDirectory: folder, timeoutMillis: 4_000))
        var failure: (any Error)?
        do {
            for id in 0..<answered { #expect(try await connector.fetch(datatype: "customer", id: "\(id)") == nil) }
            _ = try await connector.fetch(datatype: "customer", id: "last")
        } catch {
            failure = error
        }
        await connector.shutdown()
        let error = try #require(failure as? ConnectorError, "expected a ConnectorError, got \(String(describing: failure))")
        guard case .transient(let system, let message, _) = error else {
            Issue.record("expected a transient error, got \(error)")
            return
        }
        #expect(system == program)
        #expect("\(error)".hasPrefix("\(program): "), "\(error)")
        let cause =
            program == "holder"
            ? "cannot write to the connector program: it closed its standard input (Broken pipe)" : "the connector program exited with status 3"
        #expect(message.hasPrefix(cause + " (stderr: "), "\(message)")
        #expect(message.hasSuffix(" | fatal: cannot open records.json: permission denied); it is restarted on the next request"), "\(message)")
        // The stderr part: whole lines, the latest ones, at most 2,000 characters.
        let stderr = try #require(message.split(separator: "(stderr: ", maxSplits: 1).last?.split(separator: "); it is restarted").first)
        #expect(stderr.count <= 2_000 && stderr.count > 1_900, "\(stderr.count) characters")
        #expect(stderr.hasPrefix("noise line "), "\(stderr.prefix(40))")
        #expect(!stderr.contains("noise line 0 "), "the oldest lines are dropped")
        #expect(stderr.contains("noise line 99 of the start-up chatter | fatal:"))
    }
}

import Foundation
import HummingbirdTLS
import ParleyConfig
import ParleyConnectors
import ParleyCore
import Testing

extension Reliability {
    @Suite("TLS certificate verification")
    struct TLSVerificationTests {
        /// A throwaway self-signed certificate for `localhost` (made with the openssl command-line tool).
        static func selfSigned(in folder: String) throws -> TLSConfiguration {
            let openssl = Process()
            openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            openssl.arguments = [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost", "-keyout", folder + "/key.pem", "-out", folder + "/cert.pem",
            ]
            openssl.standardOutput = FileHandle.nullDevice
            openssl.standardError = FileHandle.nullDevice
            try openssl.run()
            openssl.waitUntilExit()
            let certificates = try NIOSSLCertificate.fromPEMFile(folder + "/cert.pem")
            let key = try NIOSSLPrivateKey(file: folder + "/key.pem", format: .pem)
            return TLSConfiguration.makeServerConfiguration(certificateChain: certificates.map { .certificate($0) }, privateKey: .privateKey(key))
        }

        @Test("a system with a certificate nobody vouches for is refused, unless that system says insecureSkipTLSVerify")
        func untrustedCertificateRefused() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-tls-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let server = try await HostileServer.start(tls: try Self.selfSigned(in: folder))
            let verifying = ContractConnector(system: "pms", baseURL: server.baseURL, token: "secret-token", timeoutMillis: 2_000)
            let trusting = ContractConnector(
                system: "pms", baseURL: server.baseURL, token: "secret-token", timeoutMillis: 2_000, insecureSkipTLSVerify: true)
            do {
                await #expect(throws: ConnectorError.self) { _ = try await verifying.schema() }
                do {
                    _ = try await verifying.schema()
                } catch {
                    #expect("\(error)".contains("pms"), "\(error)")
                    #expect(!"\(error)".contains("secret-token"), "\(error)")
                }
                // The refused handshake never got as far as a request: the token was not sent.
                #expect(await server.state.requests.isEmpty)
                let schema = try await trusting.schema()
                #expect(schema.datatype("customer") != nil)
                #expect(await server.state.requests.count == 1)
            } catch {
                await verifying.shutdown()
                await trusting.shutdown()
                await server.stop()
                throw error
            }
            await verifying.shutdown()
            await trusting.shutdown()
            await server.stop()
        }

        @Test("verification is on by default and switched off only for the system that says so")
        func verificationIsPerSystem() throws {
            let yaml = DefaultConfig.yaml.replacingOccurrences(
                of: "    title: Custom PMS\n", with: "    title: Custom PMS\n    insecureSkipTLSVerify: true\n")
            for (text, expected) in [(DefaultConfig.yaml, ["erp": false, "pms": false]), (yaml, ["erp": false, "pms": true])] {
                let config = try ConfigLoader.load(yaml: text, configPath: "/tmp/parley.yaml", environment: [:])
                var skips: [String: Bool] = [:]
                for system in config.systems {
                    if case .contract(let settings) = system.connector { skips[system.name] = settings.insecureSkipTLSVerify }
                }
                #expect(skips == expected)
            }
        }
    }
}

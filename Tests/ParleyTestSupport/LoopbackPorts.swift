#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loopback TCP ports in states a test needs: one nothing listens on, one that never answers.
public enum LoopbackPorts {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// A port that was free a moment ago and that nothing listens on (bound, then closed again).
    public static func closed() throws -> Int {
        let socket = try bound()
        defer { close(socket) }
        return try port(of: socket)
    }

    /// A socket that listens (so connections are accepted by the kernel) but never reads or answers.
    public final class Silent: @unchecked Sendable {
        private let socket: Int32
        public let port: Int

        public init() throws {
            socket = try LoopbackPorts.bound()
            guard listen(socket, 16) == 0 else {
                close(socket)
                throw Failure(description: "listen failed (errno \(errno))")
            }
            port = try LoopbackPorts.port(of: socket)
        }

        deinit { close(socket) }
    }

    static func bound() throws -> Int32 {
        #if canImport(Glibc)
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let socket = Darwin.socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard socket >= 0 else { throw Failure(description: "socket failed (errno \(errno))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(socket)
            throw Failure(description: "bind failed (errno \(errno))")
        }
        return socket
    }

    static func port(of socket: Int32) throws -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        guard result == 0 else { throw Failure(description: "getsockname failed (errno \(errno))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

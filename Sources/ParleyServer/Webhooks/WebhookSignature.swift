import Crypto
import Foundation

/// `X-Parley-Signature: sha256=<lower-case hex HMAC-SHA256(secret, raw body)>` (Contracts/custom-system.yaml).
enum WebhookSignature {
    static let headerName = "X-Parley-Signature"

    /// Whether `header` is a valid signature of `body` under `secret`, compared in constant time
    /// (`ConstantTime.equal`; `observe` is for tests, see there).
    static func isValid(
        header: String?, body: [UInt8], secret: String, observe: (_ index: Int, _ difference: UInt8) -> Void = { _, _ in }
    ) -> Bool {
        guard let header, header.hasPrefix("sha256="), let mac = hexBytes(header.dropFirst("sha256=".count)), mac.count == 32 else {
            return false
        }
        let expected = Array(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8))))
        return ConstantTime.equal(expected, mac, observe: observe)
    }

    /// The header value for a body (used by tests and tools that sign deliveries).
    static func header(body: [UInt8], secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
    }

    static func hexBytes(_ text: Substring) -> [UInt8]? {
        guard text.utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count / 2)
        var iterator = text.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let h = nibble(high), let l = nibble(low) else { return nil }
            bytes.append(h << 4 | l)
        }
        return bytes
    }

    static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

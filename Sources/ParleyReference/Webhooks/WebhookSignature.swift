import Crypto

/// `X-Parley-Signature: sha256=<lowercase hex HMAC-SHA256(secret, raw body)>`.
enum WebhookSignature {
    static func header(secret: String, body: [UInt8]) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256=" + code.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

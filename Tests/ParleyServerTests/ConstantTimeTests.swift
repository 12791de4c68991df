import Foundation
@testable import ParleyServer
import Testing

/// The comparison behind webhook signatures, the API token and the session cookie. Not a timing test (those
/// flake on shared machines): it checks the results against `==` and that every byte is always compared —
/// an implementation that returns at the first difference fails here.
@Suite("Constant-time comparison")
struct ConstantTimeTests {
    /// Every index compared, in order, and the differences seen.
    static func trace(_ a: [UInt8], _ b: [UInt8]) -> (equal: Bool, indices: [Int], differences: [UInt8]) {
        var indices: [Int] = []
        var differences: [UInt8] = []
        let equal = ConstantTime.equal(a, b) { index, difference in
            indices.append(index)
            differences.append(difference)
        }
        return (equal, indices, differences)
    }

    @Test("equal, unequal and different-length inputs give the same answer as ==")
    func results() {
        #expect(ConstantTime.equal([], []))
        #expect(ConstantTime.equal([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equal([1, 2, 3], [0, 2, 3]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2]))
        #expect(!ConstantTime.equal([], [0]))
        #expect(!ConstantTime.equal([0x80], [0x00]))
    }

    @Test("over 20,000 random pairs (equal, one bit flipped anywhere, random, other lengths) it agrees with ==")
    func agreesWithReference() {
        var generator = SystemRandomNumberGenerator()
        var unequal = 0
        for round in 0..<20_000 {
            let length = Int.random(in: 0...48, using: &generator)
            let a = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var b = a
            switch round % 4 {
            case 0: break
            case 1 where length > 0: b[Int.random(in: 0..<length, using: &generator)] ^= 1 << UInt8.random(in: 0...7, using: &generator)
            case 2: b = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            default: b.append(UInt8.random(in: 0...255, using: &generator))
            }
            if a != b { unequal += 1 }
            #expect(ConstantTime.equal(a, b) == (a == b), "\(a) vs \(b)")
        }
        #expect(unequal > 9_000)
    }

    @Test("no early exit: a difference in the first byte still compares every byte, and each byte's difference counts")
    func comparesEveryByte() {
        let a = Array(0..<32).map { UInt8($0) }
        for position in [0, 1, 15, 31] {
            var b = a
            b[position] ^= 0xFF
            let result = Self.trace(a, b)
            #expect(!result.equal)
            #expect(result.indices == Array(0..<32), "difference at \(position)")
            #expect(result.differences == (0..<32).map { $0 == position ? 0xFF : 0 })
        }
        // Differences everywhere, and none: the same 32 comparisons.
        #expect(Self.trace(a, a.map { ~$0 }).indices == Array(0..<32))
        #expect(Self.trace(a, a) == (true, Array(0..<32), Array(repeating: 0, count: 32)))
    }

    @Test("webhook signatures go through it: a signature wrong in its first byte is compared in full")
    func webhookSignatureComparesInFull() throws {
        let body = Array(#"{"collection":"customers","id":1,"event":"updated"}"#.utf8)
        let good = WebhookSignature.header(body: body, secret: "s3cret")
        var hex = Array(good.dropFirst("sha256=".count).utf8)
        hex[0] = hex[0] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        let bad = "sha256=" + String(decoding: hex, as: UTF8.self)
        for (header, valid) in [(good, true), (bad, false)] {
            var compared: [Int] = []
            #expect(WebhookSignature.isValid(header: header, body: body, secret: "s3cret") { index, _ in compared.append(index) } == valid)
            #expect(compared == Array(0..<32), "\(header)")
        }
    }
}
